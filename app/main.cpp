// parlo: the desktop app. Loads the QML module "Parlo".
#include "app_context.h"
#include "demo_profile.h"
#include "screenshot.h"
#include "core/log_bridge.h"
#include "core/single_instance.h"
#include "parlo/version.h"

#include <QCommandLineParser>
#include <QFileInfo>
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
    const QCommandLineOption modelOption("model", "Load this GGUF model at start.", "path");
    parser.addOption(modelOption);
    const QCommandLineOption demoOption("demo", "Start with demo conversations (screenshots, trying the UI).");
    parser.addOption(demoOption);
    const QCommandLineOption themeOption("theme", "Use this theme: system, light or dark.", "theme");
    parser.addOption(themeOption);
    const QCommandLineOption screenshotOption("screenshot", "Save the window as PNG once the model is loaded, then quit.",
                                              "file");
    parser.addOption(screenshotOption);
    parser.addPositionalArgument("models", "GGUF files to add to the library (\"Open with Parlo\"); the first is loaded.",
                                 "[MODEL.gguf...]");
    parser.process(app);

    // One window per history: a second launch hands its files to the running one and leaves.
    // Test and screenshot runs are meant to be separate processes and skip this.
    parlo::app::SingleInstance instance;
    if (!parser.isSet(quitAfter) && !parser.isSet(screenshotOption)) {
        QStringList files = parser.positionalArguments();
        if (parser.isSet(modelOption))
            files.prepend(parser.value(modelOption));
        if (instance.start(files) == parlo::app::SingleInstance::Role::HandedOff)
            return 0;
    }

    if (QQuickStyle::name().isEmpty())
        QQuickStyle::setStyle("Basic");

    parlo::ui::AppOptions options = parlo::ui::AppContext::optionsFromEnvironment();
    // The demo conversations were not written by a model: they go with the mock engine.
    if (parser.isSet(demoOption))
        options.fakeEngine = true;
    parlo::ui::AppContext context(options);
    if (parser.isSet(themeOption))
        context.settings()->setTheme(parser.value(themeOption));
    if (parser.isSet(demoOption))
        context.chat()->openConversation(parlo::ui::seedDemoConversations(*context.repository()));
    // "Open with Parlo" on .gguf files: their folders join the library (nothing is copied),
    // and the first file is loaded.
    auto openFiles = [&context](QString modelToLoad, const QStringList &files) {
        for (const QString &file : files) {
            const QFileInfo info(file);
            if (!info.isFile())
                continue;
            context.settings()->addModelFolder(info.absolutePath());
            if (modelToLoad.isEmpty())
                modelToLoad = info.absoluteFilePath();
        }
        if (!modelToLoad.isEmpty())
            context.models()->load(modelToLoad);
    };
    openFiles(parser.value(modelOption), parser.positionalArguments());
    QQmlApplicationEngine engine;
    context.prepareEngine(engine);
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app,
                     [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Parlo/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;

    QObject::connect(&instance, &parlo::app::SingleInstance::filesReceived, &app,
                     [&engine, &openFiles](const QStringList &files) {
                         openFiles(QString(), files);
                         if (auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().value(0))) {
                             window->show();
                             window->raise();
                             window->requestActivate();
                         }
                     });

    if (parser.isSet(quitAfter)) {
        const int delay = parser.value(quitAfter).toInt();
        if (auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first())) {
            QObject::connect(window, &QQuickWindow::frameSwapped, &app,
                             [delay] { QTimer::singleShot(delay, qApp, &QCoreApplication::quit); },
                             Qt::SingleShotConnection);
        }
    }
    if (parser.isSet(screenshotOption)) {
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().first());
        parlo::ui::saveScreenshotWhenReady(window, context.models(), parser.value(screenshotOption));
    }
    return app.exec();
}
