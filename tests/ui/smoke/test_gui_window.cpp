// The real `parlo` executable opens its window and renders a frame without a single warning,
// offscreen and under Xvfb.
#include "test_data.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestGuiWindow : public QObject
{
    Q_OBJECT

private:
    void runAndExpectSilence(const QString &program, const QStringList &args, const QString &platform)
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", platform);
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(program, args);
        QVERIFY2(process.waitForFinished(120000), "parlo did not quit after its first frame");
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.trimmed().isEmpty(), qPrintable("warnings on stderr: " + err));
    }

private slots:
    void opensOffscreen()
    {
        runAndExpectSilence(PARLO_GUI_PATH, {"--quit-after-first-frame", "100"}, "offscreen");
    }

    void openWithAddsTheModelFolder()
    {
        // What a file manager's "Open with Parlo" does: `parlo FILE.gguf`.
        const QString model = parlo::test::testDataFile("models/stories260K-Q8_0.gguf");
        if (model.isEmpty())
            QSKIP("test data models/stories260K-Q8_0.gguf is missing");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QVERIFY(QDir(home.path()).mkpath("downloads/llms"));
        const QString copy = home.filePath("downloads/llms/story.gguf");
        QVERIFY(QFile::copy(model, copy));
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", home.filePath("config"));
        env.insert("XDG_DATA_HOME", home.filePath("data"));
        env.insert("PARLO_FAKE_ENGINE", "1");
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(PARLO_GUI_PATH, {"--quit-after-first-frame", "300", copy});
        QVERIFY(process.waitForFinished(120000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QFile settings(home.filePath("config/parlo/parlo.conf"));
        QVERIFY2(settings.open(QIODevice::ReadOnly), "no settings file was written");
        QVERIFY2(settings.readAll().contains("downloads/llms"), "the model's folder was not added to the library");
    }

    void opensUnderXvfb()
    {
        const QString xvfbRun = PARLO_XVFB_RUN;
        if (xvfbRun.isEmpty() || xvfbRun.endsWith("NOTFOUND"))
            QSKIP("xvfb-run is not installed (Debian: xvfb)");
        runAndExpectSilence(xvfbRun, {"-a", "-s", "-screen 0 1280x800x24", PARLO_GUI_PATH, "--quit-after-first-frame", "100"},
                            "xcb");
    }
};

QTEST_GUILESS_MAIN(TestGuiWindow)
#include "test_gui_window.moc"
