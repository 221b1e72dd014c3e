// Block layouts with hand-made blocks of known values, F16/BF16 conversions, and
// quantize -> dequantize round trips.
#include "core/quant/blocks.h"
#include "core/quant/dequantize.h"
#include "core/quant/half.h"
#include "core/quant/quantize.h"
#include "parity.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace parlo;
using namespace parlo::quant;

namespace {

template<typename Block>
std::vector<float> decode(TensorType type, const Block &block)
{
    std::vector<std::byte> bytes(sizeof(Block));
    std::memcpy(bytes.data(), &block, sizeof(Block));
    std::vector<float> out(tensorTypeInfo(type)->blockSize);
    auto r = dequantize(type, bytes, out);
    if (!r)
        qFatal("%s", r.error().message.c_str());
    return out;
}

std::vector<float> gaussian(size_t n, uint32_t seed, float sigma = 1.0f)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, sigma);
    std::vector<float> v(n);
    for (float &x : v)
        x = dist(rng);
    return v;
}

const uint16_t k_half = 0x3800;  // 0.5
const uint16_t k_one = 0x3c00;   // 1.0
const uint16_t k_two = 0x4000;   // 2.0
const uint16_t k_quarter = 0x3400; // 0.25

} // namespace

class TestQuantBlocks : public QObject
{
    Q_OBJECT

private slots:
    void blockSizesMatchTheTypeTable()
    {
        const std::pair<TensorType, size_t> sizes[] = {
            {TensorType::Q4_0, sizeof(BlockQ4_0)}, {TensorType::Q4_1, sizeof(BlockQ4_1)},
            {TensorType::Q5_0, sizeof(BlockQ5_0)}, {TensorType::Q5_1, sizeof(BlockQ5_1)},
            {TensorType::Q8_0, sizeof(BlockQ8_0)}, {TensorType::Q2_K, sizeof(BlockQ2_K)},
            {TensorType::Q3_K, sizeof(BlockQ3_K)}, {TensorType::Q4_K, sizeof(BlockQ4_K)},
            {TensorType::Q5_K, sizeof(BlockQ5_K)}, {TensorType::Q6_K, sizeof(BlockQ6_K)},
            {TensorType::IQ4_NL, sizeof(BlockIQ4_NL)}, {TensorType::IQ4_XS, sizeof(BlockIQ4_XS)}};
        for (const auto &[type, size] : sizes)
            QCOMPARE(size_t(tensorTypeInfo(type)->bytesPerBlock), size);
        // Every type the table calls supported can be dequantized, and no other.
        for (uint32_t id = 0; id < 64; ++id) {
            if (auto info = tensorTypeInfo(id))
                QVERIFY2(info->supported == canDequantize(info->type), info->name.data());
        }
    }

    void halfConversionsAreExactAndRoundToEven()
    {
        // Every F16 value survives F16 -> F32 -> F16 (NaNs stay NaN).
        for (uint32_t h = 0; h < 0x10000; ++h) {
            const float f = fp16ToFp32(uint16_t(h));
            if (std::isnan(f)) {
                QVERIFY(std::isnan(fp16ToFp32(fp32ToFp16(f))));
                continue;
            }
            QCOMPARE(fp32ToFp16(f), uint16_t(h));
        }
        QCOMPARE(fp16ToFp32(0x3c00), 1.0f);
        QCOMPARE(fp16ToFp32(0xc000), -2.0f);
        QCOMPARE(fp16ToFp32(0x7bff), 65504.0f);
        QCOMPARE(fp16ToFp32(0x0001), std::ldexp(1.0f, -24));
        QCOMPARE(fp16ToFp32(0x03ff), std::ldexp(1023.0f, -24));
        QVERIFY(std::isinf(fp16ToFp32(0xfc00)) && fp16ToFp32(0xfc00) < 0);
        QCOMPARE(fp32ToFp16(65519.0f), uint16_t(0x7bff));
        QCOMPARE(fp32ToFp16(65520.0f), uint16_t(0x7c00)); // rounds to infinity
        QCOMPARE(fp32ToFp16(1e10f), uint16_t(0x7c00));
        QCOMPARE(fp32ToFp16(-0.0f), uint16_t(0x8000));
        // Ties to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10.
        QCOMPARE(fp32ToFp16(1.0f + std::ldexp(1.0f, -11)), uint16_t(0x3c00));
        QCOMPARE(fp32ToFp16(1.0f + 3 * std::ldexp(1.0f, -11)), uint16_t(0x3c02));
        QCOMPARE(fp32ToFp16(std::ldexp(1.0f, -25)), uint16_t(0)); // halfway to the first subnormal
        QCOMPARE(fp32ToFp16(std::ldexp(3.0f, -25)), uint16_t(2));
        QCOMPARE(fp32ToFp16(std::ldexp(1.0f, -14) * (1.0f - std::ldexp(1.0f, -12))), uint16_t(0x0400));
        // Against the nearest F16, by brute force, on random floats across the range.
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> exps(-26.0f, 15.99f);
        for (int i = 0; i < 20000; ++i) {
            const float f = std::exp2(exps(rng)) * (rng() & 1 ? 1.0f : -1.0f);
            const uint16_t h = fp32ToFp16(f);
            const double err = std::fabs(double(fp16ToFp32(h)) - f);
            const double up = std::fabs(double(fp16ToFp32(uint16_t(h + 1))) - f);
            const double down = (h & 0x7fff) ? std::fabs(double(fp16ToFp32(uint16_t(h - 1))) - f) : INFINITY;
            QVERIFY2(err <= up && err <= down, qPrintable(QString::number(f, 'g', 9)));
        }
        QCOMPARE(bf16ToFp32(0x3f80), 1.0f);
        QCOMPARE(fp32ToBf16(1.0f), uint16_t(0x3f80));
        QCOMPARE(fp32ToBf16(std::bit_cast<float>(0x3f808000u)), uint16_t(0x3f80)); // tie -> even
        QCOMPARE(fp32ToBf16(std::bit_cast<float>(0x3f818000u)), uint16_t(0x3f82)); // tie -> even
        QCOMPARE(fp32ToBf16(std::bit_cast<float>(0x3f808001u)), uint16_t(0x3f81));
        QVERIFY(std::isnan(bf16ToFp32(fp32ToBf16(NAN))));
    }

    void handMadeLegacyBlocks()
    {
        BlockQ4_0 q40{k_half, {}};
        for (int j = 0; j < 16; ++j)
            q40.qs[j] = uint8_t(j | ((15 - j) << 4));
        auto y = decode(TensorType::Q4_0, q40);
        for (int j = 0; j < 16; ++j) {
            QCOMPARE(y[j], 0.5f * float(j - 8));
            QCOMPARE(y[j + 16], 0.5f * float(7 - j));
        }

        BlockQ4_1 q41{k_two, k_quarter, {}};
        for (int j = 0; j < 16; ++j)
            q41.qs[j] = uint8_t(j | (3 << 4));
        y = decode(TensorType::Q4_1, q41);
        QCOMPARE(y[5], 2.0f * 5 + 0.25f);
        QCOMPARE(y[21], 2.0f * 3 + 0.25f);

        // Q5_0: fifth bits for elements 1 and 17 (bits 1 and 17 of qh).
        BlockQ5_0 q50{k_one, {}, {}};
        const uint32_t qh = (1u << 1) | (1u << 17);
        std::memcpy(q50.qh, &qh, 4);
        for (int j = 0; j < 16; ++j)
            q50.qs[j] = uint8_t(0x0f | (0x02 << 4));
        y = decode(TensorType::Q5_0, q50);
        QCOMPARE(y[0], 15.0f - 16);
        QCOMPARE(y[1], 31.0f - 16);
        QCOMPARE(y[16], 2.0f - 16);
        QCOMPARE(y[17], 18.0f - 16);

        BlockQ5_1 q51{k_half, k_one, {}, {}};
        const uint32_t qh1 = 1u << 31;
        std::memcpy(q51.qh, &qh1, 4);
        q51.qs[15] = 0x10; // element 15: code 0; element 31: code 1 | 16
        y = decode(TensorType::Q5_1, q51);
        QCOMPARE(y[15], 1.0f);
        QCOMPARE(y[31], 0.5f * 17 + 1.0f);

        BlockQ8_0 q80{k_quarter, {}};
        for (int j = 0; j < 32; ++j)
            q80.qs[j] = int8_t(j * 8 - 128);
        y = decode(TensorType::Q8_0, q80);
        QCOMPARE(y[0], -32.0f);
        QCOMPARE(y[31], 0.25f * (31 * 8 - 128));

        BlockIQ4_NL nl{k_half, {}};
        for (int j = 0; j < 16; ++j)
            nl.qs[j] = uint8_t(j | ((15 - j) << 4));
        y = decode(TensorType::IQ4_NL, nl);
        QCOMPARE(y[0], 0.5f * -127);
        QCOMPARE(y[8], 0.5f * 1);
        QCOMPARE(y[16], 0.5f * 113);
    }

    void handMadeKBlocks()
    {
        // Q2_K: sub-block 5 (second half... no: first half, plane 2, group 1) scale 3, min 1.
        BlockQ2_K q2{};
        q2.d = k_one;
        q2.dmin = k_half;
        q2.scales[5] = uint8_t(3 | (1 << 4));
        q2.qs[16 + 4] = uint8_t(2 << 4); // plane 2 of qs[20] -> element 2*32 + 16 + 4 = 84
        auto y = decode(TensorType::Q2_K, q2);
        QCOMPARE(y[84], 3.0f * 2 - 0.5f);
        QCOMPARE(y[85], -0.5f);
        QCOMPARE(y[0], 0.0f);

        // Q3_K: every scale code 32 + i (value i), all high bits set except element 130's.
        BlockQ3_K q3{};
        q3.d = k_one;
        for (int i = 0; i < 16; ++i) {
            const int code = 32 + i;
            if (i < 8)
                q3.scales[i] = uint8_t(q3.scales[i] | (code & 0x0f));
            else
                q3.scales[i - 8] = uint8_t(q3.scales[i - 8] | ((code & 0x0f) << 4));
            q3.scales[8 + i % 4] = uint8_t(q3.scales[8 + i % 4] | ((code >> 4) << (2 * (i / 4))));
        }
        std::memset(q3.hmask, 0xff, sizeof(q3.hmask));
        q3.hmask[2] = uint8_t(~(1u << 4)); // element 128 + 2 (second half, plane 0)
        q3.qs[32 + 2] = 3;                 // code 3 there
        q3.qs[1] = uint8_t(1 << 6);        // element 96 + 1 (first half, plane 3): code 1
        y = decode(TensorType::Q3_K, q3);
        QCOMPARE(y[130], 8.0f * (3 - 4)); // sub-block 8
        QCOMPARE(y[97], 6.0f * 1);        // sub-block 6
        QCOMPARE(y[0], 0.0f);

        // Q4_K: sub-block 5 with scale 33 and min 17 exercise the split 6-bit packing.
        BlockQ4_K q4{};
        q4.d = k_half;
        q4.dmin = k_one;
        const uint8_t sc5 = 33, mn5 = 17, sc0 = 2, mn0 = 1;
        q4.scales[0] = uint8_t(sc0);
        q4.scales[4] = uint8_t(mn0);
        q4.scales[1] = uint8_t((sc5 >> 4) << 6);
        q4.scales[5] = uint8_t((mn5 >> 4) << 6);
        q4.scales[9] = uint8_t((sc5 & 0x0f) | ((mn5 & 0x0f) << 4));
        q4.qs[64 + 7] = uint8_t(9 << 4); // sub-block 5 = high nibbles of qs[64..95]
        q4.qs[3] = 4;                    // sub-block 0
        y = decode(TensorType::Q4_K, q4);
        QCOMPARE(y[160 + 7], 0.5f * 33 * 9 - 17.0f);
        QCOMPARE(y[3], 0.5f * 2 * 4 - 1.0f);
        QCOMPARE(y[32], 0.0f); // sub-block 1: scale 0, min 0

        BlockQ5_K q5{};
        q5.d = k_one;
        q5.dmin = k_one;
        q5.scales[3] = 1; // sub-block 3, scale 1, min 0
        q5.qh[10] = 1 << 3;
        q5.qs[32 + 10] = uint8_t(5 << 4);
        y = decode(TensorType::Q5_K, q5);
        QCOMPARE(y[96 + 10], 21.0f);

        BlockQ6_K q6{};
        q6.d = k_half;
        for (int i = 0; i < 16; ++i)
            q6.scales[i] = int8_t(i - 8);
        // Element 128 + 64 + 20 (second half, quarter 2): ql[64 + 20] high nibble, qh[32 + 20] bits 4-5.
        q6.ql[64 + 20] = uint8_t(0x7 << 4);
        q6.qh[32 + 20] = uint8_t(0x3 << 4);
        y = decode(TensorType::Q6_K, q6);
        const int sub = (128 + 64 + 20) / 16; // 13
        QCOMPARE(y[212], 0.5f * float(sub - 8) * float((0x7 | (0x3 << 4)) - 32));
        QCOMPARE(y[0], 0.5f * float(0 - 8) * -32.0f);

        BlockIQ4_XS xs{};
        xs.d = k_one;
        // Sub-block 3: scale code 32 + 2 = 0b100010 -> low nibble 2, high bits 2.
        xs.scales_l[1] = uint8_t(2 << 4);
        xs.scales_h = uint16_t(2 << 6);
        xs.qs[16 * 3 + 5] = uint8_t(15 | (0 << 4));
        y = decode(TensorType::IQ4_XS, xs);
        QCOMPARE(y[96 + 5], 2.0f * 113);
        QCOMPARE(y[96 + 21], 2.0f * -127);
        QCOMPARE(y[0], -32.0f * -127); // scale code 0 -> -32
    }

    void quantizeRoundTrips_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<double>("maxNmse");
        // Ceilings for unit-Gaussian data, about 1.5x the measured error (F16 4.3e-8, BF16 2.8e-6,
        // Q8_0 2.9e-5, Q6_K 3.5e-4, Q5_0 1.8e-3, Q5_1 1.5e-3, Q4_0 7.4e-3, Q4_1 6.1e-3, Q4_K 6.1e-3).
        QTest::newRow("F32") << int(TensorType::F32) << 0.0;
        QTest::newRow("F16") << int(TensorType::F16) << 1e-7;
        QTest::newRow("BF16") << int(TensorType::BF16) << 5e-6;
        QTest::newRow("Q8_0") << int(TensorType::Q8_0) << 5e-5;
        QTest::newRow("Q6_K") << int(TensorType::Q6_K) << 6e-4;
        QTest::newRow("Q5_0") << int(TensorType::Q5_0) << 3e-3;
        QTest::newRow("Q5_1") << int(TensorType::Q5_1) << 2.5e-3;
        QTest::newRow("Q4_0") << int(TensorType::Q4_0) << 1.2e-2;
        QTest::newRow("Q4_1") << int(TensorType::Q4_1) << 1e-2;
        QTest::newRow("Q4_K") << int(TensorType::Q4_K) << 1e-2;
    }

    void quantizeRoundTrips()
    {
        QFETCH(int, type);
        QFETCH(double, maxNmse);
        const auto t = TensorType(type);
        const size_t n = 256 * 64;
        const auto x = gaussian(n, 42);
        std::vector<std::byte> q(*tensorBytes(t, n));
        QVERIFY(quantize(t, x, q));
        std::vector<float> y(n);
        QVERIFY(dequantize(t, q, y));
        const double e = parlo::test::nmse(y, x);
        qInfo("%s round trip NMSE %.3g", tensorTypeName(uint32_t(t)).c_str(), e);
        QVERIFY2(e <= maxNmse, qPrintable(QString::number(e)));
        // Quantizing the decoded values again gives the same decoded values (codes are stable).
        std::vector<std::byte> q2(q.size());
        QVERIFY(quantize(t, y, q2));
        std::vector<float> y2(n);
        QVERIFY(dequantize(t, q2, y2));
        QVERIFY2(parlo::test::nmse(y2, y) <= maxNmse / 10, "re-quantizing drifted");
        // All-zero and constant blocks stay exact-ish and finite.
        std::vector<float> zeros(256, 0.0f);
        std::vector<std::byte> qz(*tensorBytes(t, 256));
        QVERIFY(quantize(t, zeros, qz));
        std::vector<float> back(256, 1.0f);
        QVERIFY(dequantize(t, qz, back));
        for (float v : back)
            QCOMPARE(v, 0.0f);
    }

    void sizeMismatchesAreErrors()
    {
        std::vector<float> out(32);
        std::vector<std::byte> src(18);
        QVERIFY(dequantize(TensorType::Q4_0, src, out));
        const auto shortSrc = dequantize(TensorType::Q4_0, std::span(src).first(17), out);
        QVERIFY(!shortSrc);
        QVERIFY2(shortSrc.error().message.find("take 18 bytes, but 17") != std::string::npos,
                 shortSrc.error().message.c_str());
        const auto partial = dequantize(TensorType::Q4_0, src, std::span(out).first(31));
        QVERIFY(!partial);
        QVERIFY(partial.error().message.find("whole number of Q4_0 blocks") != std::string::npos);
        std::vector<std::byte> iq2(66);
        std::vector<float> out256(256);
        const auto unsupported = dequantize(TensorType::IQ2_XXS, iq2, out256);
        QVERIFY(!unsupported);
        QVERIFY(unsupported.error().message.find("IQ2_XXS") != std::string::npos);
        QVERIFY(!quantize(TensorType::Q2_K, out256, std::span<std::byte>()));
        QVERIFY(!quantize(TensorType::Q8_0, out, std::span(src).first(18)));
        QVERIFY(dequantize(TensorType::Q8_0, {}, {})); // nothing to do is fine
    }
};

QTEST_GUILESS_MAIN(TestQuantBlocks)
#include "test_quant_blocks.moc"
