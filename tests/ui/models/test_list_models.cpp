// Every list model behind the QML, checked with QAbstractItemModelTester, plus the facts each
// exposes: day groups, branches and siblings, search hits, model facts and fit, devices.
#include "controllers/conversation_list_model.h"
#include "controllers/device_list_model.h"
#include "controllers/message_list_model.h"
#include "controllers/model_list_model.h"
#include "controllers/search_results_model.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
#include <QtTest>

using namespace parlo;
using namespace parlo::ui;

namespace {
app::StoredMessage message(qint64 id, qint64 parent, const char *role, const char *content)
{
    app::StoredMessage m;
    m.id = id;
    m.conversationId = 1;
    m.parentId = parent;
    m.role = QString::fromLatin1(role);
    m.content = QString::fromLatin1(content);
    return m;
}
} // namespace

class TestListModels : public QObject
{
    Q_OBJECT

private slots:
    void conversationsAreGroupedByDayWithPinnedFirst()
    {
        ConversationListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime now(QDate(2026, 3, 10), QTime(12, 0));
        auto conv = [&](qint64 id, int daysAgo, bool pinned) {
            app::StoredConversation c;
            c.id = id;
            c.title = QStringLiteral("c%1").arg(id);
            c.pinned = pinned;
            c.updatedAt = now.addDays(-daysAgo);
            return c;
        };
        model.setConversations({conv(1, 30, false), conv(2, 0, false), conv(3, 1, false), conv(4, 5, false),
                                conv(5, 40, true), conv(6, 0, false)},
                               now);
        QCOMPARE(model.rowCount(), 6);
        QStringList sections, ids;
        for (int row = 0; row < model.rowCount(); ++row) {
            sections << model.data(model.index(row), ConversationListModel::SectionRole).toString();
            ids << model.data(model.index(row), ConversationListModel::IdRole).toString();
        }
        QCOMPARE(sections, (QStringList{"Pinned", "Today", "Today", "Yesterday", "Previous 7 days", "Older"}));
        QCOMPARE(ids.first(), QStringLiteral("5"));
        QCOMPARE(ids.last(), QStringLiteral("1"));
        QCOMPARE(model.rowOf(4), 4);
        QCOMPARE(model.idAt(99), 0);
        model.setConversations({}, now);
        QCOMPARE(model.count(), 0);
    }

    void branchesAndSiblings()
    {
        // 1 user -> 2 answer, 3 answer (regenerated); 3 -> 4 user -> 5 answer; 1' = 6 (edited) -> 7
        const QList<app::StoredMessage> all = {message(1, 0, "user", "q"),      message(2, 1, "assistant", "a1"),
                                               message(3, 1, "assistant", "a2"), message(4, 3, "user", "q2"),
                                               message(5, 4, "assistant", "a3"), message(6, 0, "user", "q edited"),
                                               message(7, 6, "assistant", "a4")};
        const auto rows = branchRows(all, 5);
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0].message.id, 1);
        QCOMPARE(rows[0].siblingIndex, 0);
        QCOMPARE(rows[0].siblingCount, 2);
        QCOMPARE(rows[1].message.id, 3);
        QCOMPARE(rows[1].siblingIndex, 1);
        QCOMPARE(rows[1].siblingCount, 2);
        QCOMPARE(newestLeafBelow(all, 1), 5);
        QCOMPARE(newestLeafBelow(all, 2), 2);
        QCOMPARE(newestLeafBelow(all, 0), 7);
        // A cycle in corrupted data must not hang.
        QList<app::StoredMessage> cyclic = {message(1, 2, "user", "x"), message(2, 1, "assistant", "y")};
        QVERIFY(branchRows(cyclic, 1).size() <= 3);

        MessageListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(rows);
        QCOMPARE(model.rowCount(), 4);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.appendContent(3, QStringLiteral(" more"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.contentAt(3), QStringLiteral("a3 more"));
        model.appendContent(17, QStringLiteral("ignored"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.rowOfMessage(4), 2);
    }

    void footerShowsModelAndStatistics()
    {
        app::StoredMessage m = message(1, 0, "assistant", "x");
        m.generation.modelFile = QStringLiteral("stories260K.gguf");
        m.generation.quantization = QStringLiteral("F32");
        m.generation.device = QStringLiteral("CPU");
        m.generation.generatedTokens = 64;
        m.generation.decodeTokensPerSecond = 812.44;
        m.generation.timeToFirstTokenMs = 12.3;
        QCOMPARE(MessageListModel::footerFor(m),
                 QStringLiteral("stories260K · F32 · CPU · 812.4 tok/s · 12 ms to first token · 64 tokens"));
        m.generation.seed = 42;
        m.generation.sampler = QJsonObject{{"temperature", 0.7}, {"top_k", 40}, {"context_length", 2048}};
        m.generation.promptTokens = 12;
        m.generation.prefillTokensPerSecond = 300;
        m.generation.modelSha256 = QStringLiteral("0123456789abcdef");
        QCOMPARE(MessageListModel::detailsFor(m),
                 QStringLiteral("seed 42 · temperature 0.7, top-k 40, context 2048 · prompt 12 tokens at 300.0 tok/s"
                                " · sha256 0123456789abcdef"));
        m.complete = false;
        QVERIFY(MessageListModel::footerFor(m).endsWith(QStringLiteral("stopped")));
        QVERIFY(MessageListModel::footerFor(message(2, 0, "user", "q")).isEmpty());
    }

    void searchResults()
    {
        SearchResultsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setHits({{1, 10, QStringLiteral("Title"), QStringLiteral("…a [hit] b…")}});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0), SearchResultsModel::MessageIdRole).toLongLong(), 10);
        QCOMPARE(model.data(model.index(0), SearchResultsModel::SnippetRole).toString(), QStringLiteral("…a [hit] b…"));
        model.setHits({});
        QCOMPARE(model.rowCount(), 0);
    }

    void modelEntriesAndFit()
    {
        ModelListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        app::ModelFileInfo big;
        big.path = "/m/big.gguf";
        big.name = "Big";
        big.architecture = "llama";
        big.parameterCount = 7'240'000'000;
        big.quantization = "Q4_K_M";
        big.fileSize = qint64(4) << 30;
        big.contextLength = 32768;
        app::ModelFileInfo small = big;
        small.path = "/m/small.gguf";
        small.name = "Small";
        small.parameterCount = 260'000;
        small.fileSize = 1 << 20;
        model.setModels({big, small});
        model.setDeviceMemory(qint64(2) << 30, QStringLiteral("CPU"));
        QCOMPARE(model.data(model.index(0), ModelListModel::FitsRole).toBool(), false);
        QCOMPARE(model.data(model.index(1), ModelListModel::FitsRole).toBool(), true);
        QCOMPARE(model.data(model.index(0), ModelListModel::ParametersRole).toString(), QStringLiteral("7.2B"));
        QCOMPARE(model.data(model.index(1), ModelListModel::ParametersRole).toString(), QStringLiteral("260K"));
        QCOMPARE(model.data(model.index(0), ModelListModel::SummaryRole).toString(),
                 QStringLiteral("llama · 7.2B · Q4_K_M · 4.0 GiB · 32768 ctx"));
        QVERIFY(model.data(model.index(0), ModelListModel::FitsTextRole).toString().startsWith(u"Too large for CPU"));
        QCOMPARE(model.rowOfPath("/m/small.gguf"), 1);
        QCOMPARE(model.pathAt(5), QString());
    }

    void devicesAlwaysOfferTheCpu()
    {
        DeviceListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        DeviceInventory none;
        none.unavailableReason = "no Vulkan loader";
        model.setInventory(none);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0), DeviceListModel::KeyRole).toString(), QStringLiteral("auto"));
        QCOMPARE(model.data(model.index(1), DeviceListModel::KeyRole).toString(), QStringLiteral("cpu"));
        QVERIFY(!model.defaultReason().isEmpty());

        DeviceInventory one;
        one.vulkanAvailable = true;
        VulkanDeviceInfo gpu;
        gpu.index = 0;
        gpu.name = "Test GPU";
        gpu.kind = DeviceKind::Discrete;
        gpu.hasComputeQueue = true;
        gpu.apiVersion = "1.3.0";
        one.devices.push_back(gpu);
        model.setInventory(one);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOfKey("vulkan:0"), 1);
        QCOMPARE(model.data(model.index(1), DeviceListModel::NameRole).toString(), QStringLiteral("Test GPU"));
    }
};

QTEST_GUILESS_MAIN(TestListModels)
#include "test_list_models.moc"
