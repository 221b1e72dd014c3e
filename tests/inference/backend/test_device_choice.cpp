// Device choice over made-up inventories: ranking, overrides, and the reasons given.
#include "parlo/devices.h"

#include <QtTest>

using namespace parlo;

namespace {

VulkanDeviceInfo device(uint32_t index, DeviceKind kind, const char *name)
{
    VulkanDeviceInfo d;
    d.index = index;
    d.kind = kind;
    d.name = name;
    d.hasComputeQueue = true;
    return d;
}

DeviceInventory inventoryOf(std::vector<VulkanDeviceInfo> devices)
{
    DeviceInventory inventory;
    inventory.vulkanAvailable = !devices.empty();
    inventory.devices = std::move(devices);
    return inventory;
}

QString reasonOf(const DeviceChoice &choice) { return QString::fromStdString(choice.reason); }

} // namespace

class TestDeviceChoice : public QObject
{
    Q_OBJECT

private slots:
    void parsesRequests()
    {
        QCOMPARE(parseDeviceRequest("auto")->kind, DeviceRequest::Kind::Auto);
        QCOMPARE(parseDeviceRequest("")->kind, DeviceRequest::Kind::Auto);
        QCOMPARE(parseDeviceRequest("cpu")->kind, DeviceRequest::Kind::Cpu);
        QCOMPARE(parseDeviceRequest("vulkan")->kind, DeviceRequest::Kind::Vulkan);
        QVERIFY(!parseDeviceRequest("vulkan")->vulkanIndex.has_value());
        auto indexed = parseDeviceRequest("vulkan:12");
        QVERIFY(indexed.ok());
        QCOMPARE(*indexed->vulkanIndex, 12u);
        for (const char *bad : {"vulkan:", "vulkan:x", "vulkan:-1", "vulkan:1x", "cuda", "VULKAN"}) {
            auto parsed = parseDeviceRequest(bad);
            QVERIFY2(!parsed.ok(), bad);
            QVERIFY(QString::fromStdString(parsed.error().message).contains("auto, cpu, vulkan or vulkan:N"));
        }
    }

    void ranksDiscreteOverIntegratedOverVirtualOverCpu()
    {
        auto inventory = inventoryOf({device(0, DeviceKind::Cpu, "llvmpipe"), device(1, DeviceKind::Virtual, "virgl"),
                                      device(2, DeviceKind::Integrated, "Intel Iris"),
                                      device(3, DeviceKind::Discrete, "Radeon RX 7900")});
        auto choice = chooseDevice(inventory, {});
        QVERIFY(choice.ok());
        QCOMPARE(choice->backend, BackendKind::Vulkan);
        QCOMPARE(*choice->vulkanIndex, 3u);
        QVERIFY(reasonOf(*choice).contains("Radeon RX 7900"));

        inventory.devices.pop_back();
        QCOMPARE(*chooseDevice(inventory, {})->vulkanIndex, 2u);
        inventory.devices.pop_back();
        QCOMPARE(*chooseDevice(inventory, {})->vulkanIndex, 1u);
    }

    void firstOfEqualRankWins()
    {
        auto inventory = inventoryOf({device(0, DeviceKind::Discrete, "A"), device(1, DeviceKind::Discrete, "B")});
        QCOMPARE(*chooseDevice(inventory, {})->vulkanIndex, 0u);
    }

    void skipsDevicesWithoutComputeQueue()
    {
        auto inventory = inventoryOf({device(0, DeviceKind::Discrete, "NoCompute"), device(1, DeviceKind::Integrated, "Ok")});
        inventory.devices[0].hasComputeQueue = false;
        QCOMPARE(*chooseDevice(inventory, {})->vulkanIndex, 1u);
        DeviceRequest explicitRequest{DeviceRequest::Kind::Vulkan, 0u};
        QVERIFY(!chooseDevice(inventory, explicitRequest).ok());
    }

    void softwareVulkanAloneMeansCpuWithReason()
    {
        auto inventory = inventoryOf({device(0, DeviceKind::Cpu, "llvmpipe (LLVM 15.0.6, 256 bits)")});
        auto choice = chooseDevice(inventory, {});
        QVERIFY(choice.ok());
        QCOMPARE(choice->backend, BackendKind::Cpu);
        QVERIFY(reasonOf(*choice).contains("software"));
        QVERIFY(reasonOf(*choice).contains("--device vulkan:0"));

        auto forced = chooseDevice(inventory, *parseDeviceRequest("vulkan:0"));
        QVERIFY(forced.ok());
        QCOMPARE(forced->backend, BackendKind::Vulkan);
        QCOMPARE(*forced->vulkanIndex, 0u);
        auto best = chooseDevice(inventory, *parseDeviceRequest("vulkan"));
        QCOMPARE(best->backend, BackendKind::Vulkan);
    }

    void noVulkanFallsBackToCpuWithTheReason()
    {
        DeviceInventory none;
        none.unavailableReason = "the Vulkan loader (libvulkan.so.1) is not installed";
        auto choice = chooseDevice(none, {});
        QVERIFY(choice.ok());
        QCOMPARE(choice->backend, BackendKind::Cpu);
        QVERIFY(reasonOf(*choice).contains("libvulkan.so.1"));

        auto forced = chooseDevice(none, *parseDeviceRequest("vulkan"));
        QVERIFY(!forced.ok());
        QVERIFY(QString::fromStdString(forced.error().message).contains("libvulkan.so.1"));
    }

    void outOfRangeIndexIsAnError()
    {
        auto inventory = inventoryOf({device(0, DeviceKind::Discrete, "A")});
        auto choice = chooseDevice(inventory, *parseDeviceRequest("vulkan:1"));
        QVERIFY(!choice.ok());
        QVERIFY(QString::fromStdString(choice.error().message).contains("does not exist"));
    }

    void cpuRequestIsHonoured()
    {
        auto inventory = inventoryOf({device(0, DeviceKind::Discrete, "A")});
        auto choice = chooseDevice(inventory, *parseDeviceRequest("cpu"));
        QCOMPARE(choice->backend, BackendKind::Cpu);
        QVERIFY(reasonOf(*choice).contains("requested"));
    }

    void environmentOverridesAuto()
    {
        qputenv("PARLO_DEVICE", "vulkan:1");
        auto fromEnv = deviceRequestFrom(std::nullopt);
        QVERIFY(fromEnv.ok());
        QCOMPARE(*fromEnv->vulkanIndex, 1u);
        auto fromFlag = deviceRequestFrom(std::string_view("cpu")); // the command line wins
        QCOMPARE(fromFlag->kind, DeviceRequest::Kind::Cpu);
        qputenv("PARLO_DEVICE", "bogus");
        auto bad = deviceRequestFrom(std::nullopt);
        QVERIFY(!bad.ok());
        QVERIFY(QString::fromStdString(bad.error().message).startsWith("PARLO_DEVICE"));
        qunsetenv("PARLO_DEVICE");
    }
};

QTEST_GUILESS_MAIN(TestDeviceChoice)
#include "test_device_choice.moc"
