// The real `parlo` executable opens its window and renders a frame without a single warning,
// offscreen and under Xvfb, with a fresh profile. By default it tests the `parlo` of this build
// tree; PARLO_GUI_UNDER_TEST names another one (scripts/test points it at the Release build
// scripts/run starts) and PARLO_GUI_SHOW_MS how long the window stays up.
#include "test_data.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QString parloUnderTest()
{
    const QString other = qEnvironmentVariable("PARLO_GUI_UNDER_TEST");
    return other.isEmpty() ? QStringLiteral(PARLO_GUI_PATH) : other;
}

QString showMilliseconds()
{
    const QString ms = qEnvironmentVariable("PARLO_GUI_SHOW_MS");
    return ms.isEmpty() ? QStringLiteral("100") : ms;
}

} // namespace

class TestGuiWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_profile;

private:
    // A profile nobody has used: empty settings, history and models folders.
    void useFreshProfile(QProcessEnvironment &env, const QString &name)
    {
        const QString base = m_profile.filePath(name);
        for (const char *dir : {"config", "data", "cache", "home"})
            QVERIFY(QDir().mkpath(base + '/' + dir));
        env.insert("XDG_CONFIG_HOME", base + "/config");
        env.insert("XDG_DATA_HOME", base + "/data");
        env.insert("XDG_CACHE_HOME", base + "/cache");
        env.insert("HOME", base + "/home");
    }

    void runAndExpectSilence(const QString &program, const QStringList &args, const QString &platform)
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", platform);
        useFreshProfile(env, platform);
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
    void initTestCase()
    {
        QVERIFY(m_profile.isValid());
        // Named explicitly, so a missing binary is a failure, not a skip: scripts/test built it.
        QVERIFY2(QFileInfo(parloUnderTest()).isExecutable(), qPrintable(parloUnderTest() + " was not built"));
    }

    void opensOffscreen()
    {
        runAndExpectSilence(parloUnderTest(), {"--quit-after-first-frame", showMilliseconds()}, "offscreen");
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
        process.start(parloUnderTest(), {"--quit-after-first-frame", "300", copy});
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
        runAndExpectSilence(xvfbRun,
                            {"-a", "-s", "-screen 0 1280x800x24", parloUnderTest(), "--quit-after-first-frame",
                             showMilliseconds()},
                            "xcb");
    }
};

QTEST_GUILESS_MAIN(TestGuiWindow)
#include "test_gui_window.moc"
