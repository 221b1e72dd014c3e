// The CPU backend's threaded ops against the single-threaded references, on odd shapes.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_matmul.h"
#include "backend/cpu/cpu_ops.h"
#include "backend/cpu/cpu_quant_dot.h"
#include "backend/cpu/cpu_simd.h"
#include "core/quant/quantize.h"
#include "parity.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

using namespace parlo;

namespace {

std::vector<float> randomFloats(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(-1, 1);
    std::vector<float> v(n);
    for (auto &x : v)
        x = d(rng);
    return v;
}

// Encodes float rows in a plain type (F32, F16, BF16) as a file would hold them.
std::vector<std::byte> encode(TensorType type, const std::vector<float> &values)
{
    std::vector<std::byte> out;
    for (float f : values) {
        if (type == TensorType::F32) {
            std::byte b[4];
            std::memcpy(b, &f, 4);
            out.insert(out.end(), b, b + 4);
        } else {
            uint16_t h;
            if (type == TensorType::F16) {
                h = cpu::floatToHalf(f);
            } else {
                uint32_t bits;
                std::memcpy(&bits, &f, 4);
                h = uint16_t(bits >> 16);
            }
            std::byte b[2];
            std::memcpy(b, &h, 2);
            out.insert(out.end(), b, b + 2);
        }
    }
    return out;
}

struct Buffers
{
    cpu::CpuBackend &backend;
    std::vector<std::unique_ptr<BackendBuffer>> owned;
    BufferView make(uint32_t ne0, uint32_t ne1, TensorType type = TensorType::F32)
    {
        auto b = backend.createBuffer(type, size_t(ne0) * ne1);
        owned.push_back(std::move(b.value()));
        return BufferView{owned.back().get(), 0, ne0, ne1};
    }
};

} // namespace

class TestCpuBackend : public QObject
{
    Q_OBJECT

private slots:
    void matmulEveryPlainTypeOddShapes_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("F32") << int(TensorType::F32);
        QTest::newRow("F16") << int(TensorType::F16);
        QTest::newRow("BF16") << int(TensorType::BF16);
    }
    void matmulEveryPlainTypeOddShapes()
    {
        QFETCH(int, type);
        const auto t = TensorType(type);
        cpu::CpuBackend backend(3);
        Buffers bufs{backend, {}};
        for (auto [n_cols, n_rows, n_tok] : {std::tuple{37u, 11u, 1u}, {64u, 129u, 5u}, {100u, 3u, 17u}}) {
            const auto wf = randomFloats(size_t(n_cols) * n_rows, n_cols);
            const auto bytes = encode(t, wf);
            Weight w;
            w.view = WeightView{t, bytes.data(), n_cols, n_rows, bytes.size() / n_rows};
            QVERIFY(backend.prepareWeight(w).ok());
            const auto xf = randomFloats(size_t(n_cols) * n_tok, 7);
            BufferView x = bufs.make(n_cols, n_tok), y = bufs.make(n_rows, n_tok);
            backend.write(x, xf);
            backend.matmul(w, x, y);
            std::vector<float> got(size_t(n_rows) * n_tok), ref(got.size());
            backend.read(y, got);
            cpu::matmulReference(w.view, xf.data(), n_tok, ref.data());
            QVERIFY2(test::nmse(got, ref) < 1e-10, qPrintable(QString::number(test::nmse(got, ref))));
        }
    }

    void matmulQuantizedTypes_data()
    {
        QTest::addColumn<int>("type");
        for (TensorType t : {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K, TensorType::Q6_K, TensorType::Q5_1})
            QTest::newRow(tensorTypeName(uint32_t(t)).c_str()) << int(t);
    }
    void matmulQuantizedTypes()
    {
        QFETCH(int, type);
        const auto t = TensorType(type);
        cpu::CpuBackend backend(2);
        Buffers bufs{backend, {}};
        const uint32_t n_cols = 512, n_rows = 67;
        const auto wf = randomFloats(size_t(n_cols) * n_rows, 3);
        std::vector<std::byte> bytes(*tensorBytes(t, wf.size()));
        QVERIFY(quant::quantize(t, wf, bytes).ok());
        Weight w;
        w.view = WeightView{t, bytes.data(), n_cols, n_rows, bytes.size() / n_rows};
        QVERIFY(backend.prepareWeight(w).ok());
        for (uint32_t n_tok : {1u, 2u, 6u}) { // the mat-vec and the batched paths
            const auto xf = randomFloats(size_t(n_cols) * n_tok, 8);
            BufferView x = bufs.make(n_cols, n_tok), y = bufs.make(n_rows, n_tok);
            backend.write(x, xf);
            backend.matmul(w, x, y);
            std::vector<float> got(size_t(n_rows) * n_tok), ref(got.size());
            backend.read(y, got);
            cpu::matmulReference(w.view, xf.data(), n_tok, ref.data());
            // Mat-vec on these types rounds the activations to int8 blocks (test_cpu_quant_dot
            // checks that path exactly); here only the rounding's small error remains.
            const double tolerance = n_tok <= 2 && cpu::quantDotSupported(t, n_cols) ? 1e-4 : 1e-10;
            QVERIFY2(test::nmse(got, ref) < tolerance, qPrintable(QString::number(test::nmse(got, ref))));
        }
    }

    void unsupportedWeightTypeRefused()
    {
        cpu::CpuBackend backend(1);
        Weight w;
        w.view.type = TensorType::IQ2_XXS;
        auto r = backend.prepareWeight(w);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("IQ2_XXS") != std::string::npos);
    }

    void attentionCausalGqa_data()
    {
        QTest::addColumn<int>("kvType");
        QTest::newRow("F32 cache") << int(TensorType::F32);
        QTest::newRow("F16 cache") << int(TensorType::F16);
    }
    void attentionCausalGqa()
    {
        QFETCH(int, kvType);
        // 6 query heads share 2 KV heads; 3 cached positions then a batch of 4 new tokens.
        const uint32_t n_head = 6, n_kv = 2, hd = 8, n_ctx = 16, pos0 = 3, n_tok = 4;
        cpu::CpuBackend backend(2);
        Buffers bufs{backend, {}};
        BufferView kc = bufs.make(n_kv * hd, n_ctx, TensorType(kvType)), vc = bufs.make(n_kv * hd, n_ctx, TensorType(kvType));
        const auto kAll = randomFloats(size_t(pos0 + n_tok) * n_kv * hd, 1), vAll = randomFloats(kAll.size(), 2);
        BufferView k = bufs.make(n_kv * hd, pos0 + n_tok), v = bufs.make(n_kv * hd, pos0 + n_tok);
        backend.write(k, kAll);
        backend.write(v, vAll);
        backend.kvStore(k.rows(0, pos0), v.rows(0, pos0), kc, vc, 0);
        backend.kvStore(k.rows(pos0, n_tok), v.rows(pos0, n_tok), kc, vc, pos0);
        const auto qf = randomFloats(size_t(n_tok) * n_head * hd, 3);
        BufferView q = bufs.make(n_head * hd, n_tok), out = bufs.make(n_head * hd, n_tok);
        backend.write(q, qf);
        AttentionParams p{n_head, n_kv, hd, pos0, 1.0f / std::sqrt(float(hd))};
        backend.attention(q, kc, vc, out, p);
        std::vector<float> got(qf.size());
        backend.read(out, got);
        for (uint32_t t = 0; t < n_tok; ++t) {
            for (uint32_t h = 0; h < n_head; ++h) {
                const uint32_t g = h / (n_head / n_kv), visible = pos0 + t + 1;
                std::vector<double> s(visible);
                double mx = -1e30, sum = 0;
                for (uint32_t j = 0; j < visible; ++j) {
                    double dot = 0;
                    for (uint32_t i = 0; i < hd; ++i)
                        dot += double(qf[(t * n_head + h) * hd + i]) * kAll[(j * n_kv + g) * hd + i];
                    s[j] = dot * p.scale;
                    mx = std::max(mx, s[j]);
                }
                for (auto &x : s)
                    sum += (x = std::exp(x - mx));
                for (uint32_t i = 0; i < hd; ++i) {
                    double ref = 0;
                    for (uint32_t j = 0; j < visible; ++j)
                        ref += s[j] / sum * vAll[(j * n_kv + g) * hd + i];
                    const float tol = kvType == int(TensorType::F16) ? 3e-3f : 1e-5f;
                    QVERIFY2(std::abs(got[(t * n_head + h) * hd + i] - ref) < tol, qPrintable(QStringLiteral("t%1 h%2").arg(t).arg(h)));
                }
            }
        }
    }

    void expertsMatchPlainMatmuls()
    {
        const uint32_t n_cols = 24, rowsPer = 10, n_expert = 4, n_tok = 3, k = 2;
        cpu::CpuBackend backend(2);
        Buffers bufs{backend, {}};
        const auto wf = randomFloats(size_t(n_cols) * rowsPer * n_expert, 5);
        Weight w;
        w.view = WeightView{TensorType::F32, reinterpret_cast<const std::byte *>(wf.data()), n_cols, rowsPer * n_expert, n_cols * 4};
        const auto xf = randomFloats(size_t(n_cols) * n_tok, 6);
        const std::vector<int32_t> idv{3, 0, 1, 3, 2, 1};
        BufferView x = bufs.make(n_cols, n_tok), ids = bufs.make(k, n_tok, TensorType::I32), y = bufs.make(rowsPer, n_tok * k);
        backend.write(x, xf);
        backend.writeIds(ids, idv);
        backend.matmulExperts(w, rowsPer, x, ids, y);
        std::vector<float> got(size_t(rowsPer) * n_tok * k);
        backend.read(y, got);
        for (uint32_t s = 0; s < n_tok * k; ++s) {
            std::vector<float> ref(rowsPer);
            cpu::matmulReference(w.view.rowSlice(uint64_t(idv[s]) * rowsPer, rowsPer), xf.data() + (s / k) * n_cols, 1, ref.data());
            for (uint32_t r = 0; r < rowsPer; ++r)
                QVERIFY(std::abs(got[s * rowsPer + r] - ref[r]) < 1e-5f);
        }
        // Combine: weights 0.25/0.75 of the two slots.
        BufferView wts = bufs.make(k, n_tok), comb = bufs.make(rowsPer, n_tok);
        backend.write(wts, std::vector<float>{0.25f, 0.75f, 1.0f, 0.0f, 0.5f, 0.5f});
        backend.moeCombine(y, wts, comb);
        std::vector<float> c(size_t(rowsPer) * n_tok);
        backend.read(comb, c);
        QVERIFY(std::abs(c[0] - (0.25f * got[0] + 0.75f * got[rowsPer])) < 1e-6f);
        QVERIFY(std::abs(c[rowsPer] - got[2 * rowsPer]) < 1e-6f);
    }

    void getRowsAndElementwise()
    {
        cpu::CpuBackend backend(2);
        Buffers bufs{backend, {}};
        const auto table = randomFloats(5 * 6, 9);
        const auto bytes = encode(TensorType::F16, table);
        Weight w;
        w.view = WeightView{TensorType::F16, bytes.data(), 6, 5, 12};
        BufferView ids = bufs.make(2, 1, TensorType::I32), out = bufs.make(6, 2);
        backend.writeIds(ids, std::vector<int32_t>{4, 1});
        backend.getRows(w, ids.reshaped(1, 2), out);
        std::vector<float> got(12);
        backend.read(out, got);
        for (int i = 0; i < 6; ++i) {
            QVERIFY(std::abs(got[i] - table[24 + i]) < 1e-3f);
            QVERIFY(std::abs(got[6 + i] - table[6 + i]) < 1e-3f);
        }
        BufferView a = bufs.make(3, 1), b = bufs.make(3, 1), o = bufs.make(3, 1);
        backend.write(a, std::vector<float>{1, 2, 3});
        backend.write(b, std::vector<float>{4, 5, 6});
        backend.add(a, b, o);
        std::vector<float> r(3);
        backend.read(o, r);
        QCOMPARE(r, (std::vector<float>{5, 7, 9}));
        backend.mul(a, b, o);
        backend.read(o, r);
        QCOMPARE(r, (std::vector<float>{4, 10, 18}));
    }
};

QTEST_GUILESS_MAIN(TestCpuBackend)
#include "test_cpu_backend.moc"
