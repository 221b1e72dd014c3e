// SqliteConversationRepository: what the chat controllers do, persisted and read back from a
// fresh repository on the same file: streaming answers, branches, pin/rename/delete, search,
// an answer cut off by a crash, and a damaged file set aside with a notice.
#include "chat/sqlite_conversation_repository.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::app;

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
