// Architecture variants the shared synthetic files do not cover, checked by identities: each
// variant is written from a synth file (our GGUF writer) and must give the logits of another
// file whose meaning is already pinned down by llama.cpp's references.
//   Phi-3.5 / Phi-4-mini LongRoPE: short factors of 1 change nothing; long factors of 2 past
//   the original context equal linear RoPE scaling by 2; an attn_factor m equals q and k
//   weights scaled by m (RoPE is linear, so the scale can move from cos/sin to the weights).
//   Falcon 40B's attn_norm_2: a copy of attn_norm changes nothing; a zero norm silences the
//   attention exactly as a zero attn_output does, and only if the MLP still reads attn_norm.
// The Vulkan tests build this file again with PARLO_VARIANTS_DEVICE="vulkan".
#include "gguf_rewrite.h"
#include "parlo/engine.h"
#include "parlo/gguf.h"
#include "test_data.h"
#include "validation_watch.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

#ifndef PARLO_VARIANTS_DEVICE
#define PARLO_VARIANTS_DEVICE "cpu"
#endif

using namespace parlo;

namespace {

constexpr double k_tolerance = 2e-3; // float rounding differs between the two routes
constexpr double k_distinct = 0.05;  // a variant that does not move the logits this much proves nothing

std::vector<std::byte> floatsToBytes(const std::vector<float> &v)
{
    std::vector<std::byte> out(v.size() * sizeof(float));
    std::memcpy(out.data(), v.data(), out.size());
    return out;
}

std::vector<float> bytesToFloats(std::span<const std::byte> data)
{
    std::vector<float> out(data.size() / sizeof(float));
    std::memcpy(out.data(), data.data(), out.size() * sizeof(float));
    return out;
}

// A prompt long enough for position-dependent features to matter.
std::vector<int32_t> prompt()
{
    std::vector<int32_t> ids{1};
    for (int i = 1; i < 48; ++i)
        ids.push_back(3 + (i * 37) % 500);
    return ids;
}

double maxDifference(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.size() != b.size())
        return INFINITY;
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(double(a[i]) - double(b[i])));
    return m;
}

} // namespace

class TestArchVariants : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name + ".gguf"); }

    // Logits of every position of prompt(), or an empty vector after a failed check.
    std::vector<float> logits(const QString &model, uint32_t contextLength = 256)
    {
        LoadOptions options;
        options.device = PARLO_VARIANTS_DEVICE;
        options.kvType = TensorType::F32;
        options.contextLength = contextLength;
        auto engine = Engine::load(model.toStdString(), options);
        if (!engine) {
            qWarning("%s: %s", qPrintable(model), engine.error().message.c_str());
            return {};
        }
        auto out = (*engine)->evaluate(prompt());
        if (!out) {
            qWarning("%s: %s", qPrintable(model), out.error().message.c_str());
            return {};
        }
        return std::move(*out);
    }

    // Both files give the same logits, and differ from `unlike` (the unmodified model).
    void expectSame(const QString &a, const QString &b, const std::vector<float> &unlike)
    {
        const std::vector<float> la = logits(a), lb = logits(b);
        QVERIFY(!la.empty() && !lb.empty());
        const double same = maxDifference(la, lb);
        qInfo("%s vs %s: max |diff| %.3g", qPrintable(QFileInfo(a).fileName()), qPrintable(QFileInfo(b).fileName()), same);
        QVERIFY2(same <= k_tolerance, qPrintable(QStringLiteral("max logit difference %1").arg(same)));
        if (!unlike.empty())
            QVERIFY2(maxDifference(la, unlike) > k_distinct, "the variant does not change the logits: the check has no teeth");
    }

    // A Phi-3 file with LongRoPE factor tensors and keys added.
    bool writeLongRope(const QString &source, const QString &target, float shortFactor, float longFactor,
                       uint32_t originalContext, std::optional<float> attnFactor, uint32_t n_rot)
    {
        return test::rewriteGguf(source, target, [&](gguf::Writer &w) {
            w.setUInt32("phi3.rope.scaling.original_context_length", originalContext);
            if (attnFactor)
                w.setFloat32("phi3.rope.scaling.attn_factor", *attnFactor);
            for (auto [name, value] : {std::pair{"rope_factors_short.weight", shortFactor}, {"rope_factors_long.weight", longFactor}}) {
                const std::vector<std::byte> bytes = floatsToBytes(std::vector<float>(n_rot / 2, value));
                if (!w.addTensor(name, {n_rot / 2}, TensorType::F32, bytes).ok())
                    qWarning("could not add %s", name);
            }
        });
    }

    // The same file with the q and k rows of attn_qkv multiplied by `scale`.
    static bool writeScaledQk(const QString &source, const QString &target, uint32_t n_qk_rows, float scale)
    {
        return test::rewriteGguf(source, target, [](gguf::Writer &) {}, [&](const gguf::TensorInfo &t, std::span<const std::byte> data) {
            std::optional<std::vector<std::byte>> out;
            if (!t.name.ends_with("attn_qkv.weight") || t.type != TensorType::F32)
                return out;
            std::vector<float> v = bytesToFloats(data);
            const size_t rowLength = t.shape[0];
            for (size_t i = 0; i < n_qk_rows * rowLength && i < v.size(); ++i)
                v[i] *= scale;
            out = floatsToBytes(v);
            return out;
        });
    }

    // Every validation message the engine's own Vulkan context reports fails the test it came from.
    parlo::test::ValidationWatch m_validation;

private slots:
    void cleanup() { PARLO_VERIFY_VALIDATION_SILENT(m_validation); }

    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void phi3LongRope()
    {
        PARLO_REQUIRE_TEST_FILE(source, "models/synth-phi3-F32.gguf");
        auto file = gguf::File::open(source.toStdString());
        QVERIFY(file.ok());
        const uint32_t n_embd = uint32_t(*(*file)->getUInt("phi3.embedding_length"));
        const uint32_t n_head = uint32_t(*(*file)->getUInt("phi3.attention.head_count"));
        const uint32_t n_head_kv = uint32_t((*file)->getUInt("phi3.attention.head_count_kv").value_or(n_head));
        const uint32_t head_dim = n_embd / n_head;
        const uint32_t n_rot = uint32_t((*file)->getUInt("phi3.rope.dimension_count").value_or(head_dim));
        QCOMPARE(n_rot, head_dim); // the attn_factor identity needs every dimension rotated
        const uint32_t n_qk_rows = (n_head + n_head_kv) * head_dim;
        const std::vector<float> plain = logits(source);
        QVERIFY(!plain.empty());

        // Short factors of 1 within the original context: the plain model.
        QVERIFY(writeLongRope(source, path("short_ones"), 1.0f, 2.0f, 4096, 1.0f, n_rot));
        expectSame(path("short_ones"), source, {});

        // Past the original context (256 > 64) the long factors apply: 2 everywhere is linear
        // scaling by 2.
        QVERIFY(writeLongRope(source, path("long_twos"), 1.0f, 2.0f, 64, 1.0f, n_rot));
        QVERIFY(test::rewriteGguf(source, path("linear2"), [](gguf::Writer &w) {
            w.setString("phi3.rope.scaling.type", "linear");
            w.setFloat32("phi3.rope.scaling.factor", 2.0f);
        }));
        expectSame(path("long_twos"), path("linear2"), plain);

        // attn_factor scales cos and sin of q and k alike.
        QVERIFY(writeLongRope(source, path("attn_125"), 1.0f, 1.0f, 4096, 1.25f, n_rot));
        QVERIFY(writeScaledQk(source, path("qk_125"), n_qk_rows, 1.25f));
        expectSame(path("attn_125"), path("qk_125"), plain);

        // Without the key, the factor follows from the context ratio: 4096 / 64 = 64 gives
        // sqrt(1 + ln 64 / ln 64) = sqrt(2).
        QVERIFY(writeLongRope(source, path("attn_derived"), 1.0f, 1.0f, 64, std::nullopt, n_rot));
        QVERIFY(writeScaledQk(source, path("qk_sqrt2"), n_qk_rows, float(std::sqrt(2.0))));
        expectSame(path("attn_derived"), path("qk_sqrt2"), plain);
    }

    void phi3LongRopeNeedsBothFactorSets()
    {
        PARLO_REQUIRE_TEST_FILE(source, "models/synth-phi3-F32.gguf");
        QVERIFY(test::rewriteGguf(source, path("short_only"), [](gguf::Writer &w) {
            const std::vector<std::byte> bytes = floatsToBytes(std::vector<float>(32, 1.0f));
            QVERIFY(w.addTensor("rope_factors_short.weight", {32}, TensorType::F32, bytes).ok());
        }));
        LoadOptions options;
        options.device = PARLO_VARIANTS_DEVICE;
        auto engine = Engine::load(path("short_only").toStdString(), options);
        QVERIFY(!engine.ok());
        QVERIFY2(engine.error().message.find("rope_factors_long") != std::string::npos, engine.error().message.c_str());
    }

    void falcon40bSecondNorm()
    {
        PARLO_REQUIRE_TEST_FILE(source, "models/synth-falcon-F32.gguf");
        auto opened = gguf::File::open(source.toStdString());
        QVERIFY(opened.ok());
        const gguf::File &file = **opened;
        const uint32_t n_layer = uint32_t(*file.getUInt("falcon.block_count"));
        const std::vector<float> plain = logits(source);
        QVERIFY(!plain.empty());

        // attn_norm_2 as a copy of attn_norm, or as zeros.
        auto addNorm2 = [&](const QString &target, bool copy) {
            return test::rewriteGguf(source, target, [&](gguf::Writer &w) {
                for (uint32_t il = 0; il < n_layer; ++il) {
                    for (const char *part : {"weight", "bias"}) {
                        const std::string from = "blk." + std::to_string(il) + ".attn_norm." + part;
                        const gguf::TensorInfo *t = file.findTensor(from);
                        QVERIFY(t);
                        std::vector<std::byte> bytes(t->byteSize);
                        if (copy)
                            std::memcpy(bytes.data(), file.tensorData(*t).data(), bytes.size());
                        const std::string to = "blk." + std::to_string(il) + ".attn_norm_2." + part;
                        QVERIFY(w.addTensor(to, t->shape, t->type, bytes).ok());
                    }
                }
            });
        };
        QVERIFY(addNorm2(path("falcon_norm2_copy"), true));
        expectSame(path("falcon_norm2_copy"), source, {});

        // A zero attention norm gives zero q, k and v (Falcon has no q/k/v biases), so the
        // attention adds nothing: the same as a zero attn_output. Were the norms swapped, the
        // MLP would read zeros instead and the logits would differ.
        QVERIFY(addNorm2(path("falcon_norm2_zero"), false));
        QVERIFY(test::rewriteGguf(source, path("falcon_wo_zero"), [](gguf::Writer &) {},
                                  [](const gguf::TensorInfo &t, std::span<const std::byte> data) {
                                      std::optional<std::vector<std::byte>> out;
                                      if (t.name.ends_with("attn_output.weight"))
                                          out = std::vector<std::byte>(data.size());
                                      return out;
                                  }));
        expectSame(path("falcon_norm2_zero"), path("falcon_wo_zero"), plain);
    }
};

QTEST_GUILESS_MAIN(TestArchVariants)
#include "test_arch_variants.moc"
