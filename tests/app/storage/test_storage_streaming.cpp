// Streaming safety: throttled writes while an answer streams; another opener (in this process or
// beside a live writer process) leaves a live answer alone; a child process killed with SIGKILL
// mid-answer has its partial text come back marked "interrupted".
#include "storage/chat_recorder.h"
#include "storage/writer_token.h"
#include "storage_test_util.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

namespace {

// Counts the queued (streaming) writes and when they happened, on a fake clock.
class CountingAccess : public StoreAccess
{
public:
    CountingAccess(HistoryStore &store, const qint64 &clock) : m_store(store), m_clock(clock) {}
    void write(std::function<void(HistoryStore &)> job, bool wait) override
    {
        if (!wait)
            streamingWrites.append(m_clock);
        job(m_store);
    }
    QList<qint64> streamingWrites;

private:
    HistoryStore &m_store;
    const qint64 &m_clock;
};

// Reads the helper's lines until `flushes` more writes reached the database; a refused write
// fails the wait and is returned in `failure`.
bool waitForFlushes(QProcess &helper, int flushes, qint64 &conversationId, qint64 &messageId, qint64 &lastFlushed,
                    QString &failure)
{
    QElapsedTimer timer;
    timer.start();
    int seen = 0;
    while (seen < flushes && timer.elapsed() < 30000) {
        if (!helper.canReadLine() && !helper.waitForReadyRead(1000))
            continue;
        while (helper.canReadLine()) {
            const QString line = QString::fromUtf8(helper.readLine()).trimmed();
            const QStringList parts = line.split(' ');
            if (parts.size() == 4 && parts[0] == "conversation") {
                conversationId = parts[1].toLongLong();
                messageId = parts[3].toLongLong();
            } else if (parts.size() == 2 && parts[0] == "flushed") {
                ++seen;
                lastFlushed = parts[1].toLongLong();
            } else if (parts.value(0) == "failed") {
                failure = line;
                return false;
            }
        }
    }
    return seen >= flushes;
}

QString expectedStory(int words)
{
    QString text;
    for (int i = 0; i < words; ++i)
        text += QStringLiteral("word%1 ").arg(i);
    return text;
}

} // namespace

class TestStorageStreaming : public QObject
{
    Q_OBJECT

private slots:
    void throttleWritesAtMostEveryInterval()
    {
        qint64 now = 1000;
        WriteThrottle throttle(250, [&] { return now; });
        QVERIFY(!throttle.changed()); // the row was just written
        QVERIFY(throttle.hasPending());
        now += 249;
        QVERIFY(!throttle.changed());
        now += 1;
        QVERIFY(throttle.changed());
        throttle.written();
        QVERIFY(!throttle.hasPending());
        QVERIFY(!throttle.changed());
    }

    void streamingAnswerIsSavedEveryQuarterSecond()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY_OK(store.open(dir.filePath("h.sqlite")));
        qint64 now = 0;
        CountingAccess access(store, now);
        ChatRecorder recorder(&access);
        recorder.setThrottle(250, [&] { return now; });
        recorder.startNew({});
        recorder.addUserMessage("Tell me a story.");
        const qint64 id = recorder.beginAssistantMessage(sampleGeneration(FinishReason::None));
        QVERIFY(id > 0);
        QCOMPARE(store.conversation(recorder.conversation().id)->message(id)->state, MessageState::Streaming);

        // 400 pieces, one every 7 ms: 2.8 s of decoding.
        for (int i = 0; i < 400; ++i) {
            now += 7;
            recorder.appendStreamingText(id, QStringLiteral("word%1 ").arg(i));
            // What is on disk is never more than one interval behind.
            if (i % 50 == 49) {
                const QString saved = store.conversation(recorder.conversation().id)->message(id)->content;
                QVERIFY(expectedStory(i + 1).startsWith(saved));
                QVERIFY(saved.size() >= expectedStory(i + 1 - 250 / 7 - 1).size());
            }
        }
        QCOMPARE(access.streamingWrites.size(), 2800 / 252); // every 36 pieces × 7 ms
        for (int i = 1; i < access.streamingWrites.size(); ++i)
            QVERIFY(access.streamingWrites[i] - access.streamingWrites[i - 1] >= 250);

        recorder.finishMessage(id, sampleGeneration(FinishReason::User));
        const auto saved = store.conversation(recorder.conversation().id);
        QCOMPARE(saved->message(id)->content, expectedStory(400));
        QCOMPARE(saved->message(id)->state, MessageState::Done);
        QCOMPARE(saved->message(id)->generation->finishReason, FinishReason::User);
        QCOMPARE(saved->title, QString("Tell me a story."));
    }

    // Two stores in one process are two writers too: each holds its own token.
    void anotherOpenerLeavesALiveAnswerAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("h.sqlite");
        HistoryStore writer;
        QVERIFY_OK(writer.open(path));
        QVERIFY(!writer.writerId().isEmpty());
        QVERIFY(QFileInfo::exists(WriterToken::folderFor(path) + "/" + writer.writerId() + ".lock"));
        QVERIFY(WriterToken::isAlive(path, writer.writerId()));
        auto c = writer.createConversation({});
        QVERIFY_OK(c);
        auto user = writer.addMessage(c->id, 0, Role::User, "Hello?");
        QVERIFY_OK(user);
        auto answer = writer.beginAssistantMessage(c->id, user->id, sampleGeneration(FinishReason::None));
        QVERIFY_OK(answer);
        QVERIFY_OK(writer.updateStreamingContent(answer->id, "Hel"));

        {
            HistoryStore other; // the GUI, a second window, parlo-cli chat: it recovers on open
            auto report = other.open(path);
            QVERIFY_OK(report);
            QCOMPARE(report->interruptedMessages, 0);
            QCOMPARE(other.conversation(c->id)->message(answer->id)->state, MessageState::Streaming);
        }
        QVERIFY_OK(writer.updateStreamingContent(answer->id, "Hello there"));
        QVERIFY_OK(writer.finishMessage(answer->id, "Hello there.", sampleGeneration(FinishReason::Stop)));
        const QString token = writer.writerId();
        writer.close();
        QVERIFY(!WriterToken::isAlive(path, token));
        QVERIFY(!QFileInfo::exists(WriterToken::folderFor(path) + "/" + token + ".lock"));

        HistoryStore again;
        QCOMPARE(again.open(path)->interruptedMessages, 0);
        const Message *m = again.conversation(c->id)->message(answer->id);
        QCOMPARE(m->content, QString("Hello there."));
        QCOMPARE(m->generation->finishReason, FinishReason::Stop);
    }

    // A token id read from a hostile file never becomes a path outside the lock folder.
    void foreignTokenIdsCountAsGone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("h.sqlite");
        QVERIFY(!WriterToken::isAlive(path, "../../etc/passwd"));
        QVERIFY(!WriterToken::isAlive(path, ""));
        QVERIFY(!WriterToken::isAlive(path, "0b7c1a52-0c4e-4a8e-9d55-1e0f3a9b7c01")); // no such file
    }

    // The bug of issue 17: a second process opening the history while another one streams
    // marked the live answer interrupted, and the writer's next save failed.
    void liveWriterInAnotherProcessKeepsWritingThenKilledIsInterrupted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("h.sqlite");
        QProcess helper;
        helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        helper.start(PARLO_STREAM_HELPER, {path});
        QVERIFY2(helper.waitForStarted(10000), qPrintable(helper.errorString()));
        qint64 conversationId = 0, messageId = 0, lastFlushed = 0;
        QString failure;
        QVERIFY2(waitForFlushes(helper, 2, conversationId, messageId, lastFlushed, failure), qPrintable(failure));

        for (int round = 0; round < 3; ++round) {
            HistoryStore other;
            auto report = other.open(path);
            QVERIFY_OK(report);
            QCOMPARE(report->interruptedMessages, 0);
            auto c = other.conversation(conversationId);
            QVERIFY_OK(c);
            QCOMPARE(c->message(messageId)->state, MessageState::Streaming);
            other.close();
            // The writer goes on saving: none of its writes is refused.
            QVERIFY2(waitForFlushes(helper, 2, conversationId, messageId, lastFlushed, failure), qPrintable(failure));
        }

        helper.kill();
        QVERIFY(helper.waitForFinished(10000));
        HistoryStore store;
        auto report = store.open(path);
        QVERIFY_OK(report);
        QCOMPARE(report->interruptedMessages, 1);
        const Message *m = store.conversation(conversationId)->message(messageId);
        QCOMPARE(m->generation->finishReason, FinishReason::Interrupted);
        QVERIFY(m->content.size() >= lastFlushed);
        // The dead writer's lock file was cleared away; only ours is left.
        QCOMPARE(QDir(WriterToken::folderFor(path)).entryList(QDir::Files | QDir::Hidden),
                 QStringList{store.writerId() + ".lock"});
    }

    void killedMidAnswerKeepsPartialTextAsInterrupted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("h.sqlite");
        QProcess helper;
        helper.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        helper.start(PARLO_STREAM_HELPER, {path});
        QVERIFY2(helper.waitForStarted(10000), qPrintable(helper.errorString()));

        qint64 conversationId = 0;
        qint64 messageId = 0;
        int flushes = 0;
        qint64 lastFlushed = 0;
        QElapsedTimer timer;
        timer.start();
        while (flushes < 3 && timer.elapsed() < 30000) {
            if (!helper.canReadLine() && !helper.waitForReadyRead(1000))
                continue;
            while (helper.canReadLine()) {
                const QString line = QString::fromUtf8(helper.readLine()).trimmed();
                const QStringList parts = line.split(' ');
                if (parts.size() == 4 && parts[0] == "conversation") {
                    conversationId = parts[1].toLongLong();
                    messageId = parts[3].toLongLong();
                } else if (parts.size() == 2 && parts[0] == "flushed") {
                    ++flushes;
                    lastFlushed = parts[1].toLongLong();
                }
            }
        }
        QVERIFY2(flushes >= 3, "the helper should have saved the answer a few times");
        helper.kill(); // SIGKILL: no destructor, no final write
        QVERIFY(helper.waitForFinished(10000));
        QCOMPARE(helper.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFileInfo::exists(path + "-wal")); // it died holding the WAL open

        HistoryStore store;
        auto report = store.open(path);
        QVERIFY_OK(report);
        QCOMPARE(report->interruptedMessages, 1);
        QVERIFY2(report->notices.join(' ').contains("interrupted"), qPrintable(report->notices.join(' ')));
        auto c = store.conversation(conversationId);
        QVERIFY_OK(c);
        const Message *m = c->message(messageId);
        QVERIFY(m);
        QCOMPARE(m->state, MessageState::Done);
        QVERIFY(m->generation.has_value());
        QCOMPARE(m->generation->finishReason, FinishReason::Interrupted);
        QCOMPARE(m->generation->modelFile, QString("stories260K-Q8_0.gguf"));
        QCOMPARE(m->generation->seed, std::optional<qint64>(99));
        QVERIFY2(m->content.size() >= lastFlushed,
                 qPrintable(QString("%1 < %2").arg(m->content.size()).arg(lastFlushed)));
        QVERIFY(m->content.endsWith(' '));
        QVERIFY(expectedStory(20000).startsWith(m->content));
        QCOMPARE(c->activePath().size(), 2);
        QCOMPARE(c->activePath().last()->id, messageId);

        // Recovery happens once.
        store.close();
        HistoryStore again;
        QCOMPARE(again.open(path)->interruptedMessages, 0);
    }
};

QTEST_GUILESS_MAIN(TestStorageStreaming)
#include "test_storage_streaming.moc"
