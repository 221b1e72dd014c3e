// Migrations: a test per forward step, each opening a fixture database of the previous version
// built by raw SQL, as an older Parlo left it.
#include "storage/schema.h"
#include "storage_test_util.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

class TestStorageSchema : public QObject
{
    Q_OBJECT

private slots:
    void freshFileGetsEveryStep()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("h.sqlite");
        HistoryStore store;
        auto report = store.open(path);
        QVERIFY_OK(report);
        QCOMPARE(report->previousVersion, 0);
        QCOMPARE(report->schemaVersion, schema::kCurrentVersion);
        store.close();
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(schema::kCurrentVersion));
        QCOMPARE(rawInt(path, "SELECT count(*) FROM sqlite_master WHERE name = 'messages_fts'"), qint64(1));
        // WAL persists in the file header.
        QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
                 qint64(1));
    }

    // v1 → v2: the model name moves into a generation row, the newest child becomes the
    // remembered branch, the model column goes. v2 → v3 then indexes the old text.
    void upgradesVersion1()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v1.sqlite");
        QVERIFY(buildFixture("history-v1.sql", path));
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(1));

        HistoryStore store;
        auto report = store.open(path);
        QVERIFY_OK(report);
        QCOMPARE(report->previousVersion, 1);
        QCOMPARE(report->schemaVersion, schema::kCurrentVersion);

        auto c = store.conversation(1);
        QVERIFY_OK(c);
        QCOMPARE(c->title, QString("Lisbon trip in May"));
        QCOMPARE(c->folderName, QString("Travel"));
        QCOMPARE(c->systemPrompt, QString("You are a travel agent."));
        QCOMPARE(c->sampling.value("top_k").toInt(), 40);
        QCOMPARE(c->messages.size(), 4);
        const auto path1 = c->activePath();
        QCOMPARE(path1.size(), 3);
        QCOMPARE(path1[1]->id, qint64(3)); // newest regeneration, as version 1 showed it
        QCOMPARE(path1[2]->content, QString("And where to eat on day two?"));
        QVERIFY(path1[1]->generation.has_value());
        QCOMPARE(path1[1]->generation->modelFile, QString("stories260K-Q8_0.gguf"));
        QCOMPARE(path1[1]->generation->finishReason, FinishReason::None);
        QVERIFY(!c->message(1)->generation.has_value()); // user messages have none
        QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'model'"),
                 qint64(0));

        auto hits = store.search("tram");
        QVERIFY_OK(hits);
        QCOMPARE(hits->size(), 2);
        auto list = store.listConversations();
        QVERIFY_OK(list);
        QCOMPARE(list->first().id, qint64(2)); // pinned first
    }

    // v2 → v3: full-text indexes over existing rows; the answer left streaming is recovered.
    void upgradesVersion2()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v2.sqlite");
        QVERIFY(buildFixture("history-v2.sql", path));
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(2));

        HistoryStore store;
        auto report = store.open(path);
        QVERIFY_OK(report);
        QCOMPARE(report->previousVersion, 2);
        QCOMPARE(report->interruptedMessages, 1);

        auto c = store.conversation(1);
        QVERIFY_OK(c);
        const auto shown = c->activePath();
        QCOMPARE(shown.size(), 2); // the remembered branch (message 2), not the newest
        QCOMPARE(shown[1]->id, qint64(2));
        const Message *cut = c->message(7);
        QVERIFY(cut);
        QCOMPARE(cut->state, MessageState::Done);
        QCOMPARE(cut->content, QString("On day two, eat grilled sardines in"));
        QCOMPARE(cut->generation->finishReason, FinishReason::Interrupted);
        QCOMPARE(cut->generation->device, QString("Vulkan: llvmpipe"));
        const Message *full = c->message(3);
        QCOMPARE(full->generation->seed, std::optional<qint64>(42));
        QCOMPARE(full->generation->decodeTokensPerSecond, std::optional<double>(210.5));

        auto hits = store.search("sardines");
        QVERIFY_OK(hits);
        QCOMPARE(hits->size(), 1);
        QCOMPARE(hits->first().messageId, qint64(7));
        auto titles = store.search("quarterly");
        QVERIFY_OK(titles);
        QVERIFY(
            std::any_of(titles->begin(), titles->end(), [](const SearchHit &h) { return h.messageId == 0; }));
    }

    // v3 → v4: messages get the writer column. The answer a pre-token Parlo left streaming has
    // no writer, so it counts as abandoned and is recovered, as before.
    void upgradesVersion3()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v3.sqlite");
        QVERIFY(buildFixture("history-v3.sql", path));
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(3));
        QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'writer'"), qint64(0));

        HistoryStore store;
        auto report = store.open(path);
        QVERIFY_OK(report);
        QCOMPARE(report->previousVersion, 3);
        QCOMPARE(report->schemaVersion, 4);
        QCOMPARE(report->interruptedMessages, 1);
        const Message *cut = store.conversation(1)->message(7);
        QCOMPARE(cut->generation->finishReason, FinishReason::Interrupted);
        QCOMPARE(cut->content, QString("On day two, eat grilled sardines in"));

        // New answers record their writer.
        auto answer = store.beginAssistantMessage(1, 4, sampleGeneration(FinishReason::None));
        QVERIFY_OK(answer);
        store.close();
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(4));
        QCOMPARE(rawInt(path, QStringLiteral("SELECT length(writer) FROM messages WHERE id = %1").arg(answer->id)),
                 qint64(36));
    }

    // A read-only open of an old file upgrades a copy in memory and leaves the file as it was.
    void readOnlyOpenOfAnOldFileChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v1.sqlite");
        QVERIFY(buildFixture("history-v1.sql", path));
        const QByteArray before = fileBytes(path);
        HistoryStore store;
        OpenOptions options;
        options.readOnly = true;
        options.create = false;
        auto report = store.open(path, options);
        QVERIFY_OK(report);
        QCOMPARE(report->previousVersion, 1);
        QCOMPARE(report->schemaVersion, schema::kCurrentVersion);
        auto list = store.listConversations();
        QVERIFY_OK(list);
        QVERIFY(!list->isEmpty());
        QVERIFY(!store.addMessage(1, 0, Role::User, "no").ok()); // query_only
        store.close();
        QCOMPARE(fileBytes(path), before);
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(1));
    }

    // A step that fails leaves the file at the version before it: each step is one transaction.
    void failedStepRollsBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("v1-bad.sqlite");
        QVERIFY(buildFixture("history-v1.sql", path));
        // Something an old build or a user left behind, which step 2 cannot create over.
        QCOMPARE(rawExec(path, "CREATE TABLE generations(x)"), QString());
        HistoryStore store;
        auto report = store.open(path);
        QVERIFY(!report.ok());
        QVERIFY2(report.error().message.contains("version 2"), qPrintable(report.error().message));
        store.close();
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(1));
        QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'model'"),
                 qint64(1));
        QCOMPARE(rawInt(path, "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'state'"),
                 qint64(0));
        QCOMPARE(rawInt(path, "SELECT count(*) FROM messages"), qint64(6));
    }

    void newerVersionIsRefusedAndUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("future.sqlite");
        {
            HistoryStore store;
            QVERIFY_OK(store.open(path));
            QVERIFY(addSampleConversation(store, "the future") > 0);
        }
        QCOMPARE(rawExec(path, "PRAGMA user_version = 99"), QString());
        const QByteArray before = fileBytes(path);
        QVERIFY(!before.isEmpty());

        HistoryStore store;
        auto report = store.open(path);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().kind, ErrorKind::TooNew);
        QVERIFY2(report.error().message.contains("newer version of Parlo"),
                 qPrintable(report.error().message));
        QVERIFY(report.error().message.contains("99"));
        QVERIFY(!store.isOpen());
        QCOMPARE(fileBytes(path), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"future.sqlite"}); // nothing set aside
    }
};

QTEST_GUILESS_MAIN(TestStorageSchema)
#include "test_storage_schema.moc"
