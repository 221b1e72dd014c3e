// The CPU op references against values worked out independently (by hand or in double).
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/cpu_simd.h"
#include "backend/cpu/thread_pool.h"

#include <QtTest>

#include <atomic>
#include <cmath>
#include <random>

using namespace parlo;

namespace {

// One head of 4, base 100: the shape the hand-worked RoPE cases use.
RopeParams ropeParams(RopeStyle style, float freqScale)
{
    RopeParams p;
    p.style = style;
    p.n_rot = 4;
    p.freq_base = 100.0f;
    p.freq_scale = freqScale;
    return p;
}

} // namespace

class TestCpuOps : public QObject
{
    Q_OBJECT

private slots:
    void threadPoolCoversEveryItemOnce()
    {
        cpu::ThreadPool pool(3);
        QCOMPARE(pool.size(), 3u);
        std::vector<std::atomic<int>> hits(1001);
        for (int round = 0; round < 50; ++round) {
            pool.run([&](unsigned ith, unsigned nth, unsigned thread) {
                QVERIFY(thread < 3);
                size_t b, e;
                cpu::ThreadPool::split(hits.size(), ith, nth, b, e);
                for (size_t i = b; i < e; ++i)
                    hits[i]++;
            }, round % 7 + 1);
        }
        for (auto &h : hits)
            QCOMPARE(h.load(), 50);
    }

    void dotsMatchScalarOnOddLengths()
    {
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> d(-1, 1);
        for (size_t n : {1u, 7u, 8u, 31u, 33u, 100u, 257u}) {
            std::vector<float> a(n), b(n);
            std::vector<uint16_t> ah(n);
            for (size_t i = 0; i < n; ++i) {
                a[i] = d(rng);
                b[i] = d(rng);
                ah[i] = cpu::floatToHalf(a[i]);
            }
            double ref = 0, refh = 0;
            for (size_t i = 0; i < n; ++i) {
                ref += double(a[i]) * b[i];
                refh += double(cpu::halfToFloat(ah[i])) * b[i];
            }
            QVERIFY(std::abs(cpu::dotF32(a.data(), b.data(), n) - ref) < 1e-4);
            QVERIFY(std::abs(cpu::dotF16F32(ah.data(), b.data(), n) - refh) < 1e-4);
            std::vector<float> back(n);
            cpu::halfToFloatRow(ah.data(), back.data(), n);
            for (size_t i = 0; i < n; ++i)
                QVERIFY(std::abs(back[i] - a[i]) < 1e-3f);
        }
        QCOMPARE(cpu::halfToFloat(cpu::floatToHalf(1.0f)), 1.0f);
        QCOMPARE(cpu::floatToHalf(-2.0f), uint16_t(0xC000));
    }

    void ropeNormalRotatesAdjacentPairs()
    {
        // One head of 4, pos 3, base 100: pair 0 turns by 3 rad, pair 1 by 3 * 100^(-1/2) = 0.3.
        std::vector<float> x{1, 0, 0, 2};
        const int32_t pos = 3;
        cpu::rope(x.data(), 0, 1, 1, 4, &pos, ropeParams(RopeStyle::Normal, 1.0f), nullptr);
        QVERIFY(std::abs(x[0] - std::cos(3.0f)) < 1e-6f);
        QVERIFY(std::abs(x[1] - std::sin(3.0f)) < 1e-6f);
        QVERIFY(std::abs(x[2] - (-2 * std::sin(0.3f))) < 1e-6f);
        QVERIFY(std::abs(x[3] - 2 * std::cos(0.3f)) < 1e-6f);
    }

    void ropeNeoXPairsHalves()
    {
        std::vector<float> x{1, 0, 0, 2};
        const int32_t pos = 3;
        cpu::rope(x.data(), 0, 1, 1, 4, &pos, ropeParams(RopeStyle::NeoX, 1.0f), nullptr);
        // Pairs (x0, x2) by 3 rad and (x1, x3) by 0.3 rad.
        QVERIFY(std::abs(x[0] - std::cos(3.0f)) < 1e-6f);
        QVERIFY(std::abs(x[2] - std::sin(3.0f)) < 1e-6f);
        QVERIFY(std::abs(x[1] - (-2 * std::sin(0.3f))) < 1e-6f);
        QVERIFY(std::abs(x[3] - 2 * std::cos(0.3f)) < 1e-6f);
    }

    void ropeScalingAndFactors()
    {
        // Linear scale 0.5 at pos 4 equals pos 2; a factor of 2 on pair 1 halves its angle.
        std::vector<float> a{1, 0, 1, 0}, b{1, 0, 1, 0};
        const int32_t p4 = 4, p2 = 2;
        cpu::rope(a.data(), 0, 1, 1, 4, &p4, ropeParams(RopeStyle::Normal, 0.5f), nullptr);
        cpu::rope(b.data(), 0, 1, 1, 4, &p2, ropeParams(RopeStyle::Normal, 1.0f), nullptr);
        for (int i = 0; i < 4; ++i)
            QVERIFY(std::abs(a[i] - b[i]) < 1e-6f);
        std::vector<float> c{1, 0, 1, 0};
        const float factors[2] = {1.0f, 2.0f};
        cpu::rope(c.data(), 0, 1, 1, 4, &p2, ropeParams(RopeStyle::Normal, 1.0f), factors);
        QVERIFY(std::abs(c[0] - std::cos(2.0f)) < 1e-6f);
        QVERIFY(std::abs(c[2] - std::cos(0.1f)) < 1e-6f);
    }

    void ropeAttnFactorScalesRotatedPairsOnly()
    {
        // LongRoPE's mscale multiplies cos and sin of the rotated dimensions; with n_rot 2 of a
        // head of 4 the last two values pass through untouched.
        std::vector<float> x{1, 0, 3, 4};
        const int32_t pos = 3;
        RopeParams p = ropeParams(RopeStyle::NeoX, 1.0f);
        p.n_rot = 2;
        p.attn_factor = 1.5f;
        cpu::rope(x.data(), 0, 1, 1, 4, &pos, p, nullptr);
        QVERIFY(std::abs(x[0] - 1.5f * std::cos(3.0f)) < 1e-6f);
        QVERIFY(std::abs(x[1] - 1.5f * std::sin(3.0f)) < 1e-6f);
        QCOMPARE(x[2], 3.0f);
        QCOMPARE(x[3], 4.0f);
    }

    void attentionHeadMatchesDouble()
    {
        std::mt19937 rng(2);
        std::uniform_real_distribution<float> d(-1, 1);
        const uint32_t n_kv = 9, hd = 12, stride = 36, off = 12;
        std::vector<float> q(hd), k(n_kv * stride), v(n_kv * stride);
        for (auto *vec : {&q, &k, &v})
            for (auto &x : *vec)
                x = d(rng);
        std::vector<double> s(n_kv);
        double mx = -1e30, sum = 0;
        for (uint32_t j = 0; j < n_kv; ++j) {
            double dot = 0;
            for (uint32_t i = 0; i < hd; ++i)
                dot += double(q[i]) * k[j * stride + off + i];
            s[j] = dot * 0.3;
            mx = std::max(mx, s[j]);
        }
        for (auto &x : s)
            sum += (x = std::exp(x - mx));
        std::vector<float> out(hd), scratch(n_kv);
        cpu::attentionHead(q.data(), k.data(), v.data(), TensorType::F32, stride, off, n_kv, hd, 0.3f, scratch.data(), out.data());
        for (uint32_t i = 0; i < hd; ++i) {
            double ref = 0;
            for (uint32_t j = 0; j < n_kv; ++j)
                ref += s[j] / sum * v[j * stride + off + i];
            QVERIFY2(std::abs(out[i] - ref) < 1e-5, qPrintable(QString::number(out[i] - ref)));
        }
        // The F16 cache path agrees to F16 precision.
        std::vector<uint16_t> kh(k.size()), vh(v.size());
        cpu::floatToHalfRow(k.data(), kh.data(), k.size());
        cpu::floatToHalfRow(v.data(), vh.data(), v.size());
        std::vector<float> outh(hd);
        cpu::attentionHead(q.data(), kh.data(), vh.data(), TensorType::F16, stride, off, n_kv, hd, 0.3f, scratch.data(), outh.data());
        for (uint32_t i = 0; i < hd; ++i)
            QVERIFY(std::abs(outh[i] - out[i]) < 5e-3f);
    }

    void swigluAndSoftmax()
    {
        const float g[3] = {0.0f, 1.0f, -2.0f}, u[3] = {5.0f, 2.0f, 1.0f};
        float o[3];
        cpu::swiglu(g, u, o, 3);
        QCOMPARE(o[0], 0.0f);
        QVERIFY(std::abs(o[1] - 2.0f / (1.0f + std::exp(-1.0f))) < 1e-6f);
        QVERIFY(std::abs(o[2] - (-2.0f / (1.0f + std::exp(2.0f)))) < 1e-6f);
        float x[3] = {100.0f, 100.0f, 100.0f + std::log(2.0f)}; // large: tests the max shift
        cpu::softmaxRow(x, 3);
        QVERIFY(std::abs(x[0] - 0.25f) < 1e-5f && std::abs(x[2] - 0.5f) < 1e-5f);
    }

    void moeRouteTopKRenormalised()
    {
        // Probabilities proportional to 1, 4, 2, 3: top-2 is experts 1 and 3, weights 4/7, 3/7.
        const float logits[4] = {0.0f, std::log(4.0f), std::log(2.0f), std::log(3.0f)};
        int32_t ids[2];
        float w[2];
        cpu::moeRouteRow(logits, 4, 2, true, ids, w);
        QCOMPARE(ids[0], 1);
        QCOMPARE(ids[1], 3);
        QVERIFY(std::abs(w[0] - 4.0f / 7) < 1e-6f && std::abs(w[1] - 3.0f / 7) < 1e-6f);
        cpu::moeRouteRow(logits, 4, 2, false, ids, w);
        QVERIFY(std::abs(w[0] - 0.4f) < 1e-6f && std::abs(w[1] - 0.3f) < 1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestCpuOps)
#include "test_cpu_ops.moc"
