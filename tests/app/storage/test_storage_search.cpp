// Full-text search: ranking, snippets, titles, index kept in sync, and hostile queries.
#include "storage_test_util.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

class TestStorageSearch : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    HistoryStore m_store;
    qint64 m_garden = 0;
    qint64 m_recipes = 0;

    qint64 conversationWith(const QString &title, const QStringList &texts)
    {
        NewConversation s;
        s.title = title;
        const qint64 id = m_store.createConversation(s)->id;
        qint64 parent = 0;
        for (int i = 0; i < texts.size(); ++i)
            parent = m_store.addMessage(id, parent, i % 2 ? Role::Assistant : Role::User, texts[i])->id;
        return id;
    }

private slots:
    void initTestCase()
    {
        QVERIFY_OK(m_store.open(m_dir.filePath("h.sqlite")));
        m_garden = conversationWith("Garden planning",
                                    {"Which tomatoes grow well on a balcony?",
                                     "Cherry tomatoes and tomatoes such as Tumbling Tom: tomatoes love sun.",
                                     "And basil?"});
        m_recipes = conversationWith(
            "Dinner ideas", {"A quick recipe with tomatoes, please. Something with a lot of garlic, olive "
                             "oil, some pasta water and fresh herbs from the market.",
                             "Try pasta al pomodoro.", "Crème brûlée for dessert?"});
    }

    void ranksDenserMatchesFirst()
    {
        auto hits = m_store.search("tomatoes");
        QVERIFY_OK(hits);
        QCOMPARE(hits->size(), 3);
        // bm25: the answer that says "tomatoes" three times in one short text ranks first.
        QVERIFY2(hits->first().snippet.count(SearchHit::kMatchStart) == 3, qPrintable(hits->first().snippet));
        QCOMPARE(hits->first().conversationId, m_garden);
        QCOMPARE(hits->first().role, Role::Assistant);
        QCOMPARE(hits->first().conversationTitle, QString("Garden planning"));
        for (int i = 1; i < hits->size(); ++i)
            QVERIFY((*hits)[i - 1].rank <= (*hits)[i].rank);
    }

    void snippetsHighlightMatches()
    {
        auto hits = m_store.search("garlic");
        QVERIFY_OK(hits);
        QCOMPARE(hits->size(), 1);
        const SearchHit &hit = hits->first();
        QVERIFY(hit.snippetWith("[", "]").contains("[garlic]"));
        QVERIFY(hit.snippetHtml().contains("<b>garlic</b>"));
        QVERIFY(!hit.snippetWith("[", "]").contains("market")); // a window, not the whole text
        QVERIFY(hit.snippet.contains(QString::fromUtf8("…")));
    }

    void titlesArePartOfTheResults()
    {
        auto hits = m_store.search("garden");
        QVERIFY_OK(hits);
        QCOMPARE(hits->size(), 1);
        QCOMPARE(hits->first().messageId, qint64(0));
        QCOMPARE(hits->first().snippetWith("[", "]"), QString("[Garden] planning"));
    }

    void prefixDiacriticsAndAllWords()
    {
        QCOMPARE(m_store.search("tomat")->size(), 3);          // still typing
        QCOMPARE(m_store.search("creme brulee")->size(), 1);   // accents folded
        QCOMPARE(m_store.search("tomatoes basil")->size(), 0); // every word must match one text
        QCOMPARE(m_store.search("tomatoes balcony")->size(), 1);
        QCOMPARE(m_store.search("tomat ")->size(), 0); // a finished word is exact
    }

    void hostileQueriesAreText()
    {
        for (const char *q : {"\"", "AND", "OR OR", "NEAR(", "title:x", "*", "a\"b", "(((", "-", "^tomatoes",
                              "tomatoes NOT", "\xc3\x28"}) {
            auto hits = m_store.search(QString::fromUtf8(q));
            QVERIFY2(hits.ok(), q);
        }
        QVERIFY(m_store.search("").value().isEmpty());
        QVERIFY(m_store.search("   ").value().isEmpty());
        QCOMPARE(m_store.search("\"tomatoes\"")->size(), 3);
        QVERIFY(m_store.search(QString(QChar(0)) + "x").ok());
        QVERIFY(m_store.search("tomatoes", 0).value().isEmpty());
        QCOMPARE(m_store.search("tomatoes", 2)->size(), 2);
    }

    // Past 2,000 matches, ranking covers the newest 2,000 (bm25 over every match of a word in
    // most messages would take a second); rarer words are ranked over everything.
    void veryCommonWordsRankTheNewestMatches()
    {
        Conversation many;
        many.uuid = "many";
        many.title = "Many";
        many.createdAt = many.updatedAt = QDateTime::currentDateTimeUtc();
        for (int i = 1; i <= 2100; ++i) {
            Message m;
            m.id = i;
            m.parentId = i - 1;
            m.role = Role::User;
            // The oldest hundred say "ubiquitous" three times: the best bm25, but too old.
            m.content = i <= 100 ? QString("ubiquitous ubiquitous ubiquitous old%1").arg(i)
                                 : QString("ubiquitous filler text number %1 and more words").arg(i);
            m.createdAt = many.createdAt;
            many.messages.append(m);
        }
        QVERIFY_OK(m_store.importConversations({many}));
        auto hits = m_store.search("ubiquitous", 10);
        QVERIFY_OK(hits);
        QCOMPARE(hits->size(), 10);
        for (const SearchHit &hit : *hits)
            QVERIFY2(!hit.snippet.contains("old"), qPrintable(hit.snippet));
        auto rare = m_store.search("old7 "); // a finished word: not old70…old79
        QVERIFY_OK(rare);
        QCOMPARE(rare->size(), 1);
    }

    void indexFollowsEditsRenamesAndDeletes()
    {
        const qint64 id = conversationWith("Temporary", {"zeppelin facts"});
        QCOMPARE(m_store.search("zeppelin")->size(), 1);
        QVERIFY_OK(m_store.renameConversation(id, "Airships"));
        QCOMPARE(m_store.search("temporary")->size(), 0);
        QCOMPARE(m_store.search("airships")->size(), 1);

        const qint64 root = m_store.conversation(id)->messages.first().id;
        auto a = m_store.beginAssistantMessage(id, root, sampleGeneration(FinishReason::None));
        QVERIFY_OK(m_store.updateStreamingContent(a->id, "hindenburg"));
        QCOMPARE(m_store.search("hindenburg")->size(), 1);
        QVERIFY_OK(m_store.finishMessage(a->id, "graf zeppelin", sampleGeneration()));
        QCOMPARE(m_store.search("hindenburg")->size(), 0);
        QCOMPARE(m_store.search("zeppelin")->size(), 2);

        QVERIFY_OK(m_store.deleteConversation(id));
        QCOMPARE(m_store.search("zeppelin")->size(), 0);
        QCOMPARE(m_store.search("airships")->size(), 0);
        // The external-content index agrees with its tables.
        QCOMPARE(rawExec(m_store.path(),
                         "INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1);"
                         "INSERT INTO conversations_fts(conversations_fts, rank) VALUES "
                         "('integrity-check', 1);"),
                 QString());
    }
};

QTEST_GUILESS_MAIN(TestStorageSearch)
#include "test_storage_search.moc"
