// The real `parlo` executable opens its window and renders a frame without a single warning,
// offscreen and under Xvfb.
#include <QProcess>
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
