// SqliteConversationRepository: what the chat controllers do, persisted and read back from a
// fresh repository on the same file: streaming answers, branches, pin/rename/delete, search,
// an answer's full generation record, an answer cut off by a crash, and a damaged file set
// aside with a notice. Writes run on the store's thread: a database locked by another process
// does not hold up the caller, and destroying the repository still writes everything queued.
#include "chat/sqlite_conversation_repository.h"

#include <QDir>
#include <QMutex>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sqlite3.h>
#include <thread>

using namespace parlo::app;
using parlo::storage::FinishReason;

namespace {

// One text value read with the raw C API on `db` (another process's view of the file).
QString rawText(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    QString value = QStringLiteral("<no row>");
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    return value;
}

// Another connection holding the database's write lock, as a second Parlo or a backup tool
// in the middle of a transaction would.
class WriteLock
{
public:
    explicit WriteLock(const QString &path)
    {
        if (sqlite3_open(path.toUtf8().constData(), &m_db) == SQLITE_OK)
            m_held = sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    ~WriteLock()
    {
        release();
        sqlite3_close(m_db);
    }
    bool held() const { return m_held; }
    sqlite3 *db() const { return m_db; }
    void release()
    {
        if (std::exchange(m_held, false))
            sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    }

private:
    sqlite3 *m_db = nullptr;
    bool m_held = false;
};

} // namespace

class TestSqliteRepository : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static StoredMessage makeMessage(qint64 conversation, qint64 parent, const QString &role, const QString &text,
                                     bool complete = true)
    {
        StoredMessage m;
        m.conversationId = conversation;
        m.parentId = parent;
        m.role = role;
        m.content = text;
        m.complete = complete;
        return m;
    }

private slots:
    void conversationRoundTrip()
    {
        const QString path = m_dir.filePath("round-trip.sqlite");
        qint64 id = 0, user = 0, first = 0, second = 0;
        {
            SqliteConversationRepository repo;
            QVERIFY(repo.open(path).ok());
            id = repo.createConversation("Birds");
            QVERIFY(id > 0);
            QVERIFY(repo.setSystemPrompt(id, "Be brief."));
            user = repo.addMessage(makeMessage(id, 0, "user", "Why do starlings murmurate?"));
            QVERIFY(user > 0);
            StoredMessage answer = makeMessage(id, user, "assistant", {}, false);
            answer.generation.modelFile = "stories260K-F32.gguf";
            first = repo.addMessage(answer);
            QVERIFY(first > 0);
            answer.id = first;
            answer.content = "To confuse";
            QVERIFY(repo.updateMessage(answer)); // a streaming flush
            QCOMPARE(repo.message(first)->content, QStringLiteral("To confuse"));
            QVERIFY(!repo.message(first)->complete);
            answer.content = "To confuse falcons.";
            answer.complete = true;
            answer.generation.finishReason = parlo::storage::FinishReason::Stop;
            answer.generation.generatedTokens = 5;
            answer.generation.decodeTokensPerSecond = 40;
            QVERIFY(repo.updateMessage(answer));
            // A regenerated answer: a sibling, then the first one shown again.
            StoredMessage again = makeMessage(id, user, "assistant", {}, false);
            second = repo.addMessage(again);
            again.id = second;
            again.content = "Safety in numbers.";
            again.complete = false;
            again.generation.finishReason = parlo::storage::FinishReason::User;
            QVERIFY(repo.updateMessage(again));
            QVERIFY(repo.setCurrentLeaf(id, first));
            QVERIFY(repo.setPinned(id, true));
            QVERIFY(repo.renameConversation(id, "Starlings"));
            QVERIFY(repo.takeNotices().isEmpty());
        }
        SqliteConversationRepository repo;
        QVERIFY(repo.open(path).ok());
        const auto c = repo.conversation(id);
        QVERIFY(c.has_value());
        QCOMPARE(c->title, QStringLiteral("Starlings"));
        QVERIFY(c->pinned);
        QCOMPARE(c->systemPrompt, QStringLiteral("Be brief."));
        QCOMPARE(c->currentLeafId, first);
        const QList<StoredMessage> all = repo.messages(id);
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[0].id, user);
        QCOMPARE(all[1].content, QStringLiteral("To confuse falcons."));
        QVERIFY(all[1].complete);
        QCOMPARE(all[1].generation.finishReason, parlo::storage::FinishReason::Stop);
        QCOMPARE(all[1].generation.generatedTokens, 5);
        QCOMPARE(all[1].generation.modelFile, QStringLiteral("stories260K-F32.gguf"));
        QCOMPARE(all[2].parentId, user);
        QVERIFY(!all[2].complete);
        QCOMPARE(all[2].generation.finishReason, parlo::storage::FinishReason::User);
        QVERIFY(repo.setCurrentLeaf(id, second));
        QCOMPARE(repo.conversation(id)->currentLeafId, second);

        const QList<SearchHit> hits = repo.search("falcons");
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits[0].conversationId, id);
        QCOMPARE(hits[0].messageId, first);
        QVERIFY2(hits[0].snippet.contains("[falcons]"), qPrintable(hits[0].snippet));
        QVERIFY(repo.search("\"unbalanced").isEmpty()); // FTS syntax from the user never throws

        const qint64 other = repo.createConversation("Other");
        QCOMPARE(repo.conversations().size(), 2);
        QVERIFY(repo.deleteConversation(other));
        QCOMPARE(repo.conversations().size(), 1);
        QVERIFY(!repo.conversation(other).has_value());
    }

    void answerKeepsItsGenerationRecord()
    {
        const QString path = m_dir.filePath("record.sqlite");
        parlo::storage::GenerationInfo info;
        info.modelFile = "stories260K-F32.gguf";
        info.modelSha256 = "0123456789abcdef";
        info.quantization = "F32";
        info.device = "Vulkan: llvmpipe";
        info.sampler = QJsonObject{{"temperature", 0.3}, {"top_k", 12}, {"top_p", 0.9}, {"min_p", 0.02},
                                   {"repeat_penalty", 1.2}, {"max_tokens", 64}, {"context_length", 1024}};
        info.seed = 4242;
        qint64 answerId = 0, id = 0;
        {
            SqliteConversationRepository repo;
            QVERIFY(repo.open(path).ok());
            id = repo.createConversation("Record");
            const qint64 user = repo.addMessage(makeMessage(id, 0, "user", "Hi"));
            StoredMessage answer = makeMessage(id, user, "assistant", {}, false);
            answer.generation = info; // what is known before the first token
            answerId = answer.id = repo.addMessage(answer);
            info.promptTokens = 9;
            info.generatedTokens = 3;
            info.timeToFirstTokenMs = 4.5;
            info.prefillTokensPerSecond = 2000;
            info.decodeTokensPerSecond = 650;
            info.finishReason = FinishReason::Error;
            info.errorMessage = "the device was lost";
            answer.generation = info;
            answer.content = "Hello th";
            QVERIFY(repo.updateMessage(answer));
            QCOMPARE(repo.message(answerId)->generation, info); // the cache, before the write ran
        }
        SqliteConversationRepository repo;
        QVERIFY(repo.open(path).ok());
        const QList<StoredMessage> all = repo.messages(id);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[1].generation, info);
        QVERIFY(!all[1].complete);
    }

    void writesDoNotWaitForALockedDatabase()
    {
        const QString path = m_dir.filePath("locked.sqlite");
        SqliteConversationRepository repo;
        parlo::storage::OpenOptions options;
        options.busyTimeoutMs = 30000; // a caller that waited for the lock would wait this long
        QVERIFY(repo.open(path, options).ok());
        const qint64 id = repo.createConversation("Locked");
        const qint64 user = repo.addMessage(makeMessage(id, 0, "user", "Hold on."));
        StoredMessage answer = makeMessage(id, user, "assistant", {}, false);
        answer.id = repo.addMessage(answer);
        QVERIFY(answer.id > 0);
        QMutex mutex;
        QSet<QThread *> writers;
        QObject::connect(
            repo.service(), &parlo::storage::HistoryService::changed, repo.service(),
            [&] {
                QMutexLocker lock(&mutex);
                writers.insert(QThread::currentThread());
            },
            Qt::DirectConnection);

        WriteLock other(path);
        QVERIFY(other.held());
        QElapsedTimer timer;
        timer.start();
        // What ChatController does while an answer streams and when it ends; each returns at
        // once although no write can reach the file until the lock goes.
        for (const char *text : {"Still", "Still here", "Still here,"}) {
            answer.content = QString::fromUtf8(text);
            QVERIFY(repo.updateMessage(answer));
        }
        answer.content = "Still here, done.";
        answer.complete = true;
        answer.generation.finishReason = FinishReason::Stop;
        answer.generation.generatedTokens = 4;
        QVERIFY(repo.updateMessage(answer));
        QVERIFY(repo.setCurrentLeaf(id, answer.id));
        QVERIFY(repo.setPinned(id, true));
        QVERIFY(repo.renameConversation(id, "Unlocked"));
        QVERIFY(repo.setSystemPrompt(id, "Be patient."));
        // The window reads back what it wrote from the cache, without waiting either.
        QCOMPARE(repo.message(answer.id)->content, QStringLiteral("Still here, done."));
        QVERIFY(repo.message(answer.id)->complete);
        QCOMPARE(repo.conversation(id)->title, QStringLiteral("Unlocked"));
        QVERIFY(repo.conversation(id)->pinned);
        QCOMPARE(repo.conversation(id)->systemPrompt, QStringLiteral("Be patient."));
        QCOMPARE(repo.conversation(id)->currentLeafId, answer.id);
        const qint64 elapsed = timer.elapsed();
        // Still locked, so nothing has landed: the calls above returned before the lock went.
        QCOMPARE(rawText(other.db(), "SELECT content FROM messages ORDER BY id DESC LIMIT 1"), QString());
        QVERIFY2(elapsed < options.busyTimeoutMs, qPrintable(QString::number(elapsed)));

        other.release();
        repo.waitForWrites();
        QVERIFY(repo.takeNotices().isEmpty());
        QCOMPARE(rawText(other.db(), "SELECT content || '|' || state FROM messages ORDER BY id DESC LIMIT 1"),
                 QStringLiteral("Still here, done.|done"));
        QCOMPARE(rawText(other.db(), "SELECT title || '|' || pinned || '|' || system_prompt FROM conversations"),
                 QStringLiteral("Unlocked|1|Be patient."));
        QMutexLocker lock(&mutex);
        QCOMPARE(writers.size(), 1);
        QVERIFY(!writers.contains(QThread::currentThread()));
    }

    void destroyingWritesWhatIsQueued()
    {
        const QString path = m_dir.filePath("shutdown.sqlite");
        auto repo = std::make_unique<SqliteConversationRepository>();
        QVERIFY(repo->open(path).ok());
        const qint64 id = repo->createConversation("Last words");
        const qint64 user = repo->addMessage(makeMessage(id, 0, "user", "Say goodbye."));
        StoredMessage answer = makeMessage(id, user, "assistant", {}, false);
        answer.id = repo->addMessage(answer);
        WriteLock lock(path);
        QVERIFY(lock.held());
        for (int i = 0; i < 50; ++i) {
            answer.content += QStringLiteral("bye ");
            QVERIFY(repo->updateMessage(answer));
        }
        answer.generation.finishReason = FinishReason::Stop;
        answer.generation.seed = 7;
        QVERIFY(repo->updateMessage(answer));
        // The app quits while every write is still queued behind the lock; the lock goes a
        // little later, while the repository's destructor waits.
        std::thread releaser([&lock] {
            QThread::msleep(200);
            lock.release();
        });
        repo.reset();
        releaser.join();

        SqliteConversationRepository reopened;
        QVERIFY(reopened.open(path).ok());
        QVERIFY(reopened.takeNotices().isEmpty()); // nothing was left streaming
        const QList<StoredMessage> all = reopened.messages(id);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[1].id, answer.id);
        QCOMPARE(all[1].content, answer.content);
        QCOMPARE(all[1].generation.finishReason, FinishReason::Stop);
        QCOMPARE(all[1].generation.seed, 7);
    }

    void crashMidAnswerIsInterrupted()
    {
        const QString path = m_dir.filePath("crash.sqlite");
        qint64 id = 0, answer = 0;
        {
            SqliteConversationRepository repo;
            QVERIFY(repo.open(path).ok());
            id = repo.createConversation("Cut off");
            const qint64 user = repo.addMessage(makeMessage(id, 0, "user", "Count to ten."));
            StoredMessage a = makeMessage(id, user, "assistant", "One, two", false);
            answer = repo.addMessage(a);
            // Gone without a final update, as after kill -9.
        }
        SqliteConversationRepository repo;
        QVERIFY(repo.open(path).ok());
        QVERIFY(!repo.takeNotices().isEmpty());
        const auto m = repo.message(answer);
        QVERIFY(!m.has_value() || m->content == QStringLiteral("One, two"));
        const QList<StoredMessage> all = repo.messages(id);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[1].content, QStringLiteral("One, two"));
        QCOMPARE(all[1].generation.finishReason, parlo::storage::FinishReason::Interrupted);
        QVERIFY(!all[1].complete);
    }

    void damagedFileIsSetAside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("history.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("SQLite format 3") + QByteArray(4096, '\x7f'));
        f.close();
        SqliteConversationRepository repo;
        auto opened = repo.open(path);
        QVERIFY(opened.ok());
        QVERIFY(!opened->corruptCopyPath.isEmpty());
        QVERIFY(!repo.takeNotices().isEmpty());
        QCOMPARE(QDir(dir.path()).entryList({"history.sqlite.corrupt-*"}).size(), 1);
        QVERIFY(repo.createConversation("Fresh") > 0);
    }
};

QTEST_GUILESS_MAIN(TestSqliteRepository)
#include "test_sqlite_repository.moc"
