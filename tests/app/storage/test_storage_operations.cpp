// Conversations, folders and the message tree: every operation, through HistoryStore.
#include "storage_test_util.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

class TestStorageOperations : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    HistoryStore m_store;

private slots:
    void init()
    {
        QFile::remove(m_dir.filePath("h.sqlite"));
        QVERIFY_OK(m_store.open(m_dir.filePath("h.sqlite")));
    }
    void cleanup() { m_store.close(); }

    void createRenameAndAutoTitle()
    {
        auto c = m_store.createConversation();
        QVERIFY_OK(c);
        QVERIFY(c->id > 0);
        QVERIFY(c->titleIsAuto);
        QVERIFY(!c->uuid.isEmpty());
        auto u = m_store.addMessage(c->id, 0, Role::User,
                                    "\n  Plan a three-day trip to Lisbon in May with trams, "
                                    "bakeries and a day at the beach\nDetails: two adults");
        QVERIFY_OK(u);
        auto titled = m_store.conversation(c->id);
        QCOMPARE(titled->title, QString("Plan a three-day trip to Lisbon in May with trams, bakeries…"));
        // Only the first user message names the conversation.
        QVERIFY_OK(m_store.addMessage(c->id, u->id, Role::User, "Something else"));
        QCOMPARE(m_store.conversation(c->id)->title, titled->title);

        QVERIFY_OK(m_store.renameConversation(c->id, "  Lisbon   plans "));
        auto renamed = m_store.conversation(c->id);
        QCOMPARE(renamed->title, QString("Lisbon plans"));
        QVERIFY(!renamed->titleIsAuto);
        QCOMPARE(m_store.renameConversation(9999, "x").error().kind, ErrorKind::NotFound);

        // A user-chosen title is never replaced.
        NewConversation named;
        named.title = "Mine";
        auto c2 = m_store.createConversation(named);
        QVERIFY_OK(m_store.addMessage(c2->id, 0, Role::User, "hello"));
        QCOMPARE(m_store.conversation(c2->id)->title, QString("Mine"));
    }

    void autoTitleEdgeCases()
    {
        QCOMPARE(autoTitle("   \n\t "), QString("New conversation"));
        QCOMPARE(autoTitle("short"), QString("short"));
        const QString longWord(100, QChar('x'));
        QCOMPARE(autoTitle(longWord).size(), 61); // 60 characters and an ellipsis
        // A cut never splits a surrogate pair (emoji).
        QString emoji;
        for (int i = 0; i < 40; ++i)
            emoji += QString::fromUtf8("😀");
        const QString t = autoTitle(emoji);
        QVERIFY(!t.chopped(1).back().isHighSurrogate());
    }

    void settingsAndGenerationMetadataPersist()
    {
        NewConversation settings;
        settings.systemPrompt = "Be brief.";
        settings.model = "m.gguf";
        settings.sampling = QJsonObject{{"temperature", 0.25}, {"top_p", 0.9}};
        auto c = m_store.createConversation(settings);
        QVERIFY_OK(c);
        QCOMPARE(c->sampling, settings.sampling);
        QVERIFY_OK(
            m_store.setConversationSettings(c->id, "Be verbose.", "n.gguf", QJsonObject{{"min_p", 0.1}}));
        auto u = m_store.addMessage(c->id, 0, Role::User, "hi");
        auto a = m_store.beginAssistantMessage(c->id, u->id, sampleGeneration(FinishReason::None));
        QVERIFY_OK(a);
        QCOMPARE(a->state, MessageState::Streaming);
        QVERIFY_OK(m_store.finishMessage(a->id, "hello there", sampleGeneration(FinishReason::Length)));
        auto loaded = m_store.conversation(c->id);
        QVERIFY_OK(loaded);
        QCOMPARE(loaded->systemPrompt, QString("Be verbose."));
        QCOMPARE(loaded->model, QString("n.gguf"));
        QCOMPARE(loaded->sampling.value("min_p").toDouble(), 0.1);
        const Message *m = loaded->message(a->id);
        QCOMPARE(m->content, QString("hello there"));
        QCOMPARE(m->state, MessageState::Done);
        QCOMPARE(*m->generation, sampleGeneration(FinishReason::Length));
        // Streaming updates only apply while streaming.
        QCOMPARE(m_store.updateStreamingContent(a->id, "late").error().kind, ErrorKind::NotFound);
    }

    void listPinnedFirstThenNewest()
    {
        QList<qint64> ids;
        for (int i = 0; i < 4; ++i) {
            NewConversation s;
            s.title = QString("c%1").arg(i);
            ids.append(m_store.createConversation(s)->id);
            QTest::qWait(2); // distinct updated_at
        }
        QVERIFY_OK(m_store.setPinned(ids[1], true));
        QVERIFY_OK(m_store.addMessage(ids[0], 0, Role::User, "bump")); // c0 becomes the newest
        auto list = m_store.listConversations();
        QVERIFY_OK(list);
        QList<qint64> order;
        for (const auto &c : *list)
            order.append(c.id);
        QCOMPARE(order, (QList<qint64>{ids[1], ids[0], ids[3], ids[2]}));
        QVERIFY(list->first().pinned);
        QCOMPARE((*list)[1].messageCount, qint64(1));
        ListQuery page;
        page.limit = 2;
        page.offset = 2;
        QCOMPARE(m_store.listConversations(page)->size(), 2);
        QCOMPARE(m_store.conversationCount().value(), qint64(4));
    }

    void foldersMoveAndDelete()
    {
        auto work = m_store.createFolder(" Work ");
        QVERIFY_OK(work);
        QCOMPARE(work->name, QString("Work"));
        QCOMPARE(m_store.createFolder("  ").error().kind, ErrorKind::InvalidInput);
        auto c = m_store.createConversation();
        auto other = m_store.createConversation();
        QVERIFY_OK(m_store.moveToFolder(c->id, work->id));
        QCOMPARE(m_store.conversation(c->id)->folderName, QString("Work"));
        QCOMPARE(m_store.moveToFolder(c->id, 777).error().kind, ErrorKind::NotFound);
        ListQuery inWork;
        inWork.folderId = work->id;
        QCOMPARE(m_store.listConversations(inWork)->size(), 1);
        ListQuery loose;
        loose.folderId = 0;
        QCOMPARE(m_store.listConversations(loose)->first().id, other->id);
        QVERIFY_OK(m_store.renameFolder(work->id, "Job"));
        QCOMPARE(m_store.folders()->first().name, QString("Job"));
        QVERIFY_OK(m_store.deleteFolder(work->id));
        QVERIFY(m_store.folders()->isEmpty());
        auto kept = m_store.conversation(c->id); // the conversation stays, in no folder
        QVERIFY_OK(kept);
        QCOMPARE(kept->folderId, qint64(0));
    }

    void branchesAreSiblingsAndTheActiveOneIsRemembered()
    {
        const qint64 id = addSampleConversation(m_store, "owls");
        QVERIFY(id > 0);
        auto c = m_store.conversation(id);
        QCOMPARE(c->messages.size(), 5);
        auto path = c->activePath();
        QCOMPARE(path.size(), 4);
        const qint64 firstAnswer = c->children(path[0]->id).first()->id;
        QCOMPARE(c->siblings(path[1]->id).size(), 2);
        QVERIFY(path[1]->id != firstAnswer); // the regeneration is shown

        const qint64 root = path[0]->id;
        QVERIFY_OK(m_store.switchToBranch(firstAnswer));
        c = m_store.conversation(id);
        path = c->activePath();
        QCOMPARE(path.size(), 2);
        QCOMPARE(path[1]->id, firstAnswer);

        // Editing the first user message: a new root sibling, shown; the old branch stays.
        auto edit = m_store.branchFrom(root, "Tell me about cats.");
        QVERIFY_OK(edit);
        c = m_store.conversation(id);
        QCOMPARE(c->activePath().size(), 1);
        QCOMPARE(c->children(0).size(), 2);
        QVERIFY_OK(m_store.switchToBranch(root));
        c = m_store.conversation(id);
        QCOMPARE(c->activePath().size(), 2); // and below it, the branch chosen before
        QCOMPARE(c->activePath()[1]->id, firstAnswer);

        // Parents must be in the same conversation.
        const qint64 other = m_store.createConversation()->id;
        QCOMPARE(m_store.addMessage(other, firstAnswer, Role::User, "x").error().kind,
                 ErrorKind::InvalidInput);
        QCOMPARE(m_store.switchToBranch(424242).error().kind, ErrorKind::NotFound);
    }

    void deleteSubtreeAndConversation()
    {
        const qint64 id = addSampleConversation(m_store, "bees");
        auto c = m_store.conversation(id);
        const auto path = c->activePath();
        const qint64 shownAnswer = path[1]->id;
        QVERIFY_OK(m_store.deleteMessageSubtree(shownAnswer));
        c = m_store.conversation(id);
        QCOMPARE(c->messages.size(), 2); // the root and the other answer
        QCOMPARE(c->activePath().size(), 2);
        QVERIFY(c->activePath()[1]->id != shownAnswer);
        QCOMPARE(m_store.search("details").value().size(), 0); // gone from the index too
        QCOMPARE(rawInt(m_store.path(), "SELECT count(*) FROM generations"), qint64(0));

        QVERIFY_OK(m_store.deleteConversation(id));
        QCOMPARE(m_store.conversation(id).error().kind, ErrorKind::NotFound);
        QCOMPARE(rawInt(m_store.path(), "SELECT count(*) FROM messages"), qint64(0));
        QCOMPARE(m_store.deleteConversation(id).error().kind, ErrorKind::NotFound);
    }

    // A thread thousands of messages deep deletes in one statement (no trigger-depth limit).
    void deepThreadDeletes()
    {
        Conversation deep; // built in memory and imported: one transaction instead of 1,500
        deep.uuid = "deep-thread";
        deep.createdAt = deep.updatedAt = QDateTime::currentDateTimeUtc();
        for (int i = 1; i <= 1500; ++i) {
            Message m;
            m.id = i;
            m.parentId = i - 1;
            m.role = i % 2 ? Role::User : Role::Assistant;
            m.content = QString("m%1").arg(i);
            m.createdAt = deep.createdAt;
            deep.messages.append(m);
        }
        auto imported = m_store.importConversations({deep});
        QVERIFY_OK(imported);
        const qint64 id = imported->conversationIds.first();
        auto c = m_store.conversation(id);
        QCOMPARE(c->activePath().size(), 1500);
        QVERIFY_OK(m_store.deleteMessageSubtree(c->messages.first().id));
        QCOMPARE(m_store.conversation(id)->messages.size(), 0);
        QCOMPARE(m_store.conversation(id)->activeRootId, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestStorageOperations)
#include "test_storage_operations.moc"
