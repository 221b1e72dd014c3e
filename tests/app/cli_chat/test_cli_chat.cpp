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

#include <csignal>
#include <memory>
#include <optional>
#include <sys/types.h>

using namespace parlo::storage;

namespace {

constexpr auto kModel = "models/stories260K-F32.gguf";

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// PARLO_CLI_UNDER_TEST runs these tests against another build (an older one, to see them fail).
QString cliPath()
{
    return qEnvironmentVariable("PARLO_CLI_UNDER_TEST", QStringLiteral(PARLO_CLI_PATH));
}

Run runCli(const QStringList &args)
{
    QProcess process;
    process.start(cliPath(), args);
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

// A `parlo-cli chat` caught in the middle of its answer: started, then stopped with SIGSTOP as
// soon as the answer's first text arrives, while its row is still 'streaming'. The model is
// fast, so an attempt can miss (the answer already finished); the caller tries again.
struct PausedChat
{
    std::unique_ptr<QProcess> process;
    qint64 conversationId = 0;
    qint64 messageId = 0;
    QByteArray out;
};

std::optional<PausedChat> startAndPauseChat(const QString &db, const QString &model)
{
    PausedChat chat;
    chat.process = std::make_unique<QProcess>();
    chat.process->start(cliPath(), {"chat", "--db", db, "--model", model, "--device", "cpu", "--threads", "1",
                                    "--seed", "3", "--ignore-eos", "-n", "400", "Tell me a long story."});
    if (!chat.process->waitForStarted(10000))
        return std::nullopt;
    QElapsedTimer timer;
    timer.start();
    while (chat.out.isEmpty() && timer.elapsed() < 60000 && chat.process->state() == QProcess::Running) {
        chat.process->waitForReadyRead(5);
        chat.out += chat.process->readAllStandardOutput();
    }
    if (chat.out.isEmpty() || ::kill(pid_t(chat.process->processId()), SIGSTOP) != 0) {
        chat.process->waitForFinished(60000);
        return std::nullopt;
    }
    chat.conversationId = conversationIdIn(chat.process->readAllStandardError());
    HistoryStore reader;
    OpenOptions readOnly;
    readOnly.readOnly = true;
    readOnly.create = false;
    if (chat.conversationId <= 0 || !reader.open(db, readOnly).ok()) {
        ::kill(pid_t(chat.process->processId()), SIGCONT);
        chat.process->waitForFinished(60000);
        return std::nullopt;
    }
    auto c = reader.conversation(chat.conversationId);
    const auto path = c.ok() ? c->activePath() : QList<const Message *>();
    if (path.size() != 2 || path[1]->state != MessageState::Streaming) {
        ::kill(pid_t(chat.process->processId()), SIGCONT);
        chat.process->waitForFinished(60000);
        return std::nullopt; // missed it: the answer was done before the stop
    }
    chat.messageId = path[1]->id;
    return chat;
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

    // Issue 17: while `parlo-cli chat` streamed an answer, `parlo-cli history list` (and any
    // other opener) from a second shell marked it "interrupted"; the writer then failed with
    // "the conversation is no longer saved" and the stored answer lost its end.
    void historyCommandsBesideAStreamingChatLeaveItWhole()
    {
        PARLO_REQUIRE_TEST_FILE(model, kModel);
        QTemporaryDir dir;
        const QString db = dir.filePath("history.sqlite");
        const QString emptyExport = dir.filePath("nothing.json");
        QFile f(emptyExport);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format":"parlo-history","version":1,"conversations":[]})");
        f.close();

        std::optional<PausedChat> chat;
        int attempts = 0;
        while (attempts < 8 && !chat) {
            ++attempts;
            chat = startAndPauseChat(db, model);
        }
        if (!chat)
            QSKIP("the model answered too fast to be caught mid-answer 8 times in a row");
        qInfo("caught the answer mid-stream on attempt %d, after %lld bytes", attempts, qlonglong(chat->out.size()));

        // A reader and a writer (import recovers crashed answers when it opens) beside it.
        const Run list = runCli({"history", "--db", db, "list"});
        const Run import = runCli({"history", "--db", db, "import", emptyExport});
        ::kill(pid_t(chat->process->processId()), SIGCONT);
        QVERIFY(chat->process->waitForFinished(120000));
        chat->out += chat->process->readAllStandardOutput();
        const QByteArray err = chat->process->readAllStandardError();
        QVERIFY2(list.exitCode == 0 && list.out.contains("Tell me a long story."), list.err.constData());
        QVERIFY2(import.exitCode == 0, import.err.constData());
        QVERIFY2(!import.err.contains("interrupted"), import.err.constData());
        QCOMPARE(chat->process->exitStatus(), QProcess::NormalExit);
        QVERIFY2(chat->process->exitCode() == 0, err.constData());
        QVERIFY2(!err.contains("no longer saved"), err.constData());

        HistoryStore store;
        QVERIFY(store.open(db).ok());
        auto c = store.conversation(chat->conversationId);
        QVERIFY(c.ok());
        const Message *answer = c->message(chat->messageId);
        QVERIFY(answer);
        QCOMPARE(answer->state, MessageState::Done);
        QCOMPARE(answer->generation->finishReason, FinishReason::Length);
        QCOMPARE(answer->content.toUtf8() + "\n", chat->out); // stored whole
    }

    // The other half of the rule: a writer that was killed is gone, and the next opener that
    // writes marks its answer interrupted (a reader leaves it be).
    void killedChatIsMarkedInterruptedByTheNextWriter()
    {
        PARLO_REQUIRE_TEST_FILE(model, kModel);
        QTemporaryDir dir;
        const QString db = dir.filePath("history.sqlite");
        std::optional<PausedChat> chat;
        int attempts = 0;
        while (attempts < 8 && !chat) {
            ++attempts;
            chat = startAndPauseChat(db, model);
        }
        if (!chat)
            QSKIP("the model answered too fast to be caught mid-answer 8 times in a row");
        qInfo("caught the answer mid-stream on attempt %d, after %lld bytes", attempts, qlonglong(chat->out.size()));
        chat->process->kill(); // SIGKILL, even while stopped
        QVERIFY(chat->process->waitForFinished(10000));

        const Run list = runCli({"history", "--db", db, "list"});
        QVERIFY2(list.exitCode == 0 && !list.err.contains("interrupted"), list.err.constData());
        HistoryStore store;
        auto report = store.open(db);
        QVERIFY(report.ok());
        QCOMPARE(report->interruptedMessages, 1);
        const Message *answer = store.conversation(chat->conversationId)->message(chat->messageId);
        QCOMPARE(answer->state, MessageState::Done);
        QCOMPARE(answer->generation->finishReason, FinishReason::Interrupted);
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
