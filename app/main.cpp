// parlo: the desktop app. Loads the QML module "Parlo".
#include "core/log_bridge.h"
#include "parlo/version.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(ParloPlugin)

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName("parlo");
    QGuiApplication::setApplicationDisplayName("Parlo");
    QGuiApplication::setApplicationVersion(parlo::versionString());
    QGuiApplication::setDesktopFileName("io.github.parlo.Parlo");
    parlo::app::installEngineLogBridge();

    QCommandLineParser parser;
    parser.setApplicationDescription("Chat with open language models, offline.");
    parser.addHelpOption();
    parser.addVersionOption();
    // For tests and screenshots: quit this many milliseconds after the first frame.
    const QCommandLineOption quitAfter("quit-after-first-frame", "Quit N ms after the first frame is shown.", "ms");
    parser.addOption(quitAfter);
    parser.process(app);

    if (QQuickStyle::name().isEmpty())
        QQuickStyle::setStyle("Basic");

    QQmlApplicationEngine engine;
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app,
                     [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Parlo/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    if (parser.isSet(quitAfter)) {
        const int delay = parser.value(quitAfter).toInt();
        if (auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first())) {
            QObject::connect(window, &QQuickWindow::frameSwapped, &app,
                             [delay] { QTimer::singleShot(delay, qApp, &QCoreApplication::quit); },
                             Qt::SingleShotConnection);
        }
    }
    return app.exec();
}
