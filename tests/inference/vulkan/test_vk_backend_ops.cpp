// The Vulkan backend's non-matmul ops against the CPU backend: RMSNorm, RoPE (both layouts,
// partial rotation, frequency factors, linear scaling), KV-cache writes and fused attention
// (F16 and F32 caches, MHA/GQA/MQA, multi-tile sequences), elementwise ops, softmax and the
// MoE router and combiner. Guard elements around every output, validation on.
#include "parity.h"
#include "vk_parity.h"
#include "vulkan_fixture.h"

#include <QtTest>

#include <cstring>

using namespace parlo;
using namespace parlo::test;

class TestVkBackendOps : public QObject
{
    Q_OBJECT

    ParityHarness m_h;
    bool m_ready = false;
    QString m_reason;
    bool m_failed = false;

#define PARLO_NEED_HARNESS()                                                                        \
    if (!m_ready && m_failed)                                                                       \
        QFAIL(qPrintable(m_reason));                                                                \
    if (!m_ready)                                                                                   \
        QSKIP(qPrintable(m_reason));

#define PARLO_COMPARE_NMSE(tensor, limit)                                                           \
    do {                                                                                            \
        const double e_ = nmse(m_h.readGpu(tensor), m_h.readCpu(tensor));                           \
        QVERIFY2(e_ < (limit), qPrintable(QStringLiteral("NMSE %1").arg(e_)));                      \
        PARLO_VERIFY_MSG(m_h.guardsIntact(tensor, problem_));                                       \
    } while (0)

private slots:
    void initTestCase() { m_ready = m_h.init(m_reason, m_failed); }
    void cleanup()
    {
        if (m_ready)
            PARLO_VERIFY_MSG(m_h.validationClean(problem_));
    }

    void rmsNorm_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (auto [r, c] : {std::pair{1, 7}, {33, 257}, {5, 4097}})
            QTest::addRow("%dx%d", r, c) << r << c;
    }
    void rmsNorm()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, rows);
        QFETCH(int, cols);
        auto x = m_h.tensor(TensorType::F32, cols, rows, randomFloats(size_t(rows) * cols, 1, 3.0f));
        std::vector<float> w = randomFloats(cols, 2);
        Weight weight{WeightView{TensorType::F32, reinterpret_cast<const std::byte *>(w.data()), uint64_t(cols), 1,
                                 uint64_t(cols) * 4},
                      {}};
        auto y1 = m_h.tensor(TensorType::F32, cols, rows);
        auto y2 = m_h.tensor(TensorType::F32, cols, rows);
        m_h.cpu().rmsNorm(x.cpu, &weight, y1.cpu, 1e-5f);
        m_h.gpu().rmsNorm(x.gpu, &weight, y1.gpu, 1e-5f);
        m_h.cpu().rmsNorm(x.cpu, nullptr, y2.cpu, 1e-6f);
        m_h.gpu().rmsNorm(x.gpu, nullptr, y2.gpu, 1e-6f);
        PARLO_COMPARE_NMSE(y1, 1e-10);
        PARLO_COMPARE_NMSE(y2, 1e-10);
    }

    void rope_data()
    {
        QTest::addColumn<bool>("neox");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("nRot");
        QTest::addColumn<bool>("factors");
        QTest::addColumn<float>("scale");
        QTest::addColumn<float>("attnFactor");
        QTest::newRow("normal_full") << false << 64 << 64 << false << 1.0f << 1.0f;
        QTest::newRow("neox_full") << true << 64 << 64 << false << 1.0f << 1.0f;
        QTest::newRow("normal_partial") << false << 40 << 24 << false << 1.0f << 1.0f;
        QTest::newRow("neox_partial_factors") << true << 32 << 16 << true << 1.0f << 1.0f;
        QTest::newRow("normal_linear_scaling") << false << 16 << 16 << true << 0.25f << 1.0f;
        // Phi-3.5 / Phi-4-mini LongRoPE: factors, partial rotation and an mscale on cos/sin.
        QTest::newRow("neox_longrope") << true << 32 << 24 << true << 1.0f << 1.19f;
    }
    void rope()
    {
        PARLO_NEED_HARNESS();
        QFETCH(bool, neox);
        QFETCH(int, headDim);
        QFETCH(int, nRot);
        QFETCH(bool, factors);
        QFETCH(float, scale);
        QFETCH(float, attnFactor);
        const uint32_t n_head = 3, tokens = 5;
        auto x = m_h.tensor(TensorType::F32, n_head * headDim, tokens, randomFloats(size_t(n_head) * headDim * tokens, 7));
        auto pos = m_h.ids(1, tokens, {0, 1, 17, 511, 4000});
        std::vector<float> f(nRot / 2);
        for (size_t i = 0; i < f.size(); ++i)
            f[i] = 1.0f + float(i % 5);
        Weight fw{WeightView{TensorType::F32, reinterpret_cast<const std::byte *>(f.data()), uint64_t(f.size()), 1,
                             uint64_t(f.size()) * 4},
                  {}};
        RopeParams p;
        p.style = neox ? RopeStyle::NeoX : RopeStyle::Normal;
        p.n_rot = uint32_t(nRot);
        p.freq_base = 10000.0f;
        p.freq_scale = scale;
        p.freqFactors = factors ? &fw : nullptr;
        p.attn_factor = attnFactor;
        m_h.cpu().rope(x.cpu, headDim, pos.cpu, p);
        m_h.gpu().rope(x.gpu, headDim, pos.gpu, p);
        PARLO_COMPARE_NMSE(x, 1e-9); // angles reduced in float on the GPU, in double on the CPU
    }

    void attention_data()
    {
        QTest::addColumn<bool>("half");
        QTest::addColumn<int>("nHead");
        QTest::addColumn<int>("nHeadKv");
        QTest::addColumn<int>("headDim");
        QTest::addColumn<int>("window");
        QTest::addColumn<float>("softcap");
        for (bool half : {true, false}) {
            for (auto [h, kv, d] : {std::tuple{4, 4, 64}, {4, 2, 32}, {6, 1, 7}, {2, 1, 128}}) {
                QTest::addRow("%s_h%d_kv%d_d%d", half ? "f16" : "f32", h, kv, d) << half << h << kv << d << 0 << 0.0f;
            }
        }
        // Gemma 2's hooks: a sliding window (shorter and longer than a tile) and a soft-cap.
        QTest::addRow("f32_window16_softcap") << false << 4 << 2 << 128 << 16 << 10.0f;
        QTest::addRow("f16_window67") << true << 4 << 2 << 32 << 67 << 0.0f;
        QTest::addRow("f32_softcap1") << false << 2 << 1 << 64 << 0 << 1.0f;
    }
    void attention()
    {
        PARLO_NEED_HARNESS();
        QFETCH(bool, half);
        QFETCH(int, nHead);
        QFETCH(int, nHeadKv);
        QFETCH(int, headDim);
        QFETCH(int, window);
        QFETCH(float, softcap);
        const uint32_t kvDim = uint32_t(nHeadKv * headDim), qDim = uint32_t(nHead * headDim);
        const uint32_t ctx = 80;
        const TensorType cacheType = half ? TensorType::F16 : TensorType::F32;
        auto kc = m_h.tensor(cacheType, kvDim, ctx);
        auto vc = m_h.tensor(cacheType, kvDim, ctx);
        // A prefill longer than one 64-key tile, then single-token steps, then a short batch.
        uint32_t pos0 = 0;
        for (uint32_t n : {70u, 1u, 1u, 3u}) {
            const uint32_t seed = pos0 * 13 + n;
            auto k = m_h.tensor(TensorType::F32, kvDim, n, randomFloats(size_t(kvDim) * n, seed));
            auto v = m_h.tensor(TensorType::F32, kvDim, n, randomFloats(size_t(kvDim) * n, seed + 1));
            auto q = m_h.tensor(TensorType::F32, qDim, n, randomFloats(size_t(qDim) * n, seed + 2, 2.0f));
            auto out = m_h.tensor(TensorType::F32, qDim, n);
            m_h.cpu().kvStore(k.cpu, v.cpu, kc.cpu, vc.cpu, pos0);
            m_h.gpu().kvStore(k.gpu, v.gpu, kc.gpu, vc.gpu, pos0);
            AttentionParams p{uint32_t(nHead), uint32_t(nHeadKv), uint32_t(headDim), pos0,
                              1.0f / std::sqrt(float(headDim))};
            p.window = uint32_t(window);
            p.softcap = softcap;
            m_h.cpu().attention(q.cpu, kc.cpu, vc.cpu, out.cpu, p);
            m_h.gpu().attention(q.gpu, kc.gpu, vc.gpu, out.gpu, p);
            PARLO_COMPARE_NMSE(out, 1e-9);
            pos0 += n;
        }
        // The caches hold the same values (F16 rounding may differ in the last place).
        const auto gk = m_h.readGpu(kc), ck = m_h.readCpu(kc);
        QVERIFY(nmse(gk, ck) < 1e-7);
        // Rows past the written ones stay zero: the F16 path's partial words kept neighbours.
        for (size_t i = size_t(pos0) * kvDim; i < gk.size(); ++i)
            QCOMPARE(gk[i], 0.0f);
        PARLO_VERIFY_MSG(m_h.gpuOk(problem_));
    }

    void elementwise_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<bool>("inPlace");
        for (int n : {1, 7, 4097})
            for (bool inPlace : {false, true})
                QTest::addRow("%d%s", n, inPlace ? "_in_place" : "") << n << inPlace;
    }
    void elementwise()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, n);
        QFETCH(bool, inPlace);
        for (int op = 0; op < 3; ++op) {
            auto a = m_h.tensor(TensorType::F32, n, 1, randomFloats(n, 10 + op, 3.0f));
            auto b = m_h.tensor(TensorType::F32, n, 1, randomFloats(n, 20 + op));
            auto fresh = m_h.tensor(TensorType::F32, n, 1);
            TwinTensor &out = inPlace ? a : fresh;
            auto call = [&](Backend &be, BufferView av, BufferView bv, BufferView ov) {
                if (op == 0)
                    be.add(av, bv, ov);
                else if (op == 1)
                    be.mul(av, bv, ov);
                else
                    be.swiglu(av, bv, ov);
            };
            call(m_h.cpu(), a.cpu, b.cpu, out.cpu);
            call(m_h.gpu(), a.gpu, b.gpu, out.gpu);
            PARLO_COMPARE_NMSE(out, 1e-12);
        }
    }

    void addBias_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (auto [r, c] : {std::pair{1, 7}, {33, 257}, {3, 4097}})
            QTest::addRow("%dx%d", r, c) << r << c;
    }
    void addBias()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, rows);
        QFETCH(int, cols);
        auto x = m_h.tensor(TensorType::F32, cols, rows, randomFloats(size_t(rows) * cols, 30, 2.0f));
        std::vector<float> b = randomFloats(cols, 31);
        const Weight bias{WeightView{TensorType::F32, reinterpret_cast<const std::byte *>(b.data()), uint64_t(cols), 1,
                                     uint64_t(cols) * 4},
                          {}};
        m_h.cpu().addBias(x.cpu, bias);
        m_h.gpu().addBias(x.gpu, bias);
        PARLO_COMPARE_NMSE(x, 1e-12);
    }

    void layerNorm_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (auto [r, c] : {std::pair{1, 7}, {33, 257}, {5, 4097}})
            QTest::addRow("%dx%d", r, c) << r << c;
    }
    void layerNorm()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, rows);
        QFETCH(int, cols);
        // An offset mean, which a one-pass variance would lose precision on.
        std::vector<float> xs = randomFloats(size_t(rows) * cols, 40, 3.0f);
        for (float &v : xs)
            v += 5.0f;
        auto x = m_h.tensor(TensorType::F32, cols, rows, xs);
        std::vector<float> w = randomFloats(cols, 41), b = randomFloats(cols, 42);
        auto weightOf = [&](const std::vector<float> &v) {
            return Weight{WeightView{TensorType::F32, reinterpret_cast<const std::byte *>(v.data()), uint64_t(cols), 1,
                                     uint64_t(cols) * 4},
                          {}};
        };
        const Weight weight = weightOf(w), bias = weightOf(b);
        auto y1 = m_h.tensor(TensorType::F32, cols, rows);
        auto y2 = m_h.tensor(TensorType::F32, cols, rows);
        m_h.cpu().layerNorm(x.cpu, &weight, &bias, y1.cpu, 1e-5f);
        m_h.gpu().layerNorm(x.gpu, &weight, &bias, y1.gpu, 1e-5f);
        m_h.cpu().layerNorm(x.cpu, nullptr, nullptr, y2.cpu, 1e-5f);
        m_h.gpu().layerNorm(x.gpu, nullptr, nullptr, y2.gpu, 1e-5f);
        PARLO_COMPARE_NMSE(y1, 1e-10);
        PARLO_COMPARE_NMSE(y2, 1e-10);
        // In place, as the graph may call it.
        m_h.cpu().layerNorm(x.cpu, &weight, nullptr, x.cpu, 1e-6f);
        m_h.gpu().layerNorm(x.gpu, &weight, nullptr, x.gpu, 1e-6f);
        PARLO_COMPARE_NMSE(x, 1e-10);
    }

    void unaryOps_data()
    {
        QTest::addColumn<int>("n");
        for (int n : {1, 7, 4097})
            QTest::addRow("%d", n) << n;
    }
    void unaryOps()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, n);
        // Values large enough to reach the clamp, saturate the soft-cap and GELU's tails.
        for (int op = 0; op < 5; ++op) {
            auto a = m_h.tensor(TensorType::F32, n, 1, randomFloats(n, 50 + op, 12.0f));
            auto b = m_h.tensor(TensorType::F32, n, 1, randomFloats(n, 60 + op));
            auto out = m_h.tensor(TensorType::F32, n, 1);
            auto call = [&](Backend &be, BufferView av, BufferView bv, BufferView ov) {
                switch (op) {
                case 0: be.clamp(av, 3.0f); break;
                case 1: be.softcap(av, 5.0f); break;
                case 2: be.scale(av, 16.0f); break;
                case 3: be.gelu(av, ov); break;
                default: be.geglu(av, bv, ov); break;
                }
            };
            call(m_h.cpu(), a.cpu, b.cpu, out.cpu);
            call(m_h.gpu(), a.gpu, b.gpu, out.gpu);
            PARLO_COMPARE_NMSE(a, 1e-12);
            PARLO_COMPARE_NMSE(out, 1e-12);
        }
        // The clamp really clamps.
        auto c = m_h.tensor(TensorType::F32, 3, 1, {-9.0f, 0.5f, 9.0f});
        m_h.gpu().clamp(c.gpu, 3.0f);
        QCOMPARE(m_h.readGpu(c), (std::vector<float>{-3.0f, 0.5f, 3.0f}));
    }

    void softmax_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        for (auto [r, c] : {std::pair{1, 1}, {7, 33}, {33, 257}, {3, 4097}})
            QTest::addRow("%dx%d", r, c) << r << c;
    }
    void softmax()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, rows);
        QFETCH(int, cols);
        auto x = m_h.tensor(TensorType::F32, cols, rows, randomFloats(size_t(rows) * cols, 31, 20.0f));
        m_h.cpu().softmax(x.cpu);
        m_h.gpu().softmax(x.gpu);
        PARLO_COMPARE_NMSE(x, 1e-10);
    }

    void moe_data()
    {
        QTest::addColumn<int>("nExpert");
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("renormalise");
        QTest::newRow("8_top2_renorm") << 8 << 2 << true;
        QTest::newRow("8_top2") << 8 << 2 << false;
        QTest::newRow("60_top4") << 60 << 4 << true;
        QTest::newRow("1_top1") << 1 << 1 << true;
    }
    void moe()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, nExpert);
        QFETCH(int, k);
        QFETCH(bool, renormalise);
        const uint32_t tokens = 7, d = 33;
        auto logits = m_h.tensor(TensorType::F32, nExpert, tokens, randomFloats(size_t(nExpert) * tokens, 41, 2.0f));
        auto ids = m_h.tensor(TensorType::I32, k, tokens);
        auto weights = m_h.tensor(TensorType::F32, k, tokens);
        m_h.cpu().moeRoute(logits.cpu, k, renormalise, ids.cpu, weights.cpu);
        m_h.gpu().moeRoute(logits.gpu, k, renormalise, ids.gpu, weights.gpu);
        // Ids are compared bit for bit (read() returns the I32 bits).
        const auto gi = m_h.readGpu(ids), ci = m_h.readCpu(ids);
        QVERIFY(std::memcmp(gi.data(), ci.data(), gi.size() * 4) == 0);
        PARLO_VERIFY_MSG(m_h.guardsIntact(ids, problem_));
        PARLO_COMPARE_NMSE(weights, 1e-10);

        auto expertOut = m_h.tensor(TensorType::F32, d, tokens * k, randomFloats(size_t(d) * tokens * k, 42));
        auto out = m_h.tensor(TensorType::F32, d, tokens);
        m_h.cpu().moeCombine(expertOut.cpu, weights.cpu, out.cpu);
        m_h.gpu().moeCombine(expertOut.gpu, weights.gpu, out.gpu);
        PARLO_COMPARE_NMSE(out, 1e-10);
    }

    // Writes and reads at odd offsets, interleaved with ops in one batch, keep their order.
    void writesAreOrderedWithOps()
    {
        PARLO_NEED_HARNESS();
        auto a = m_h.tensor(TensorType::F32, 5, 1, {1, 2, 3, 4, 5});
        auto b = m_h.tensor(TensorType::F32, 5, 1, {10, 20, 30, 40, 50});
        auto out = m_h.tensor(TensorType::F32, 5, 1);
        m_h.gpu().add(a.gpu, b.gpu, out.gpu);
        const std::vector<float> later{100, 200, 300, 400, 500};
        m_h.gpu().write(a.gpu, later); // recorded after the add: the add must see the old values
        m_h.gpu().add(out.gpu, a.gpu, out.gpu);
        QCOMPARE(m_h.readGpu(out), (std::vector<float>{111, 222, 333, 444, 555}));
        PARLO_VERIFY_MSG(m_h.guardsIntact(out, problem_));
    }
};

QTEST_GUILESS_MAIN(TestVkBackendOps)
#include "test_vk_backend_ops.moc"
