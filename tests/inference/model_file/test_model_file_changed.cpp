// A model file truncated or overwritten while `parlo-cli generate` computes with it: the
// process must end with an error naming the change, never die of SIGBUS.
#include "model_maker.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QThread>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

namespace {

// ~14M F32 parameters (56 MB): a decode step takes milliseconds, so nearly every change lands
// inside a forward pass, the case the between-token check cannot see.
parlo::tools::LlamaShape bigEnough()
{
    parlo::tools::LlamaShape s;
    s.n_vocab = 2048;
    s.n_embd = 512;
    s.n_layer = 4;
    s.n_head = 8;
    s.n_head_kv = 2;
    s.n_ff = 1536;
    s.n_ctx = 4096;
    s.seed = 17;
    return s;
}

struct Outcome
{
    QProcess::ExitStatus status = QProcess::NormalExit;
    int exitCode = -1;
    QByteArray err;
};

// Starts a long greedy generation on `model`, waits until tokens flow, then runs `change`.
Outcome generateWhile(const QString &model, int delayMs, const std::function<void()> &change)
{
    QProcess p;
    // PARLO_CLI_UNDER_TEST: run another build (an older one, to see this test fail there).
    p.setProgram(qEnvironmentVariable("PARLO_CLI_UNDER_TEST", PARLO_CLI_PATH));
    p.setArguments({"generate", "--model", model, "--device", "cpu", "--threads", "2", "--tokens", "1", "--print-ids",
                    "--temp", "0", "--ignore-eos", "-n", "3000", "--ctx", "4096"});
    p.start();
    Outcome o;
    if (!p.waitForStarted(10000))
        return o;
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    // A few tokens first: the model is loaded and decoding.
    while (out.count(' ') < 5 && timer.elapsed() < 60000 && p.state() == QProcess::Running) {
        p.waitForReadyRead(200);
        out += p.readAllStandardOutput();
    }
    // Reacting to a token would change the file just after the child printed it, between two
    // passes, where the old between-token check already catches it; a pause moves the change
    // to some point inside a pass (each takes milliseconds).
    QThread::msleep(delayMs);
    change();
    p.waitForFinished(120000);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    o.status = p.exitStatus();
    o.exitCode = p.exitCode();
    o.err = p.readAllStandardError();
    return o;
}

} // namespace

class TestModelFileChanged : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_source; // pristine model; each try works on a fresh copy
    QString m_other;  // a different model of another size, for `cp other over it`

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_source = m_dir.filePath("source.gguf");
        m_other = m_dir.filePath("other.gguf");
        QVERIFY(parlo::tools::writeRandomLlama(m_source.toStdString(), bigEnough(), "F32"));
        parlo::tools::LlamaShape other = bigEnough();
        other.n_layer = 2;
        other.seed = 99;
        QVERIFY(parlo::tools::writeRandomLlama(m_other.toStdString(), other, "F32"));
    }

    void truncatedWhileGenerating()
    {
        // Several tries: each must end in the error, none in a crash.
        for (int i = 0; i < 5; ++i) {
            const QString copy = m_dir.filePath(QStringLiteral("truncated-%1.gguf").arg(i));
            QVERIFY(QFile::copy(m_source, copy));
            const Outcome o = generateWhile(copy, 3 + 7 * i, [&] { QVERIFY(::truncate(copy.toLocal8Bit().constData(), 1000) == 0); });
            QVERIFY2(o.status == QProcess::NormalExit, qPrintable(QStringLiteral("try %1: parlo-cli crashed (signal %2): %3")
                                                                      .arg(i).arg(o.exitCode).arg(QString::fromUtf8(o.err))));
            QCOMPARE(o.exitCode, 1);
            QVERIFY2(o.err.contains("changed on disk"), o.err.constData());
        }
    }

    void overwrittenInPlaceWhileGenerating()
    {
        // `cp other.gguf model.gguf` truncates and rewrites the same inode.
        for (int i = 0; i < 3; ++i) {
            const QString copy = m_dir.filePath(QStringLiteral("overwritten-%1.gguf").arg(i));
            QVERIFY(QFile::copy(m_source, copy));
            const Outcome o = generateWhile(copy, 3 + 7 * i, [&] {
                const QStringList cp{m_other, copy};
                QCOMPARE(QProcess::execute("cp", cp), 0);
            });
            QVERIFY2(o.status == QProcess::NormalExit, qPrintable(QStringLiteral("try %1: parlo-cli crashed (signal %2): %3")
                                                                      .arg(i).arg(o.exitCode).arg(QString::fromUtf8(o.err))));
            QCOMPARE(o.exitCode, 1);
            QVERIFY2(o.err.contains("changed on disk"), o.err.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestModelFileChanged)
#include "test_model_file_changed.moc"
