// The real `parlo`, twice, offscreen: the second launch hands its model file to the first and
// exits 0 at once, without opening the history; the first receives the path.
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// PARLO_GUI_UNDER_TEST runs the test against another build (an older one, to see it fail).
QString guiPath()
{
    return qEnvironmentVariable("PARLO_GUI_UNDER_TEST", QStringLiteral(PARLO_GUI_PATH));
}

} // namespace

class TestGuiSingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void secondLaunchHandsOverToTheRunningWindow()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        for (const char *folder : {"config", "data", "cache", "runtime", "models"})
            QVERIFY(QDir(home.path()).mkpath(folder));
        QFile::setPermissions(home.filePath("runtime"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString model = home.filePath("models/story.gguf");
        QFile file(model);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("GGUF"); // the mock engine loads any readable file
        file.close();

        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("PARLO_FAKE_ENGINE", "1");
        env.insert("XDG_CONFIG_HOME", home.filePath("config"));
        env.insert("XDG_DATA_HOME", home.filePath("data"));
        env.insert("XDG_CACHE_HOME", home.filePath("cache"));
        env.insert("XDG_RUNTIME_DIR", home.filePath("runtime"));
        env.insert("QT_LOGGING_RULES", "parlo.instance.debug=true");

        QProcess first;
        first.setProcessEnvironment(env);
        first.start(guiPath(), QStringList{});
        QVERIFY(first.waitForStarted(10000));
        QElapsedTimer timer;
        timer.start();
        while (QDir(home.filePath("runtime")).entryList({"parlo-*.socket"}, QDir::System).isEmpty() &&
               timer.elapsed() < 60000 && first.state() == QProcess::Running)
            QTest::qWait(50);
        QVERIFY2(!QDir(home.filePath("runtime")).entryList({"parlo-*.socket"}, QDir::System).isEmpty(),
                 first.readAllStandardError().constData());

        QProcess second;
        second.setProcessEnvironment(env);
        timer.restart();
        second.start(guiPath(), {model});
        QVERIFY(second.waitForFinished(30000));
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QVERIFY2(second.exitCode() == 0, second.readAllStandardError().constData());
        QVERIFY2(timer.elapsed() < 15000, "the second launch should leave at once");

        QByteArray log;
        timer.restart();
        while (!log.contains("another launch handed over") && timer.elapsed() < 15000) {
            first.waitForReadyRead(100);
            log += first.readAllStandardError();
        }
        QVERIFY2(log.contains("another launch handed over") && log.contains(model.toUtf8()), log.constData());
        QCOMPARE(first.state(), QProcess::Running);
        first.terminate();
        if (!first.waitForFinished(10000)) {
            first.kill();
            first.waitForFinished();
        }
    }
};

QTEST_GUILESS_MAIN(TestGuiSingleInstance)
#include "test_gui_single_instance.moc"
