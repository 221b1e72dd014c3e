// Export to Markdown and JSON, import of our own JSON (identical round trip), hostile imports.
#include "storage/history_export.h"
#include "storage_test_util.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

class TestStorageExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    void populate(HistoryStore &store)
    {
        QVERIFY(addSampleConversation(store, "owls") > 0);
        const qint64 second = addSampleConversation(store, "rivers");
        auto folder = store.createFolder("Nature");
        QVERIFY_OK(store.moveToFolder(second, folder->id));
        QVERIFY_OK(store.setPinned(second, true));
        QVERIFY_OK(store.renameConversation(second, "Rivers \"and\" <streams>"));
        NewConversation empty;
        empty.systemPrompt = "Line one\n\nLine three";
        QVERIFY_OK(store.createConversation(empty));
        // A branch switch and an edited root, so activeChild/activeRoot matter.
        auto c = store.conversation(second);
        const auto path = c->activePath();
        QVERIFY_OK(store.switchToBranch(c->children(path[0]->id).first()->id));
        QVERIFY_OK(store.branchFrom(path[0]->id, QString::fromUtf8("Tell me about rivers — in ünïcödé 🌊.")));
    }

private slots:
    void jsonRoundTripIsIdentical()
    {
        HistoryStore a;
        QVERIFY_OK(a.open(m_dir.filePath("a.sqlite")));
        populate(a);
        auto all = a.allConversations();
        QVERIFY_OK(all);
        const QByteArray first = exportJson(*all);

        auto parsed = parseExportJson(first);
        QVERIFY_OK(parsed);
        HistoryStore b;
        QVERIFY_OK(b.open(m_dir.filePath("b.sqlite")));
        auto report = b.importConversations(*parsed);
        QVERIFY_OK(report);
        QCOMPARE(report->imported, 3);
        auto again = b.allConversations();
        QVERIFY_OK(again);
        const QByteArray second = exportJson(*again);
        QCOMPARE(second, first);
        QCOMPARE(exportMarkdown(*again), exportMarkdown(*all));

        // Importing the same file again changes nothing.
        auto twice = b.importConversations(*parsed);
        QVERIFY_OK(twice);
        QCOMPARE(twice->imported, 0);
        QCOMPARE(twice->skipped, 3);
        QCOMPARE(b.conversationCount().value(), qint64(3));
        // Folders are matched by name, not duplicated.
        QCOMPARE(b.folders()->size(), 1);
        // Imported text is searchable.
        QCOMPARE(b.search("rivers").value().isEmpty(), false);
    }

    void jsonCarriesEverything()
    {
        HistoryStore a;
        QVERIFY_OK(a.open(m_dir.filePath("c.sqlite")));
        QVERIFY(addSampleConversation(a, "owls") > 0);
        const QJsonObject root = QJsonDocument::fromJson(exportJson(*a.allConversations())).object();
        QCOMPARE(root["format"].toString(), QString("parlo-history"));
        QCOMPARE(root["version"].toInt(), 1);
        const QJsonObject c = root["conversations"].toArray().first().toObject();
        QCOMPARE(c["systemPrompt"].toString(), QString("You are concise."));
        QCOMPARE(c["sampling"].toObject()["temperature"].toDouble(), 0.8);
        const QJsonArray messages = c["messages"].toArray();
        QCOMPARE(messages.size(), 5);
        QCOMPARE(messages[0].toObject()["id"].toInt(), 1);
        QCOMPARE(messages[1].toObject()["parent"].toInt(), 1);
        const QJsonObject g = messages[4].toObject()["generation"].toObject();
        QCOMPARE(g["finishReason"].toString(), QString("length"));
        QCOMPARE(g["seed"].toDouble(), 1234567890123.0);
        QCOMPARE(g["quantization"].toString(), QString("Q8_0"));
        QCOMPARE(g["decodeTokensPerSecond"].toDouble(), 187.25);
        QCOMPARE(g["timeToFirstTokenMs"].toDouble(), 12.75);
    }

    void markdownShowsTheBranchOnScreen()
    {
        HistoryStore a;
        QVERIFY_OK(a.open(m_dir.filePath("d.sqlite")));
        const qint64 id = addSampleConversation(a, "owls");
        const QString md = exportMarkdown({*a.conversation(id)});
        QVERIFY2(md.startsWith("# Tell me about owls.\n"), qPrintable(md));
        QVERIFY(md.contains("> You are concise."));
        QVERIFY(md.contains("## User · "));
        QVERIFY(md.contains("A better answer about owls."));
        QVERIFY(!md.contains("A first answer about owls.")); // the other branch
        QVERIFY(md.contains("only the branch on screen is shown (4 of 5 messages)"));
        QVERIFY(md.contains("*stories260K-Q8_0.gguf (Q8_0) · Vulkan: llvmpipe"));
        QVERIFY(md.contains("finished: length"));
        QVERIFY(md.contains("187.2 tok/s") || md.contains("187.3 tok/s"));
    }

    void hostileImportsAreRefusedWithReasons_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        const QByteArray head = R"({"format":"parlo-history","version":1,"conversations":)";
        const QByteArray conv =
            R"({"uuid":"u1","title":"t","titleIsAuto":false,"createdAt":"2024-05-01T10:00:00.000Z",)"
            R"("updatedAt":"2024-05-01T10:00:00.000Z","pinned":false,"folder":"","systemPrompt":"",)"
            R"("model":"","sampling":{},"activeRoot":0,"messages":)";
        auto msg = [](const char *extra) {
            return QByteArray(
                       R"({"role":"user","content":"x","createdAt":"2024-05-01T10:00:00.000Z","activeChild":0,)") +
                   extra + "}";
        };
        QTest::newRow("not json") << QByteArray("{nope") << "not a JSON file";
        QTest::newRow("empty") << QByteArray() << "not a JSON file";
        QTest::newRow("array") << QByteArray("[]") << "not a Parlo history export";
        QTest::newRow("other format")
            << QByteArray(R"({"format":"chatgpt"})") << "not a Parlo history export";
        QTest::newRow("future version")
            << QByteArray(R"({"format":"parlo-history","version":9,"conversations":[]})")
            << "version 9 is not supported";
        QTest::newRow("conversations not list") << head + "{}}"
                                                << "should be a list";
        QTest::newRow("conversation not object") << head + "[1]}"
                                                 << "conversation 1 is not an object";
        QTest::newRow("missing uuid") << head + R"([{"title":"t"}]})"
                                      << "\"uuid\" should be a string";
        QTest::newRow("bad date") << head + "[" +
                                         QByteArray(conv).replace("2024-05-01T10:00:00.000Z", "yesterday") +
                                         "[]}]}"
                                  << "should be a date";
        QTest::newRow("bad role") << head + "[" + conv + "[" +
                                         msg(R"("id":1,"parent":0)").replace("user", "wizard") + "]}]}"
                                  << "system, user or assistant";
        QTest::newRow("orphan") << head + "[" + conv + "[" + msg(R"("id":1,"parent":5)") + "]}]}"
                                << "not an earlier message";
        QTest::newRow("duplicate id") << head + "[" + conv + "[" + msg(R"("id":1,"parent":0)") + "," +
                                             msg(R"("id":1,"parent":0)") + "]}]}"
                                      << "must be a new positive number";
        QTest::newRow("self parent") << head + "[" + conv + "[" + msg(R"("id":1,"parent":1)") + "]}]}"
                                     << "not an earlier message";
        QTest::newRow("fractional id") << head + "[" + conv + "[" + msg(R"("id":1.5,"parent":0)") + "]}]}"
                                       << "a whole number";
        QTest::newRow("bad finish")
            << head + "[" + conv + "[" +
                   msg(R"("id":1,"parent":0,"generation":{"modelFile":"","modelSha256":"",)"
                       R"("quantization":"","device":"","sampler":{},"finishReason":"boom"})") +
                   "]}]}"
            << "finishReason";
        QTest::newRow("repeated uuid") << head + "[" + conv + "[]}," + conv + "[]}]}"
                                       << "repeats uuid";
    }

    void hostileImportsAreRefusedWithReasons()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        auto parsed = parseExportJson(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(parsed.error().message.contains(reason), qPrintable(parsed.error().message));
    }

    void danglingActiveBranchIsDropped()
    {
        const QByteArray json =
            R"({"format":"parlo-history","version":1,"conversations":[{"uuid":"u9","title":"t","titleIsAuto":false,)"
            R"("createdAt":"2024-05-01T10:00:00.000Z","updatedAt":"2024-05-01T10:00:00.000Z","pinned":false,)"
            R"("folder":"","systemPrompt":"","model":"","sampling":{},"activeRoot":7,"messages":[)"
            R"({"id":1,"parent":0,"activeChild":1,"role":"user","content":"x","createdAt":"2024-05-01T10:00:00Z"}]}]})";
        auto parsed = parseExportJson(json);
        QVERIFY_OK(parsed);
        QCOMPARE(parsed->first().activeRootId, qint64(0));
        QCOMPARE(parsed->first().messages.first().activeChildId, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestStorageExport)
#include "test_storage_export.moc"
