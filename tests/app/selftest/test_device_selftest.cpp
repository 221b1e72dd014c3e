// The per-device self-test on lavapipe: it passes for every type Parlo can build, a device
// whose logits are perturbed fails, and `auto` then refuses that device, saying why.
#include "process_run.h"
#include "selftest/self_test_record.h"

#include "parlo/devices.h"
#include "parlo/selftest.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {

using parlo::TensorType;

const std::vector<TensorType> k_types = {TensorType::F32, TensorType::F16, TensorType::Q8_0, TensorType::Q4_0,
                                         TensorType::Q4_K, TensorType::Q6_K};

// The index of lavapipe, or none.
std::optional<parlo::VulkanDeviceInfo> lavapipe()
{
    const parlo::DeviceInventory inventory = parlo::enumerateVulkanDevices();
    for (const auto &d : inventory.devices) {
        if (d.name.find("llvmpipe") != std::string::npos)
            return d;
    }
    return std::nullopt;
}

} // namespace

class TestDeviceSelfTest : public QObject
{
    Q_OBJECT

    std::optional<parlo::VulkanDeviceInfo> m_device;

private slots:
    void initTestCase()
    {
        m_device = lavapipe();
        if (!m_device)
            QSKIP("no lavapipe device (install mesa-vulkan-drivers)");
    }

    void passesOnLavapipe()
    {
        parlo::SelfTestOptions options;
        options.vulkanIndex = m_device->index;
        options.types = k_types;
        auto report = parlo::runDeviceSelfTest(options);
        QVERIFY2(report, report ? "" : report.error().message.c_str());
        QCOMPARE(report->cases.size(), k_types.size());
        for (const auto &c : report->cases) {
            qInfo("%s: %s", parlo::tensorTypeName(uint32_t(c.type)).c_str(), c.detail.c_str());
            QVERIFY2(c.outcome == parlo::SelfTestCase::Outcome::Passed, c.detail.c_str());
        }
        QVERIFY(report->device.driver.find("llvmpipe") != std::string::npos);
    }

    void perturbedDeviceIsRefusedByAuto()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("selftest.json");
        parlo::SelfTestOptions options;
        options.vulkanIndex = m_device->index;
        options.types = {TensorType::Q4_0, TensorType::Q8_0};
        options.perturbDeviceLogits = 0.5f;
        auto report = parlo::runDeviceSelfTest(options);
        QVERIFY(report);
        QVERIFY(!report->passed());
        for (const auto &c : report->cases)
            QVERIFY2(c.outcome == parlo::SelfTestCase::Outcome::Failed, c.detail.c_str());

        parlo::app::SelfTestRecord record(path);
        record.store(*report);
        QVERIFY(record.save());
        parlo::app::SelfTestRecord reread(path);
        reread.load();
        QCOMPARE(reread.entries().size(), 2);

        // As the engine asks it: the veto, from the record, for a Q4_0 model. The tested types
        // are recorded, so nothing runs again.
        const auto veto = parlo::app::selfTestVeto(path);
        const TensorType q4[] = {TensorType::Q4_0};
        const auto why = veto(*m_device, q4);
        QVERIFY(why);
        QVERIFY2(why->find("failed its self-test") != std::string::npos && why->find("Q4_0") != std::string::npos, why->c_str());

        // auto never picks a software rasteriser anyway, so present lavapipe as an integrated
        // GPU: the refusal, not the device kind, must be what sends the model to the CPU.
        parlo::DeviceInventory inventory;
        inventory.vulkanAvailable = true;
        parlo::VulkanDeviceInfo gpu = *m_device;
        gpu.kind = parlo::DeviceKind::Integrated;
        inventory.devices.push_back(gpu);
        auto accepted = parlo::chooseDevice(inventory, {});
        QVERIFY(accepted);
        QVERIFY(accepted->backend == parlo::BackendKind::Vulkan);
        auto choice = parlo::chooseDevice(inventory, {}, [&](const parlo::VulkanDeviceInfo &d) { return veto(d, q4); });
        QVERIFY(choice);
        QVERIFY(choice->backend == parlo::BackendKind::Cpu);
        QVERIFY2(choice->reason.find("failed its self-test") != std::string::npos, choice->reason.c_str());
        // A type that passed is not refused.
        record.store(parlo::SelfTestReport{report->device, {parlo::SelfTestCase{TensorType::F16, parlo::SelfTestCase::Outcome::Passed, 0, 0, "ok"}}});
        QVERIFY(!parlo::app::refusalFromRecord(record, report->device, std::vector<TensorType>{TensorType::F16}));
    }

    void newDriverIsTestedAgain()
    {
        QTemporaryDir dir;
        parlo::app::SelfTestRecord record(dir.filePath("selftest.json"));
        parlo::SelfTestDevice device = parlo::selfTestDeviceOf(*m_device);
        record.store(parlo::SelfTestReport{device, {parlo::SelfTestCase{TensorType::Q4_0, parlo::SelfTestCase::Outcome::Failed, 1, 0, "bad"}}});
        QVERIFY(record.find(device, TensorType::Q4_0));
        device.driver += " (updated)";
        QVERIFY(!record.find(device, TensorType::Q4_0));
    }

    void cliPrintsTheTable()
    {
        QTemporaryDir cache;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_CACHE_HOME", cache.path());
        const auto run = parlo::test::runProcess(PARLO_CLI_PATH, {"selftest", "--device", QStringLiteral("vulkan:%1").arg(m_device->index),
                                                                  "--types", "q8_0,q4_k"}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
        QVERIFY2(run.out.contains(QRegularExpression("Q8_0 +passed")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QRegularExpression("Q4_K +passed")), qPrintable(run.out));
        QVERIFY(QFile::exists(cache.filePath("parlo/selftest.json")));
        const auto bad = parlo::test::runProcess(PARLO_CLI_PATH, {"selftest", "--types", "q9_9"}, env);
        QCOMPARE(bad.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestDeviceSelfTest)
#include "test_device_selftest.moc"
