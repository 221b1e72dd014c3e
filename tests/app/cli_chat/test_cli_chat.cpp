// parlo-cli chat end to end on a real model: two turns in one conversation, stored with their
// generation metadata and read back both through HistoryStore and `parlo-cli history show`;
// a corrupt database set aside; bad input refused before the model loads.
#include "storage/history_store.h"
#include "test_data.h"

#include <QCryptographicHash>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;

namespace {

constexpr auto kModel = "models/stories260K-F32.gguf";

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList &args)
{
    QProcess process;
    process.start(PARLO_CLI_PATH, args);
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

qint64 conversationIdIn(const QByteArray &err)
{
    const auto m = QRegularExpression(QStringLiteral("conversation (\\d+)")).match(QString::fromUtf8(err));
    return m.hasMatch() ? m.captured(1).toLongLong() : 0;
}

QString sha256Prefix(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex().left(16));
}

} // namespace

class TestCliChat : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void twoTurnsAreStoredWithMetadata()
    {
        PARLO_REQUIRE_TEST_FILE(model, kModel);
        const QString db = m_dir.filePath("two-turns.sqlite");
        const QStringList common{"chat", "--db", db, "--model", model, "--device", "cpu", "--threads", "1"};

        const Run first = runCli(common + QStringList{"--system", "You tell short stories.", "--seed", "7",
                                                      "--temp", "0.9", "--top-k", "20", "-n", "24", "Tell me about Lily."});
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const qint64 id = conversationIdIn(first.err);
        QVERIFY2(id > 0, first.err.constData());
        QVERIFY(!first.out.trimmed().isEmpty());

        const Run second = runCli(common + QStringList{"--conversation", QString::number(id), "--seed", "8",
                                                       "--ignore-eos", "-n", "10", "What happened next?"});
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QCOMPARE(conversationIdIn(second.err), id);

        HistoryStore store;
        QVERIFY(store.open(db).ok());
        auto c = store.conversation(id);
        QVERIFY(c.ok());
        QCOMPARE(c->systemPrompt, QStringLiteral("You tell short stories."));
        const auto path = c->activePath();
        QCOMPARE(path.size(), 4);
        QCOMPARE(path[0]->role, Role::User);
        QCOMPARE(path[0]->content, QStringLiteral("Tell me about Lily."));
        QCOMPARE(path[1]->role, Role::Assistant);
        QCOMPARE(path[2]->content, QStringLiteral("What happened next?"));
        QCOMPARE(path[3]->role, Role::Assistant);
        // What streamed to stdout is what was stored (the CLI adds one newline at the end).
        QCOMPARE(path[1]->content.toUtf8() + "\n", first.out);
        QCOMPARE(path[3]->content.toUtf8() + "\n", second.out);

        const QString sha = sha256Prefix(model);
        for (int i : {1, 3}) {
            QVERIFY(path[i]->generation.has_value());
            const GenerationInfo &g = *path[i]->generation;
            QCOMPARE(path[i]->state, MessageState::Done);
            QCOMPARE(g.modelFile, QStringLiteral("stories260K-F32.gguf"));
            QCOMPARE(g.modelSha256, sha);
            QCOMPARE(g.quantization, QStringLiteral("F32"));
            QVERIFY2(g.device.startsWith("CPU"), qPrintable(g.device));
            QVERIFY(g.promptTokens.value_or(0) > 0);
            QVERIFY(g.timeToFirstTokenMs.value_or(-1) >= 0);
            QVERIFY(g.decodeTokensPerSecond.value_or(0) > 0);
        }
        const GenerationInfo &g1 = *path[1]->generation;
        const GenerationInfo &g3 = *path[3]->generation;
        QCOMPARE(g1.seed.value_or(0), 7);
        QCOMPARE(g3.seed.value_or(0), 8);
        QCOMPARE(g1.sampler.value("top_k").toInt(), 20);
        QCOMPARE(g1.sampler.value("temperature").toDouble(), 0.9);
        QVERIFY(g1.generatedTokens.value_or(0) > 0 && *g1.generatedTokens <= 24);
        QVERIFY(g1.finishReason == FinishReason::Stop || g1.finishReason == FinishReason::Length);
        // --ignore-eos runs to -n exactly.
        QCOMPARE(g3.generatedTokens.value_or(0), 10);
        QCOMPARE(g3.finishReason, FinishReason::Length);
        // The second turn's prompt holds the whole first exchange.
        QVERIFY(*g3.promptTokens > *g1.promptTokens + *g1.generatedTokens);
        store.close();

        const Run shown = runCli({"history", "--db", db, "show", QString::number(id)});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        for (const Message *m : path)
            QVERIFY2(shown.out.contains(m->content.trimmed().toUtf8()), shown.out.constData());
        QVERIFY2(shown.out.contains("stories260K-F32.gguf"), shown.out.constData());
    }

    void corruptDatabaseIsSetAside()
    {
        PARLO_REQUIRE_TEST_FILE(model, kModel);
        QTemporaryDir dir;
        const QString db = dir.filePath("history.sqlite");
        QByteArray garbage("SQLite format 3");
        garbage.append(QByteArray(8192, '\x5a'));
        QFile f(db);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(garbage) == garbage.size());
        f.close();

        const Run run = runCli({"chat", "--db", db, "--model", model, "--device", "cpu", "-n", "4", "Hello"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("corrupt"), run.err.constData());
        QCOMPARE(QDir(dir.path()).entryList({"history.sqlite.corrupt-*"}).size(), 1);
        HistoryStore store;
        QVERIFY(store.open(db).ok());
        auto count = store.conversationCount();
        QVERIFY(count.ok());
        QCOMPARE(*count, 1);
    }

    void badInputIsRefused()
    {
        PARLO_REQUIRE_TEST_FILE(model, kModel);
        const QString db = m_dir.filePath("bad.sqlite");
        Run run = runCli({"chat", "--db", db, "--model", model, "--conversation", "999", "Hi"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(!run.err.isEmpty(), "no message for a missing conversation");
        run = runCli({"chat", "--db", db, "--model", model, "--conversation", "abc", "Hi"});
        QCOMPARE(run.exitCode, 2);
        run = runCli({"chat", "--db", db, "--model", model});
        QCOMPARE(run.exitCode, 2);
        run = runCli({"chat", "--db", db, "--model", model, "-n", "-3", "Hi"});
        QCOMPARE(run.exitCode, 2);
        run = runCli({"chat", "--db", db, "--model", m_dir.filePath("missing.gguf"), "Hi"});
        QCOMPARE(run.exitCode, 1);
        HistoryStore store;
        QVERIFY(store.open(db).ok());
        auto count = store.conversationCount();
        QVERIFY(count.ok());
        QCOMPARE(*count, 0); // nothing half-written
    }
};

QTEST_GUILESS_MAIN(TestCliChat)
#include "test_cli_chat.moc"
