// estimateModelMemory: the picker's "fits" figure is the engine's own plan. Checked against
// numbers worked out by hand for stories260K, against what a loaded Engine reports for every
// synthetic architecture, and with files the engine refuses.
#include "parlo/engine.h"
#include "parlo/gguf.h"
#include "parlo/gguf_writer.h"
#include "parlo/memory_estimate.h"
#include "gguf_rewrite.h"
#include "test_data.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo;

namespace {

std::unique_ptr<gguf::File> openFile(const QString &path)
{
    auto file = gguf::File::open(path.toStdString());
    return file ? std::move(file.value()) : nullptr;
}

} // namespace

class TestMemoryEstimate : public QObject
{
    Q_OBJECT

private slots:
    void storiesByHand()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        auto file = openFile(path);
        QVERIFY(file);
        auto estimate = estimateModelMemory(*file);
        QVERIFY2(estimate.ok(), estimate.ok() ? "" : estimate.error().message.c_str());
        // Trained context 2048 < the default 4096, so 2048 tokens.
        QCOMPARE(estimate->n_ctx, 2048u);
        // K and V, 5 layers, 2048 tokens, 4 KV heads × head_dim 8, F16.
        QCOMPARE(estimate->kvBytes, uint64_t(2) * 5 * 2048 * 32 * 2);
        // One micro-batch of 256 tokens: x, h, q, att, ffn, expert-out (64 each), k, v (32 each),
        // gate, up (172 each), router, 2 expert slots, ids, pos (1 each), logits (512); 4 bytes.
        // Plus one float: the placeholder for Falcon 40B's second norm, unused by llama.
        QCOMPARE(estimate->scratchBytes, uint64_t(256) * (6 * 64 + 2 * 32 + 2 * 172 + 5 + 512) * 4 + 4);
        // F32, untied: every tensor is a weight the engine uses.
        uint64_t tensorBytes = 0;
        for (const auto &t : file->tensors())
            tensorBytes += t.byteSize;
        QCOMPARE(estimate->weightBytes, tensorBytes);
        QCOMPARE(estimate->totalBytes(), estimate->weightBytes + estimate->contextBytes());
    }

    void contextLengthIsHonoured()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        auto file = openFile(path);
        QVERIFY(file);
        auto shorter = estimateModelMemory(*file, 512);
        QVERIFY(shorter.ok());
        QCOMPARE(shorter->n_ctx, 512u);
        QCOMPARE(shorter->kvBytes, uint64_t(2) * 5 * 512 * 32 * 2);
        // Past the trained length the engine caps it, and so does the estimate.
        auto longer = estimateModelMemory(*file, 100000);
        QVERIFY(longer.ok());
        QCOMPARE(longer->n_ctx, 2048u);
    }

    void matchesTheLoadedEngine_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *arch : {"llama-gqa", "llama-moe", "falcon", "qwen2", "qwen3", "phi3", "gemma2", "olmo", "olmo2"})
            for (const char *type : {"F32", "Q4_K_M"})
                QTest::addRow("%s-%s", arch, type) << QStringLiteral("models/synth-%1-%2.gguf").arg(arch, type);
    }

    void matchesTheLoadedEngine()
    {
        QFETCH(QString, name);
        PARLO_REQUIRE_TEST_FILE(path, name);
        auto file = openFile(path);
        QVERIFY(file);
        auto estimate = estimateModelMemory(*file);
        QVERIFY2(estimate.ok(), estimate.ok() ? "" : estimate.error().message.c_str());
        LoadOptions options;
        options.device = "cpu";
        options.threads = 1;
        auto engine = Engine::load(path.toStdString(), options);
        QVERIFY2(engine.ok(), engine.ok() ? "" : engine.error().message.c_str());
        const ModelDescription &d = (*engine)->describe();
        QCOMPARE(estimate->n_ctx, d.n_ctx);
        QCOMPARE(estimate->kvBytes, d.kvCacheBytes);
        QCOMPARE(estimate->weightBytes, d.weightBytes); // every tensor in these files is used
        QCOMPARE(estimate->n_ctx, std::min<uint32_t>(d.n_ctx_train, 4096));
        QVERIFY(estimate->scratchBytes > 0);
    }

    void refusesWhatTheEngineRefuses()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-F32.gguf");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString llama4 = dir.filePath("llama4.gguf");
        QVERIFY(test::rewriteGguf(stories, llama4, [](gguf::Writer &w) { w.setString("general.architecture", "llama4"); }));
        auto file = openFile(llama4);
        QVERIFY(file);
        auto estimate = estimateModelMemory(*file);
        QVERIFY(!estimate.ok());
        QVERIFY2(estimate.error().message.find("'llama4' is not supported") != std::string::npos,
                 estimate.error().message.c_str());

        // Hyper-parameters that do not match the tensors: the shape check fails here too.
        const QString lying = dir.filePath("lying.gguf");
        QVERIFY(test::rewriteGguf(stories, lying, [](gguf::Writer &w) { w.setUInt32("llama.feed_forward_length", 100); }));
        file = openFile(lying);
        QVERIFY(file);
        QVERIFY(!estimateModelMemory(*file).ok());
    }

    void hostileHeaders()
    {
        // No architecture at all, and an architecture with no tensors.
        gguf::Writer none;
        none.setString("general.name", "nothing");
        auto file = gguf::File::fromBytes(none.toBytes());
        QVERIFY(file.ok());
        auto estimate = estimateModelMemory(**file);
        QVERIFY(!estimate.ok());
        QVERIFY(estimate.error().message.find("general.architecture") != std::string::npos);

        gguf::Writer empty;
        empty.setString("general.architecture", "llama");
        empty.setUInt32("llama.block_count", 4000000000u);
        empty.setUInt32("llama.context_length", 4000000000u);
        empty.setUInt32("llama.embedding_length", 4000000000u);
        file = gguf::File::fromBytes(empty.toBytes());
        QVERIFY(file.ok());
        estimate = estimateModelMemory(**file);
        QVERIFY(!estimate.ok());
    }
};

QTEST_GUILESS_MAIN(TestMemoryEstimate)
#include "test_memory_estimate.moc"
