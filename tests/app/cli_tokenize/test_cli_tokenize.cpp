// parlo-cli tokenize, as a user runs it: exact bytes in, ids on one line out.
#include "test_data.h"
#include "process_run.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = parlo::test::ProcessRun;

Run runCli(const QStringList &args) { return parlo::test::runProcess(PARLO_CLI_PATH, args); }

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    return path;
}

} // namespace

class TestCliTokenize : public QObject
{
    Q_OBJECT

private slots:
    void exactBytesAndFlags()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-F32.gguf");
        QTemporaryDir dir;
        const QString prompt = writeFile(dir, "prompt.txt", "Once upon a time");
        Run run = runCli({"tokenize", "--model", stories, "--raw", prompt, "--bos"});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.outBytes, QByteArray("1 403 407 261 378\n"));
        run = runCli({"tokenize", "--model", stories, "--raw", prompt});
        QCOMPARE(run.outBytes, QByteArray("403 407 261 378\n"));
    }

    // A file ending in a newline keeps it: the ids are for the exact bytes.
    void matchesGoldenVector()
    {
        PARLO_REQUIRE_TEST_FILE(gpt2, "vocab/ggml-vocab-gpt-2.gguf");
        QTemporaryDir dir;
        const QString text = writeFile(dir, "t.txt", "    Hello\n    Hello");
        Run run = runCli({"tokenize", "--model", gpt2, "--raw", text});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.outBytes, QByteArray("220 220 220 18435 198 220 220 220 18435\n"));
        const QString newline = writeFile(dir, "n.txt", "\n\n\n");
        QCOMPARE(runCli({"tokenize", "--model", gpt2, "--raw", newline}).outBytes, QByteArray("628 198\n"));
        const QString empty = writeFile(dir, "e.txt", "");
        QCOMPARE(runCli({"tokenize", "--model", gpt2, "--raw", empty}).outBytes, QByteArray("\n"));
    }

    void specialTokens()
    {
        PARLO_REQUIRE_TEST_FILE(gpt2, "vocab/ggml-vocab-gpt-2.gguf");
        QTemporaryDir dir;
        const QString text = writeFile(dir, "s.txt", "<|endoftext|>");
        const Run asText = runCli({"tokenize", "--model", gpt2, "--raw", text});
        QCOMPARE(asText.exitCode, 0);
        QVERIFY2(!asText.outBytes.contains("50256"), asText.outBytes.constData());
        QCOMPARE(runCli({"tokenize", "--model", gpt2, "--raw", text, "--special"}).outBytes, QByteArray("50256\n"));
    }

    void errors()
    {
        QTemporaryDir dir;
        const QString text = writeFile(dir, "t.txt", "hi");
        const QString notGguf = writeFile(dir, "bad.gguf", "this is not a gguf file at all");
        Run run = runCli({"tokenize", "--model", notGguf, "--raw", text});
        QVERIFY(run.exitCode != 0);
        QVERIFY(run.errBytes.startsWith("parlo-cli: "));
        run = runCli({"tokenize", "--model", notGguf, "--raw", dir.filePath("missing.txt")});
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.errBytes.contains("missing.txt"), run.errBytes.constData());
        run = runCli({"tokenize", "--raw", text});
        QCOMPARE(run.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliTokenize)
#include "test_cli_tokenize.moc"
