// Test helper: one launch of a program that uses SingleInstance, as parlo's main() does.
// Usage: single_instance_helper SOCKET [FILE...]. Prints its role; the primary then prints each
// hand-over it receives ("received <files as JSON>") and runs until it is killed.
#include "core/single_instance.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: single_instance_helper SOCKET [FILE...]\n");
        return 2;
    }
    parlo::app::SingleInstance instance(args[1]);
    const auto role = instance.start(args.mid(2));
    switch (role) {
    case parlo::app::SingleInstance::Role::HandedOff:
        std::printf("handed-off\n");
        return 0;
    case parlo::app::SingleInstance::Role::Alone:
        std::printf("alone\n");
        return 3;
    case parlo::app::SingleInstance::Role::Primary:
        break;
    }
    QObject::connect(&instance, &parlo::app::SingleInstance::filesReceived, [](const QStringList &files) {
        std::printf("received %s\n", QJsonDocument(QJsonArray::fromStringList(files)).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
    });
    std::printf("primary\n");
    std::fflush(stdout);
    return app.exec();
}
