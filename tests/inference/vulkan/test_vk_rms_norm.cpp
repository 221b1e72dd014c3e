// RMSNorm: the Vulkan shader against the CPU reference, on odd shapes, with and without
// weights, through both the subgroup and the shared-memory reduction.
#include "backend/cpu/cpu_norm.h"
#include "backend/vulkan/vk_norm.h"
#include "parity.h"
#include "vulkan_fixture.h"

#include <QtTest>

#include <cstring>
#include <random>

using namespace parlo;

namespace {
constexpr uint32_t k_guardWords = 64;
constexpr uint32_t k_guardPattern = 0xDEADBEEF;
} // namespace

class TestVkRmsNorm : public QObject
{
    Q_OBJECT

private slots:
    void matchesCpuReference_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<bool>("withWeight");
        QTest::addColumn<bool>("subgroups");
#ifdef PARLO_LARGE_SHAPES
        // Model-sized rows: many workgroups, and rows far longer than one workgroup.
        const int shapes[][2] = {{4097, 4096}, {70000, 8}, {2, 131073}};
#else
        const int shapes[][2] = {{1, 1}, {1, 7}, {7, 33}, {33, 257}, {257, 64}, {3, 4097}};
#endif
        for (auto [rows, cols] : shapes) {
            for (bool weight : {true, false}) {
                for (bool sg : {true, false}) {
                    QTest::addRow("%dx%d%s%s", rows, cols, weight ? "_w" : "", sg ? "_sg" : "_shared")
                        << rows << cols << weight << sg;
                }
            }
        }
    }

    void matchesCpuReference()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(bool, withWeight);
        QFETCH(bool, subgroups);
        PARLO_REQUIRE_VULKAN(context);

        std::mt19937 rng(uint32_t(rows * 7919 + cols));
        std::normal_distribution<float> dist(0.0f, 2.0f);
        std::vector<float> x(size_t(rows) * cols), w(cols);
        for (auto &v : x)
            v = dist(rng);
        for (auto &v : w)
            v = dist(rng);

        std::vector<float> expected(x.size());
        cpu::rmsNorm(x, withWeight ? std::span<const float>(w) : std::span<const float>(), expected, size_t(cols),
                     1e-5f);

        const size_t bytes = x.size() * sizeof(float);
        auto xBuf = context->createBuffer(bytes, vk::MemoryUse::DeviceLocal);
        auto wBuf = context->createBuffer(w.size() * sizeof(float), vk::MemoryUse::DeviceLocal);
        auto yBuf = context->createBuffer(bytes + k_guardWords * 4, vk::MemoryUse::DeviceLocal);
        QVERIFY2(xBuf && wBuf && yBuf, "buffer creation failed");
        QVERIFY(context->upload(*xBuf, x.data(), bytes).ok());
        QVERIFY(context->upload(*wBuf, w.data(), w.size() * sizeof(float)).ok());
        std::vector<uint32_t> guard(k_guardWords, k_guardPattern);
        QVERIFY(context->upload(*yBuf, guard.data(), guard.size() * 4, bytes).ok());

        auto batch = context->beginBatch();
        QVERIFY(batch.ok());
        auto recorded = vk::recordRmsNorm(*context, *batch, *xBuf, withWeight ? &*wBuf : nullptr, *yBuf,
                                          uint32_t(cols), uint32_t(rows), 1e-5f, subgroups);
        QVERIFY2(recorded.ok(), recorded.ok() ? "" : recorded.error().message.c_str());
        QVERIFY(context->submitAndWait(*batch).ok());

        std::vector<float> actual(x.size());
        std::vector<uint32_t> guardAfter(k_guardWords);
        QVERIFY(context->download(*yBuf, actual.data(), bytes).ok());
        QVERIFY(context->download(*yBuf, guardAfter.data(), guardAfter.size() * 4, bytes).ok());

        const double error = test::nmse(actual, expected);
        QVERIFY2(error < 1e-10, qPrintable(QStringLiteral("NMSE %1").arg(error)));
        QVERIFY2(guardAfter == guard, "the shader wrote past the end of its output");
        PARLO_VERIFY_VALIDATION_CLEAN(context);
    }

    void rejectsUndersizedBuffers()
    {
        PARLO_REQUIRE_VULKAN(context);
        auto small = context->createBuffer(16, vk::MemoryUse::HostVisible);
        QVERIFY(small.ok());
        auto batch = context->beginBatch();
        QVERIFY(batch.ok());
        auto recorded = vk::recordRmsNorm(*context, *batch, *small, nullptr, *small, 64, 2, 1e-5f);
        QVERIFY(!recorded.ok());
        QVERIFY(QString::fromStdString(recorded.error().message).contains("smaller"));
        QVERIFY(context->submitAndWait(*batch).ok());
        PARLO_VERIFY_VALIDATION_CLEAN(context);
    }
};

QTEST_GUILESS_MAIN(TestVkRmsNorm)
#include "test_vk_rms_norm.moc"
