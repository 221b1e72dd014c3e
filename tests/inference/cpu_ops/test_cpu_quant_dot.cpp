// The integer mat-vec path (activations rounded to 32-value int8 blocks) against the float
// reference, the AVX2 kernels against the scalar ones, and the thread pool under many tiny
// jobs, on odd shapes: rows 1, 7, 33, 257; columns of 1, 2 and 3 blocks.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_matmul.h"
#include "backend/cpu/cpu_quant_dot.h"
#include "backend/cpu/cpu_simd.h"
#include "core/quant/quantize.h"
#include "parity.h"

#include <QtTest>

#include <atomic>
#include <cmath>
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

struct QuantWeight
{
    std::vector<std::byte> bytes;
    WeightView view;
};

QuantWeight makeWeight(TensorType t, uint32_t n_cols, uint32_t n_rows, uint32_t seed)
{
    const auto wf = randomFloats(size_t(n_cols) * n_rows, seed);
    QuantWeight w;
    w.bytes.resize(*tensorBytes(t, wf.size()));
    if (!quant::quantize(t, wf, w.bytes).ok())
        qFatal("quantize failed");
    w.view = WeightView{t, w.bytes.data(), n_cols, n_rows, w.bytes.size() / n_rows};
    return w;
}

// What the integer path sees: x after rounding to blocks.
std::vector<float> dequantizedActs(const std::vector<cpu::ActBlock> &blocks)
{
    std::vector<float> x;
    for (const auto &b : blocks)
        for (int8_t q : b.q)
            x.push_back(b.d * float(q));
    return x;
}

constexpr TensorType k_types[] = {TensorType::Q8_0, TensorType::Q4_0, TensorType::Q4_K, TensorType::Q6_K};

uint32_t blockWidth(TensorType t) { return t == TensorType::Q4_K || t == TensorType::Q6_K ? 256 : 32; }

} // namespace

class TestCpuQuantDot : public QObject
{
    Q_OBJECT

private slots:
    void activationsRoundTrip()
    {
        auto x = randomFloats(96, 5);
        std::fill(x.begin() + 32, x.begin() + 64, 0.0f); // an all-zero block must not divide by zero
        std::vector<cpu::ActBlock> blocks(3);
        cpu::quantizeActivations(TensorType::Q8_0, x.data(), x.size(), blocks.data());
        QCOMPARE(blocks[1].d, 0.0f);
        QCOMPARE(blocks[1].sum, 0);
        const auto back = dequantizedActs(blocks);
        for (size_t i = 0; i < x.size(); ++i)
            QVERIFY(std::fabs(back[i] - x[i]) <= blocks[i / 32].d * 0.5f + 1e-7f);
        for (const auto &b : blocks) {
            int32_t sum = 0;
            for (int8_t q : b.q)
                sum += q;
            QCOMPARE(b.sum, sum);
        }
    }

    void kQuantActivationsShareOneScalePerSuperBlock()
    {
        // Q4_K/Q6_K kernels sum a super-block in integers, which is right only if its eight
        // activation blocks share one scale.
        auto x = randomFloats(512, 6);
        x[300] = 9.0f; // the second super-block's largest value sets its scale
        std::vector<cpu::ActBlock> blocks(16);
        cpu::quantizeActivations(TensorType::Q4_K, x.data(), x.size(), blocks.data());
        for (int b = 1; b < 8; ++b)
            QCOMPARE(blocks[b].d, blocks[0].d);
        for (int b = 9; b < 16; ++b)
            QCOMPARE(blocks[b].d, blocks[8].d);
        QCOMPARE(blocks[8].d, 9.0f / 127.0f);
        const auto back = dequantizedActs(blocks);
        for (size_t i = 0; i < x.size(); ++i)
            QVERIFY(std::fabs(back[i] - x[i]) <= blocks[i / 32].d * 0.5f + 1e-6f);
    }

    // The scalar kernels are exact (to float rounding) against a double dot product of the
    // dequantized weights with the rounded activations.
    void scalarMatchesReference_data() { typesAndShapes(); }
    void scalarMatchesReference()
    {
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        const auto t = TensorType(type);
        const uint32_t n_cols = blockWidth(t) * uint32_t(blocks);
        const auto w = makeWeight(t, n_cols, uint32_t(rows), uint32_t(rows) * 31 + n_cols);
        const auto xf = randomFloats(n_cols, 9);
        std::vector<cpu::ActBlock> xq(n_cols / 32);
        cpu::quantizeActivations(t, xf.data(), n_cols, xq.data());
        const auto xr = dequantizedActs(xq);
        const size_t n_rows = size_t(rows);
        std::vector<float> ref(n_rows), got(n_rows), vec(n_rows);
        cpu::matmulReference(w.view, xr.data(), 1, ref.data());
        for (int r = 0; r < rows; ++r) {
            const std::byte *row = w.view.data + size_t(r) * w.view.rowBytes;
            got[size_t(r)] = cpu::scalar::quantDot(t, row, xq.data(), n_cols);
            vec[size_t(r)] = cpu::quantDot(t, row, xq.data(), n_cols);
        }
        QVERIFY2(test::nmse(got, ref) < 1e-11, qPrintable(QString::number(test::nmse(got, ref))));
        // The dispatched (AVX2 where present) kernel against the scalar one.
        QVERIFY2(test::nmse(vec, got) < 1e-11, qPrintable(QString::number(test::nmse(vec, got))));
    }

    // Through the backend, threaded: equal to the reference on rounded activations, and close
    // to the one on the float activations (the rounding is the only difference).
    void backendMatvec_data() { typesAndShapes(); }
    void backendMatvec()
    {
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        const auto t = TensorType(type);
        const uint32_t n_cols = blockWidth(t) * uint32_t(blocks);
        auto w = makeWeight(t, n_cols, uint32_t(rows), uint32_t(rows) + n_cols);
        Weight weight;
        weight.view = w.view;
        for (unsigned threads : {1u, 2u, 3u}) {
            cpu::CpuBackend backend(threads);
            QVERIFY(backend.prepareWeight(weight).ok());
            for (uint32_t n_tok : {1u, 2u}) {
                const auto xf = randomFloats(size_t(n_cols) * n_tok, 11 + n_tok);
                auto xb = backend.createBuffer(TensorType::F32, xf.size());
                auto yb = backend.createBuffer(TensorType::F32, size_t(rows) * n_tok);
                const BufferView x{xb.value().get(), 0, n_cols, n_tok}, y{yb.value().get(), 0, uint32_t(rows), n_tok};
                backend.write(x, xf);
                backend.matmul(weight, x, y);
                std::vector<float> got(size_t(rows) * n_tok), exact(got.size()), loose(got.size());
                backend.read(y, got);
                std::vector<cpu::ActBlock> xq(xf.size() / 32);
                cpu::quantizeActivations(t, xf.data(), xf.size(), xq.data());
                cpu::matmulReference(w.view, dequantizedActs(xq).data(), n_tok, exact.data());
                cpu::matmulReference(w.view, xf.data(), n_tok, loose.data());
                QVERIFY2(test::nmse(got, exact) < 1e-10, qPrintable(QString::number(test::nmse(got, exact))));
                if (rows > 1) // one dot may be near zero, which makes its relative error meaningless
                    QVERIFY2(test::nmse(got, loose) < 1e-3, qPrintable(QString::number(test::nmse(got, loose))));
            }
        }
    }

    void unsupportedShapesStayOnTheFloatPath()
    {
        QVERIFY(!cpu::quantDotSupported(TensorType::Q4_K, 288)); // not whole super-blocks
        QVERIFY(!cpu::quantDotSupported(TensorType::Q5_1, 256));
        QVERIFY(!cpu::quantDotSupported(TensorType::F16, 256));
        QVERIFY(cpu::quantDotSupported(TensorType::Q8_0, 96));
    }

    // Decode runs hundreds of tiny jobs per token: every chunk exactly once, every time.
    void threadPoolManyTinyJobs()
    {
        for (unsigned threads : {2u, 3u}) {
            cpu::ThreadPool pool(threads);
            std::vector<std::atomic<int>> hits(37);
            std::atomic<bool> badThread{false}; // QTest macros are for the test's own thread
            for (int job = 0; job < 3000; ++job) {
                const unsigned chunks = 1 + unsigned(job % 37);
                pool.run([&](unsigned c, unsigned, unsigned thread) {
                    if (thread >= threads)
                        badThread = true;
                    hits[c].fetch_add(1);
                }, chunks);
                QVERIFY(!badThread);
                for (unsigned c = 0; c < hits.size(); ++c)
                    QCOMPARE(hits[c].exchange(0), c < chunks ? 1 : 0);
            }
        }
    }

private:
    void typesAndShapes()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("blocks");
        for (TensorType t : k_types)
            for (int rows : {1, 7, 33, 257})
                for (int blocks : {1, 2, 3})
                    QTest::addRow("%s r%d b%d", tensorTypeName(uint32_t(t)).c_str(), rows, blocks) << int(t) << rows << blocks;
    }
};

QTEST_GUILESS_MAIN(TestCpuQuantDot)
#include "test_cpu_quant_dot.moc"
