// The whole model on the Vulkan backend: --device vulkan selects it (with its reason), its
// logits follow the CPU backend's on a real model, and a device loss or out-of-memory in the
// middle of a generation ends that generation with an error while the next load works.
#include "backend/vulkan/vk_backend.h"
#include "gguf_rewrite.h"
#include "parity.h"
#include "parlo/engine.h"
#include "test_data.h"
#include "validation_watch.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace parlo;

namespace {

Result<std::unique_ptr<Engine>> loadOn(const QString &model, const char *device)
{
    LoadOptions options;
    options.device = device;
    options.contextLength = 64;
    return Engine::load(model.toStdString(), options);
}

Result<GenerateStats> greedy(Engine &engine, int n)
{
    GenerateRequest req;
    req.prompt = {PromptSegment{PromptSegment::Role::Turn, {1, 403, 407, 261}}};
    req.maxTokens = n;
    req.sampling.temperature = 0.0f;
    req.ignoreEos = true;
    engine.reset();
    return engine.generate(req, {});
}

} // namespace

class TestVkEngine : public QObject
{
    Q_OBJECT

    // Every validation message the engine's own Vulkan context reports fails the test it came from.
    parlo::test::ValidationWatch m_validation;

private slots:
    void cleanup() { PARLO_VERIFY_VALIDATION_SILENT(m_validation); }

    void selectsVulkanWithReason()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        if (!enumerateVulkanDevices().vulkanAvailable)
            QSKIP("no Vulkan device");
        auto engine = loadOn(model, "vulkan:0");
        QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().message.c_str());
        QVERIFY((*engine)->describe().backend.starts_with("Vulkan"));
        QVERIFY(!(*engine)->describe().deviceReason.empty());
        // An impossible explicit request is an error, never a silent CPU run.
        auto missing = loadOn(model, "vulkan:7");
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.error().message).contains("vulkan:7"));
    }

    void memoryPlanRefusesWithTheNumbers()
    {
        // A model that claims a 16M-token context: asked for all of it, the KV cache alone is
        // 10 GiB, far past lavapipe's 2 GiB heap. The plan must refuse before uploading.
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        if (!enumerateVulkanDevices().vulkanAvailable)
            QSKIP("no Vulkan device");
        QTemporaryDir dir;
        const QString huge = dir.filePath("long-context.gguf");
        QVERIFY(test::rewriteGguf(model, huge, [](gguf::Writer &w) { w.setUInt32("llama.context_length", 1u << 24); }));
        LoadOptions options;
        options.device = "vulkan:0";
        options.contextLength = 1u << 24;
        auto refused = Engine::load(huge.toStdString(), options);
        QVERIFY(!refused.ok());
        const QString message = QString::fromStdString(refused.error().message);
        for (const char *part : {"needs", "GiB of GPU memory", "KV cache", "16777216 tokens", "free"})
            QVERIFY2(message.contains(part), qPrintable(message));

        // The default context stays at 4096 tokens, which fits.
        options.contextLength = 0;
        auto fits = Engine::load(huge.toStdString(), options);
        QVERIFY2(fits.ok(), fits.ok() ? "" : fits.error().message.c_str());
        QCOMPARE((*fits)->describe().n_ctx, 4096u);
    }

    void logitsFollowTheCpu_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *f : {"stories260K-F32.gguf", "synth-llama-gqa-Q4_K_M.gguf", "synth-llama-gqa-Q6_K.gguf",
                              "synth-llama-moe-F16.gguf"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void logitsFollowTheCpu()
    {
        QFETCH(QString, file);
        PARLO_REQUIRE_TEST_FILE(model, "models/" + file);
        if (!enumerateVulkanDevices().vulkanAvailable)
            QSKIP("no Vulkan device");
        auto cpu = loadOn(model, "cpu");
        auto gpu = loadOn(model, "vulkan");
        QVERIFY2(cpu.ok(), cpu.ok() ? "" : cpu.error().message.c_str());
        QVERIFY2(gpu.ok(), gpu.ok() ? "" : gpu.error().message.c_str());
        const std::vector<int32_t> tokens{1, 5, 9, 13, 2, 7, 30};
        auto a = (*cpu)->evaluate(tokens);
        auto b = (*gpu)->evaluate(tokens);
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
        QVERIFY(a.ok());
        const double e = test::nmse(*b, *a);
        QVERIFY2(e < 1e-6, qPrintable(QStringLiteral("NMSE %1").arg(e)));
        // Decode (one token per step, the mat-vec path) agrees with the CPU too.
        auto ga = greedy(**cpu, 8), gb = greedy(**gpu, 8);
        QVERIFY(ga.ok() && gb.ok());
        QCOMPARE(gb->tokens, ga->tokens);
    }

    void deviceFaultMidGeneration_data()
    {
        QTest::addColumn<int>("result");
        QTest::addColumn<QString>("message");
        QTest::newRow("device_lost") << int(VK_ERROR_DEVICE_LOST) << "VK_ERROR_DEVICE_LOST";
        QTest::newRow("out_of_device_memory") << int(VK_ERROR_OUT_OF_DEVICE_MEMORY) << "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    }
    void deviceFaultMidGeneration()
    {
        QFETCH(int, result);
        QFETCH(QString, message);
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        if (!enumerateVulkanDevices().vulkanAvailable)
            QSKIP("no Vulkan device");
        std::vector<int32_t> good;
        {
            auto engine = loadOn(model, "vulkan");
            QVERIFY(engine.ok());
            auto stats = greedy(**engine, 12);
            QVERIFY(stats.ok());
            good = stats->tokens;
        }
        {
            // Loading submits nothing on unified memory and a few uploads otherwise; the
            // fault lands several tokens into the generation either way.
            vk::injectFaultInNextBackend(40, VkResult(result));
            auto engine = loadOn(model, "vulkan");
            QVERIFY(engine.ok());
            auto stats = greedy(**engine, 200);
            QVERIFY(!stats.ok());
            QVERIFY2(QString::fromStdString(stats.error().message).contains(message), stats.error().message.c_str());
            // The engine stays usable as an object: further calls fail with the same cause.
            auto again = greedy(**engine, 2);
            QVERIFY(!again.ok());
        }
        auto engine = loadOn(model, "vulkan"); // the next load works
        QVERIFY(engine.ok());
        auto stats = greedy(**engine, 12);
        QVERIFY(stats.ok());
        QCOMPARE(stats->tokens, good);
    }
};

QTEST_GUILESS_MAIN(TestVkEngine)
#include "test_vk_engine.moc"
