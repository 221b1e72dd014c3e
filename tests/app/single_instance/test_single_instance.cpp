// One Parlo per history: with two real processes, a second launch hands its files to the first
// over a local socket and exits 0 at once; a socket left by a killed instance is taken over;
// two launches at the same moment end with exactly one primary.
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

// Waits for the next line from `process` that starts with `prefix`.
QString waitForLine(QProcess &process, const QString &prefix, int timeoutMs = 15000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        while (process.canReadLine()) {
            const QString line = QString::fromUtf8(process.readLine()).trimmed();
            if (line.startsWith(prefix))
                return line;
        }
        if (process.state() == QProcess::NotRunning && !process.canReadLine())
            return {};
        process.waitForReadyRead(100);
    }
    return {};
}

std::unique_ptr<QProcess> launch(const QStringList &args)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(PARLO_INSTANCE_HELPER, args);
    return process;
}

} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void secondLaunchHandsItsFilesToTheFirst()
    {
        QTemporaryDir dir;
        const QString socket = dir.filePath("parlo.socket");
        auto first = launch({socket});
        QVERIFY2(!waitForLine(*first, "primary").isEmpty(), "the first launch did not become the primary");

        const QString model = dir.filePath("models/story.gguf");
        QElapsedTimer timer;
        timer.start();
        auto second = launch({socket, model});
        QVERIFY(second->waitForFinished(10000));
        QCOMPARE(second->exitStatus(), QProcess::NormalExit);
        QCOMPARE(second->exitCode(), 0);
        QVERIFY2(timer.elapsed() < 5000, "the hand-over should be immediate");
        QCOMPARE(QString::fromUtf8(second->readAllStandardOutput()).trimmed(), QString("handed-off"));

        const QString received = waitForLine(*first, "received ");
        QCOMPARE(received, QString("received [\"%1\"]").arg(model));

        // A bare second launch (the launcher clicked again) just raises the window.
        auto third = launch({socket});
        QVERIFY(third->waitForFinished(10000));
        QCOMPARE(third->exitCode(), 0);
        QCOMPARE(waitForLine(*first, "received "), QString("received []"));

        QVERIFY(QFileInfo(socket).exists());
        first->kill();
        first->waitForFinished();
    }

    void socketOfAKilledInstanceIsTakenOver()
    {
        QTemporaryDir dir;
        const QString socket = dir.filePath("parlo.socket");
        auto first = launch({socket});
        QVERIFY(!waitForLine(*first, "primary").isEmpty());
        first->kill(); // SIGKILL: the socket file stays behind
        QVERIFY(first->waitForFinished());
        QVERIFY(QFileInfo::exists(socket));

        auto next = launch({socket, dir.filePath("a.gguf")});
        QVERIFY2(!waitForLine(*next, "primary").isEmpty(), "a stale socket must not block the next launch");
        next->kill();
        next->waitForFinished();
    }

    void simultaneousLaunchesAgreeOnOnePrimary()
    {
        QTemporaryDir dir;
        const QString socket = dir.filePath("parlo.socket");
        std::vector<std::unique_ptr<QProcess>> launches;
        for (int i = 0; i < 4; ++i)
            launches.push_back(launch({socket, dir.filePath(QString("m%1.gguf").arg(i))}));
        int primaries = 0;
        int handedOff = 0;
        QProcess *primary = nullptr;
        QElapsedTimer timer;
        timer.start();
        for (auto &p : launches) {
            const QString role = waitForLine(*p, "", 15000);
            if (role == "primary") {
                ++primaries;
                primary = p.get();
            } else if (role == "handed-off") {
                ++handedOff;
                QVERIFY(p->waitForFinished(10000));
                QCOMPARE(p->exitCode(), 0);
            }
        }
        QCOMPARE(primaries, 1);
        QCOMPARE(handedOff, 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!waitForLine(*primary, "received ").isEmpty());
        primary->kill();
        primary->waitForFinished();
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "test_single_instance.moc"
