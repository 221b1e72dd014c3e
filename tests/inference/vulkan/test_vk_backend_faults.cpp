// Faults and execution behaviour of the Vulkan backend: an injected device loss or
// out-of-device-memory mid-generation ends with an error (never a crash), the failure is
// sticky, and a new backend works afterwards. Also: a token's ops run as one submit, barriers
// appear only between dependent ops, and descriptor sets are reused across tokens.
#include "parity.h"
#include "vk_parity.h"
#include "vulkan_fixture.h"

#include <QtTest>

using namespace parlo;
using namespace parlo::test;

namespace {

// A miniature decode step: norm, two independent projections, a gate, a residual add.
struct MiniStep
{
    std::vector<std::byte> wBytes = randomWeightBytes(TensorType::F16, 64, 64, 1);
    std::vector<std::byte> uBytes = randomWeightBytes(TensorType::F16, 64, 64, 2);
    Weight w{weightView(TensorType::F16, wBytes, 64, 64), {}};
    Weight u{weightView(TensorType::F16, uBytes, 64, 64), {}};
    TwinTensor x, h, g, up, out;

    void init(ParityHarness &harness)
    {
        QVERIFY(harness.gpu().prepareWeight(w).ok());
        QVERIFY(harness.gpu().prepareWeight(u).ok());
        x = harness.tensor(TensorType::F32, 64, 1, randomFloats(64, 3));
        h = harness.tensor(TensorType::F32, 64, 1);
        g = harness.tensor(TensorType::F32, 64, 1);
        up = harness.tensor(TensorType::F32, 64, 1);
        out = harness.tensor(TensorType::F32, 64, 1);
    }
    std::vector<float> run(vk::VulkanBackend &be)
    {
        be.write(x.gpu, randomFloats(64, 3));
        be.rmsNorm(x.gpu, nullptr, h.gpu, 1e-5f);
        be.matmul(w, h.gpu, g.gpu);  // needs h: barrier
        be.matmul(u, h.gpu, up.gpu); // independent of the previous matmul: no barrier
        be.swiglu(g.gpu, up.gpu, out.gpu);
        be.add(out.gpu, x.gpu, out.gpu);
        std::vector<float> result(64);
        be.read(out.gpu, result);
        return result;
    }
};

} // namespace

class TestVkBackendFaults : public QObject
{
    Q_OBJECT

private slots:
    void oneSubmitPerStepAndFewBarriers()
    {
        ParityHarness h;
        QString reason;
        bool failed = false;
        if (!h.init(reason, failed)) {
            if (failed)
                QFAIL(qPrintable(reason));
            QSKIP(qPrintable(reason));
        }
        MiniStep step;
        step.init(h);
        const auto first = step.run(h.gpu());
        const uint64_t submits = h.gpu().submitCount();
        const size_t sets = h.gpu().context().cachedDescriptorSets();
        for (int token = 0; token < 3; ++token) {
            QCOMPARE(step.run(h.gpu()), first);
            QCOMPARE(h.gpu().submitCount(), submits + token + 1); // one submit per step
            QCOMPARE(h.gpu().lastBatchDispatches(), 5u);
            // Barriers: norm->matmuls (one for both), matmuls->swiglu, swiglu->add; plus
            // write->norm where the input goes through a staging copy (no unified memory).
            // The closing barrier for the host read is not counted.
            QCOMPARE(h.gpu().lastBatchBarriers(), h.gpu().context().unifiedMemory() ? 3u : 4u);
        }
        QCOMPARE(h.gpu().context().cachedDescriptorSets(), sets); // reused, not reallocated
        PARLO_VERIFY_MSG(h.validationClean(problem_));
    }

    void deviceFaultEndsGenerationWithError_data()
    {
        QTest::addColumn<int>("result");
        QTest::addColumn<QString>("message");
        QTest::newRow("device_lost") << int(VK_ERROR_DEVICE_LOST) << "VK_ERROR_DEVICE_LOST";
        QTest::newRow("out_of_device_memory") << int(VK_ERROR_OUT_OF_DEVICE_MEMORY) << "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    }
    void deviceFaultEndsGenerationWithError()
    {
        QFETCH(int, result);
        QFETCH(QString, message);
        std::vector<float> good;
        {
            ParityHarness h;
            QString reason;
            bool failed = false;
            if (!h.init(reason, failed)) {
                if (failed)
                    QFAIL(qPrintable(reason));
                QSKIP(qPrintable(reason));
            }
            MiniStep step;
            step.init(h);
            good = step.run(h.gpu());
            QVERIFY(h.gpu().status().ok());
            h.gpu().injectSubmitFailure(1, VkResult(result)); // the second token from now fails
            QCOMPARE(step.run(h.gpu()), good);
            QVERIFY(h.gpu().status().ok());
            const auto lost = step.run(h.gpu());
            auto status = h.gpu().status();
            QVERIFY(!status.ok());
            QVERIFY2(QString::fromStdString(status.error().message).contains(message),
                     status.error().message.c_str());
            QCOMPARE(lost, std::vector<float>(64, 0.0f)); // no stale data passes for a result
            // Sticky: later steps do nothing and keep reporting the first error.
            step.run(h.gpu());
            QCOMPARE(h.gpu().status().error().message, status.error().message);
        } // the failed backend is destroyed cleanly here
        // The next load works.
        ParityHarness again;
        QString reason;
        bool failed = false;
        QVERIFY2(again.init(reason, failed), qPrintable(reason));
        MiniStep step;
        step.init(again);
        QCOMPARE(step.run(again.gpu()), good);
        QVERIFY(again.gpu().status().ok());
        PARLO_VERIFY_MSG(again.validationClean(problem_));
    }
};

QTEST_GUILESS_MAIN(TestVkBackendFaults)
#include "test_vk_backend_faults.moc"
