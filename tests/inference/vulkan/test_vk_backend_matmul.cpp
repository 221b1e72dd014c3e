// The Vulkan backend's weight-reading ops (matmul through both paths, expert matmul, embedding
// lookup) against the CPU backend, for every weight type and odd shapes, with guard elements
// around every output and the validation layers watching.
#include "backend/cpu/cpu_matmul.h"
#include "parity.h"
#include "vk_parity.h"
#include "vulkan_fixture.h"

#include <QtTest>

using namespace parlo;
using namespace parlo::test;
using Path = vk::VulkanBackend::MatmulPath;

namespace {

const TensorType k_types[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q4_0,
                              TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0,
                              TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K, TensorType::Q5_K,
                              TensorType::Q6_K, TensorType::IQ4_NL, TensorType::IQ4_XS};

// Two row lengths per type: odd ones for the plain types, whole blocks for the quantized.
std::pair<int, int> columnsFor(TensorType type)
{
    const uint32_t block = tensorTypeInfo(type)->blockSize;
    if (block == 1)
        return {7, 100};
    if (block == 32)
        return {32, 96};
    return {256, 512};
}

constexpr double k_maxNmse = 1e-8; // same dequantized values on both sides; only sum order differs

} // namespace

class TestVkBackendMatmul : public QObject
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

    // The CPU backend is the reference; types it cannot read yet are skipped, not faked.
    static bool referenceFor(TensorType type, QString &why)
    {
        if (cpu::weightTypeSupported(type))
            return true;
        why = QStringLiteral("the CPU backend has no dequantize reference for %1 yet")
                  .arg(QString::fromStdString(tensorTypeName(uint32_t(type))));
        return false;
    }

private slots:
    void initTestCase() { m_ready = m_h.init(m_reason, m_failed); }

    void matmul_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("path");
        for (TensorType type : k_types) {
            const auto [c1, c2] = columnsFor(type);
#ifdef PARLO_LARGE_SHAPES
            const int shapes[][4] = {{4097, c2, 1, 0}, {4097, c1, 40, 0}, {300, 4096, 1, 0}};
#else
            const int shapes[][4] = {{1, c1, 1, 0},  {7, c2, 3, 0},  {33, c1, 9, 0},  {257, c2, 1, 0},
                                     {70, c1, 33, 0}, {33, c2, 5, 1}, {7, c1, 2, 2}};
#endif
            for (const auto &s : shapes) {
                const int cols = s[1] % tensorTypeInfo(type)->blockSize == 0 ? s[1] : c2;
                QTest::addRow("%s_%dx%d_t%d%s", tensorTypeName(uint32_t(type)).c_str(), s[0], cols, s[2],
                              s[3] == 1 ? "_vec" : s[3] == 2 ? "_mat" : "")
                    << int(type) << s[0] << cols << s[2] << s[3];
            }
        }
    }

    void matmul()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, type);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, tokens);
        QFETCH(int, path);
        const TensorType t = TensorType(type);
        QString why;
        if (!referenceFor(t, why))
            QSKIP(qPrintable(why));
        const auto bytes = randomWeightBytes(t, rows, cols, uint32_t(rows * 31 + cols));
        Weight wc{weightView(t, bytes, rows, cols), {}}, wg = wc;
        QVERIFY(m_h.cpu().prepareWeight(wc).ok());
        QVERIFY(m_h.gpu().prepareWeight(wg).ok());
        const auto xs = randomFloats(size_t(tokens) * cols, uint32_t(tokens + cols));
        auto x = m_h.tensor(TensorType::F32, cols, tokens, xs);
        auto y = m_h.tensor(TensorType::F32, rows, tokens);
        m_h.gpu().setMatmulPath(path == 1 ? Path::MatVec : path == 2 ? Path::MatMat : Path::Auto);
        m_h.cpu().matmul(wc, x.cpu, y.cpu);
        m_h.gpu().matmul(wg, x.gpu, y.gpu);
        m_h.gpu().setMatmulPath(Path::Auto);
        const double e = nmse(m_h.readGpu(y), m_h.readCpu(y));
        QVERIFY2(e < k_maxNmse, qPrintable(QStringLiteral("NMSE %1").arg(e)));
        PARLO_VERIFY_MSG(m_h.guardsIntact(y, problem_));
        PARLO_VERIFY_MSG(m_h.validationClean(problem_));
    }

    void matmulWithoutSubgroups()
    {
        PARLO_NEED_HARNESS();
        const auto bytes = randomWeightBytes(TensorType::F16, 33, 100, 5);
        Weight wc{weightView(TensorType::F16, bytes, 33, 100), {}}, wg = wc;
        QVERIFY(m_h.gpu().prepareWeight(wg).ok());
        auto x = m_h.tensor(TensorType::F32, 100, 2, randomFloats(200, 6));
        auto y = m_h.tensor(TensorType::F32, 33, 2);
        m_h.gpu().setAllowSubgroups(false);
        m_h.cpu().matmul(wc, x.cpu, y.cpu);
        m_h.gpu().matmul(wg, x.gpu, y.gpu);
        m_h.gpu().setAllowSubgroups(true);
        QVERIFY(nmse(m_h.readGpu(y), m_h.readCpu(y)) < k_maxNmse);
        PARLO_VERIFY_MSG(m_h.guardsIntact(y, problem_));
    }

    void matmulExperts_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("shared");
        for (TensorType type : k_types) {
            for (bool shared : {true, false})
                QTest::addRow("%s%s", tensorTypeName(uint32_t(type)).c_str(), shared ? "_shared" : "_per_slot")
                    << int(type) << shared;
        }
    }

    void matmulExperts()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, type);
        QFETCH(bool, shared);
        const TensorType t = TensorType(type);
        QString why;
        if (!referenceFor(t, why))
            QSKIP(qPrintable(why));
        const uint32_t n_expert = 5, rowsPerExpert = 9, tokens = 3, k = 2;
        const uint32_t cols = uint32_t(columnsFor(t).first);
        const auto bytes = randomWeightBytes(t, n_expert * rowsPerExpert, cols, 77);
        Weight wc{weightView(t, bytes, n_expert * rowsPerExpert, cols), {}}, wg = wc;
        QVERIFY(m_h.gpu().prepareWeight(wg).ok());
        const uint32_t xRows = shared ? tokens : tokens * k;
        auto x = m_h.tensor(TensorType::F32, cols, xRows, randomFloats(size_t(xRows) * cols, 78));
        auto ids = m_h.ids(k, tokens, {4, 0, 2, 2, 1, 3});
        auto y = m_h.tensor(TensorType::F32, rowsPerExpert, tokens * k);
        m_h.cpu().matmulExperts(wc, rowsPerExpert, x.cpu, ids.cpu, y.cpu);
        m_h.gpu().matmulExperts(wg, rowsPerExpert, x.gpu, ids.gpu, y.gpu);
        const double e = nmse(m_h.readGpu(y), m_h.readCpu(y));
        QVERIFY2(e < k_maxNmse, qPrintable(QStringLiteral("NMSE %1").arg(e)));
        PARLO_VERIFY_MSG(m_h.guardsIntact(y, problem_));
        PARLO_VERIFY_MSG(m_h.validationClean(problem_));
    }

    void getRows_data()
    {
        QTest::addColumn<int>("type");
        for (TensorType type : k_types)
            QTest::addRow("%s", tensorTypeName(uint32_t(type)).c_str()) << int(type);
    }

    void getRows()
    {
        PARLO_NEED_HARNESS();
        QFETCH(int, type);
        const TensorType t = TensorType(type);
        QString why;
        if (!referenceFor(t, why))
            QSKIP(qPrintable(why));
        const uint32_t rows = 33, cols = uint32_t(columnsFor(t).second);
        const auto bytes = randomWeightBytes(t, rows, cols, 99);
        Weight wc{weightView(t, bytes, rows, cols), {}}, wg = wc;
        QVERIFY(m_h.gpu().prepareWeight(wg).ok());
        // Out-of-range ids are clamped by both backends (the engine validates them first).
        auto ids = m_h.ids(1, 6, {0, 32, 7, 7, -1, 40});
        auto out = m_h.tensor(TensorType::F32, cols, 6);
        m_h.cpu().getRows(wc, ids.cpu, out.cpu);
        m_h.gpu().getRows(wg, ids.gpu, out.gpu);
        const auto expected = m_h.readCpu(out);
        QCOMPARE(m_h.readGpu(out), expected); // dequantization is exact: bit-identical values
        PARLO_VERIFY_MSG(m_h.guardsIntact(out, problem_));
        PARLO_VERIFY_MSG(m_h.validationClean(problem_));
    }

    // Weights split into chunks (forced small here; 128 MiB on lavapipe) give the same results.
    void splitWeights()
    {
        PARLO_NEED_HARNESS();
        const uint32_t rows = 70, cols = 100;
        const auto bytes = randomWeightBytes(TensorType::F16, rows, cols, 3);
        Weight wc{weightView(TensorType::F16, bytes, rows, cols), {}}, wg = wc;
        m_h.gpu().setWeightChunkLimit(16 + 9 * 200); // 9 rows of 200 bytes per chunk: 8 chunks
        QVERIFY(m_h.gpu().prepareWeight(wg).ok());
        m_h.gpu().setWeightChunkLimit(0);
        QCOMPARE(static_cast<const vk::DeviceWeight *>(wg.device.get())->chunks.size(), size_t(8));
        for (int tokens : {1, 12}) {
            auto x = m_h.tensor(TensorType::F32, cols, tokens, randomFloats(size_t(tokens) * cols, 4));
            auto y = m_h.tensor(TensorType::F32, rows, tokens);
            m_h.cpu().matmul(wc, x.cpu, y.cpu);
            m_h.gpu().matmul(wg, x.gpu, y.gpu);
            QVERIFY(nmse(m_h.readGpu(y), m_h.readCpu(y)) < k_maxNmse);
            PARLO_VERIFY_MSG(m_h.guardsIntact(y, problem_));
        }
        auto ids = m_h.ids(1, 4, {0, 69, 35, 8});
        auto out = m_h.tensor(TensorType::F32, cols, 4);
        m_h.cpu().getRows(wc, ids.cpu, out.cpu);
        m_h.gpu().getRows(wg, ids.gpu, out.gpu);
        QCOMPARE(m_h.readGpu(out), m_h.readCpu(out));
        // Experts of 7 rows straddle the 9-row chunks.
        auto xe = m_h.tensor(TensorType::F32, cols, 2, randomFloats(2 * cols, 5));
        auto eids = m_h.ids(2, 2, {9, 3, 0, 5});
        auto ye = m_h.tensor(TensorType::F32, 7, 4);
        m_h.cpu().matmulExperts(wc, 7, xe.cpu, eids.cpu, ye.cpu);
        m_h.gpu().matmulExperts(wg, 7, xe.gpu, eids.gpu, ye.gpu);
        QVERIFY(nmse(m_h.readGpu(ye), m_h.readCpu(ye)) < k_maxNmse);
        PARLO_VERIFY_MSG(m_h.validationClean(problem_));
    }

    void rejectsUnsupportedType()
    {
        PARLO_NEED_HARNESS();
        std::vector<std::byte> bytes(66 * 4);
        Weight w{weightView(TensorType::IQ2_XXS, bytes, 4, 256), {}};
        auto prepared = m_h.gpu().prepareWeight(w);
        QVERIFY(!prepared.ok());
        QVERIFY(QString::fromStdString(prepared.error().message).contains("IQ2_XXS"));
        PARLO_VERIFY_MSG(m_h.gpuOk(problem_));
    }
};

QTEST_GUILESS_MAIN(TestVkBackendMatmul)
#include "test_vk_backend_matmul.moc"
