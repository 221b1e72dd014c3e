// Every list model behind the QML, checked with QAbstractItemModelTester, plus the facts each
// exposes: day groups, branches and siblings, search hits, model facts, family and fit (also
// for the real synthetic models of every architecture, and one the engine does not support),
// devices.
#include "app_context.h"
#include "controllers/conversation_list_model.h"
#include "controllers/device_list_model.h"
#include "controllers/message_list_model.h"
#include "controllers/model_list_model.h"
#include "controllers/search_results_model.h"
#include "gguf_rewrite.h"
#include "test_data.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
#include <QTemporaryDir>
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
// The synthetic models of every architecture, each with the family people know it by.
const QList<QPair<QString, QString>> k_synthFamilies = {
    {"synth-falcon-F32.gguf", "Falcon"},     {"synth-gemma2-F32.gguf", "Gemma 2"},
    {"synth-llama-gqa-F32.gguf", "Llama"},   {"synth-llama-moe-F32.gguf", "Llama"},
    {"synth-olmo-F32.gguf", "OLMo"},         {"synth-olmo2-F32.gguf", "OLMo 2"},
    {"synth-phi3-F32.gguf", "Phi-3"},        {"synth-qwen2-F32.gguf", "Qwen2"},
    {"synth-qwen3-F32.gguf", "Qwen3"},
};
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
        big.family = "Llama";
        big.supported = true;
        big.parameterCount = 7'240'000'000;
        big.quantization = "Q4_K_M";
        big.fileSize = qint64(4) << 30;
        big.contextLength = 32768;
        big.weightBytes = qint64(4) << 30;
        big.contextBytes = qint64(1) << 29;
        big.memoryNeeded = big.weightBytes + big.contextBytes;
        big.plannedContext = 4096;
        app::ModelFileInfo small = big;
        small.path = "/m/small.gguf";
        small.name = "Small";
        small.parameterCount = 260'000;
        small.fileSize = 1 << 20;
        small.weightBytes = 1 << 20;
        small.contextBytes = 1 << 20;
        small.memoryNeeded = 2 << 20;
        small.plannedContext = 2048;
        // Its file is smaller than the device's memory, but not weights plus context: the plan decides.
        app::ModelFileInfo tight = big;
        tight.path = "/m/tight.gguf";
        tight.fileSize = (qint64(2) << 30) - 1;
        tight.weightBytes = tight.fileSize;
        tight.memoryNeeded = tight.weightBytes + tight.contextBytes;
        app::ModelFileInfo unknown = small;
        unknown.path = "/m/unknown.gguf";
        unknown.memoryNeeded = 0;
        model.setModels({big, small, tight, unknown});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setDeviceMemory(qint64(2) << 30, QStringLiteral("CPU"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(0), ModelListModel::FitsRole).toBool(), false);
        QCOMPARE(model.data(model.index(1), ModelListModel::FitsRole).toBool(), true);
        QCOMPARE(model.data(model.index(2), ModelListModel::FitsRole).toBool(), false);
        QCOMPARE(model.data(model.index(3), ModelListModel::FitsRole).toBool(), true); // no plan, no claim
        QCOMPARE(model.data(model.index(3), ModelListModel::FitsTextRole).toString(), QString());
        QCOMPARE(model.data(model.index(0), ModelListModel::ParametersRole).toString(), QStringLiteral("7.2B"));
        QCOMPARE(model.data(model.index(1), ModelListModel::ParametersRole).toString(), QStringLiteral("260K"));
        QCOMPARE(model.data(model.index(0), ModelListModel::SummaryRole).toString(),
                 QStringLiteral("Llama · 7.2B · Q4_K_M · 4.0 GiB · 32768 ctx"));
        QCOMPARE(model.data(model.index(0), ModelListModel::FitsTextRole).toString(),
                 QStringLiteral("Needs 4.5 GiB (weights 4.0 GiB + context 4096: 512 MiB) · too large for CPU (2.0 GiB free)"));
        QCOMPARE(model.data(model.index(1), ModelListModel::FitsTextRole).toString(),
                 QStringLiteral("Needs 2.0 MiB (weights 1.0 MiB + context 2048: 1.0 MiB) · fits in CPU (2.0 GiB free)"));
        model.setDeviceMemory(0, QString());
        QCOMPARE(model.data(model.index(1), ModelListModel::FitsTextRole).toString(),
                 QStringLiteral("Needs 2.0 MiB (weights 1.0 MiB + context 2048: 1.0 MiB)"));
        QCOMPARE(model.data(model.index(0), ModelListModel::UnavailableRole).toString(), QString());
        QCOMPARE(model.rowOfPath("/m/small.gguf"), 1);
        QCOMPARE(model.pathAt(5), QString());
    }

    void synthModelsListedWithTheirFamily()
    {
        PARLO_REQUIRE_TEST_FILE(modelsDir, "models");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const auto &[file, family] : k_synthFamilies) {
            PARLO_REQUIRE_TEST_FILE(source, "models/" + file);
            QVERIFY(QFile::link(source, dir.filePath(file)));
        }
        const QString llama4 = dir.filePath("zz-llama4.gguf");
        QVERIFY(test::rewriteGguf(modelsDir + "/stories260K-F32.gguf", llama4,
                                  [](gguf::Writer &w) { w.setString("general.architecture", "llama4"); }));

        ModelListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModels(app::scanModelFolders({app::ModelFolder{dir.path(), QStringLiteral("Added by you"), false}}));
        model.setDeviceMemory(qint64(6) << 30, QStringLiteral("CPU"));
        QCOMPARE(model.rowCount(), int(k_synthFamilies.size()) + 1);
        for (const auto &[file, family] : k_synthFamilies) {
            const int row = model.rowOfPath(dir.filePath(file));
            QVERIFY2(row >= 0, qPrintable(file));
            const QModelIndex index = model.index(row);
            QVERIFY2(model.data(index, ModelListModel::FamilyRole).toString().startsWith(family), qPrintable(file));
            QVERIFY2(model.data(index, ModelListModel::SupportedRole).toBool(), qPrintable(file));
            QCOMPARE(model.data(index, ModelListModel::UnavailableRole).toString(), QString());
            QVERIFY(model.data(index, ModelListModel::SummaryRole).toString().startsWith(family));
            // The engine's plan for these 2-layer models: a few MiB, context at most 4096.
            const QString fit = model.data(index, ModelListModel::FitsTextRole).toString();
            QVERIFY2(fit.startsWith(u"Needs ") && fit.contains(u" MiB (weights ") && fit.endsWith(u"· fits in CPU (6.0 GiB free)"),
                     qPrintable(fit));
            QVERIFY2(fit.contains(u"context 2048: ") || fit.contains(u"context 4096: "), qPrintable(fit));
            QVERIFY(model.data(index, ModelListModel::MemoryNeededRole).toLongLong() > QFileInfo(dir.filePath(file)).size());
        }
        const QModelIndex gemma = model.index(model.rowOfPath(dir.filePath("synth-gemma2-F32.gguf")));
        const QStringList features = model.data(gemma, ModelListModel::FeaturesRole).toStringList();
        QVERIFY2(features.contains(u"sliding window 16 (even layers)"), qPrintable(features.join(", ")));
        QVERIFY2(features.contains(u"final soft-cap 15"), qPrintable(features.join(", ")));
        const QModelIndex moe = model.index(model.rowOfPath(dir.filePath("synth-llama-moe-F32.gguf")));
        QVERIFY(model.data(moe, ModelListModel::FeaturesRole).toStringList().join(",").contains(u"mixture of experts"));

        const QModelIndex unsupported = model.index(model.rowOfPath(llama4));
        QVERIFY(unsupported.isValid());
        QCOMPARE(model.data(unsupported, ModelListModel::ArchitectureRole).toString(), QStringLiteral("llama4"));
        QCOMPARE(model.data(unsupported, ModelListModel::FamilyRole).toString(), QStringLiteral("Llama 4"));
        QCOMPARE(model.data(unsupported, ModelListModel::SupportedRole).toBool(), false);
        QCOMPARE(model.data(unsupported, ModelListModel::ErrorRole).toString(), QString());
        QCOMPARE(model.data(unsupported, ModelListModel::UnavailableRole).toString(), QStringLiteral("Not supported: llama4"));
        QCOMPARE(model.data(unsupported, ModelListModel::FitsTextRole).toString(), QString());
    }

    void controllerRefusesAnUnsupportedModel()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-F32.gguf");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QDir(dir.path()).mkpath("models");
        const QString usable = dir.filePath("models/stories260K-F32.gguf");
        const QString llama4 = dir.filePath("models/llama4.gguf");
        QVERIFY(QFile::link(stories, usable));
        QVERIFY(test::rewriteGguf(stories, llama4, [](gguf::Writer &w) { w.setString("general.architecture", "llama4"); }));
        QSettings settings(dir.filePath("parlo.ini"), QSettings::IniFormat);
        settings.setValue("modelFolders", QStringList{dir.filePath("models")});
        AppOptions options;
        options.settings = &settings;
        options.fakeEngine = true; // loads anything it is given: the refusal must come before it
        options.fakePieceDelayMs = 1;
        AppContext app(options);
        ModelController *models = app.models();
        QTRY_VERIFY_WITH_TIMEOUT(!models->scanning() && models->models()->rowOfPath(llama4) >= 0, 20000);
        models->load(usable);
        QTRY_VERIFY_WITH_TIMEOUT(models->modelLoaded(), 10000);

        QSignalSpy state(models, &ModelController::stateChanged);
        models->load(llama4);
        QVERIFY(!models->loading());
        QCOMPARE(models->loadError(), QStringLiteral("Not supported: llama4"));
        QVERIFY(state.count() >= 1);
        // The model in use was not unloaded for a request that could never succeed.
        QTest::qWait(50);
        QCOMPARE(models->loadedPath(), usable);
        QVERIFY(models->modelLoaded());
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
