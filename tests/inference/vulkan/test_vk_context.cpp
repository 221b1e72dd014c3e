// The Vulkan bring-up on the test device: enumeration, capability report, pipelines, errors.
#include "backend/vulkan/vk_context.h"
#include "parlo/devices.h"
#include "vulkan_fixture.h"

#include <QtTest>

using namespace parlo;

class TestVkContext : public QObject
{
    Q_OBJECT

private slots:
    void enumeratesLavapipeWithCapabilities()
    {
        const DeviceInventory inventory = enumerateVulkanDevices();
        if (!inventory.vulkanAvailable)
            QSKIP(qPrintable(QString::fromStdString("no Vulkan device: " + inventory.unavailableReason)));
        QVERIFY(!inventory.devices.empty());
        const VulkanDeviceInfo &d = inventory.devices.front();
        QVERIFY(!d.name.empty());
        QVERIFY(d.hasComputeQueue);
        QVERIFY(d.subgroupSize > 0);
        QVERIFY(d.maxStorageBufferRange > 0);
        QVERIFY(d.maxWorkgroupInvocations >= 128);
        QVERIFY(!d.heaps.empty());
        const std::string report = formatDeviceReport(d);
        for (const char *field : {"subgroup size", "fp16 arithmetic", "maxStorageBufferRange", "cooperative matrix",
                                  "shared memory", "memory heap 0"})
            QVERIFY2(report.find(field) != std::string::npos, field);
        if (d.name.find("llvmpipe") != std::string::npos) {
            // What the project notes say of lavapipe; a change here changes what tests can assume.
            QCOMPARE(d.kind, DeviceKind::Cpu);
            QCOMPARE(d.subgroupSize, 8u);
            QVERIFY(d.shaderFloat16);
            QVERIFY(d.hasSubgroupArithmetic());
            QCOMPARE(d.maxStorageBufferRange, uint64_t(128) << 20);
        }
    }

    void validationMessagesAreCounted()
    {
        // Proves the guard the other tests rely on: a real API misuse must be seen.
        PARLO_REQUIRE_VULKAN(context);
        QVERIFY(context->instance().validationEnabled());
        VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
        info.size = 0; // VUID-VkBufferCreateInfo-size-00912: size must be greater than 0
        info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
        VkBuffer buffer = VK_NULL_HANDLE;
        const VkResult result = context->api().vkCreateBuffer(context->device(), &info, nullptr, &buffer);
        if (result == VK_SUCCESS && buffer != VK_NULL_HANDLE)
            context->api().vkDestroyBuffer(context->device(), buffer, nullptr);
        QVERIFY(context->instance().validationMessageCount() > 0);
        QString problem;
        QVERIFY(!test::validationClean(*context, problem));
        QVERIFY(problem.contains("00912") || problem.contains("size"));
    }

    void unknownVariantIsAnError()
    {
        PARLO_REQUIRE_VULKAN(context);
        auto pipeline = context->pipeline({"no_such_shader_f32", 1, 0, {}});
        QVERIFY(!pipeline.ok());
        QVERIFY(QString::fromStdString(pipeline.error().message).contains("no_such_shader_f32"));
        PARLO_VERIFY_VALIDATION_CLEAN(context);
    }

    void pipelinesAreCachedPerSpecialisation()
    {
        PARLO_REQUIRE_VULKAN(context);
        auto a = context->pipeline({"rms_norm_f32_nosg", 3, 24, {64}});
        auto b = context->pipeline({"rms_norm_f32_nosg", 3, 24, {64}});
        auto c = context->pipeline({"rms_norm_f32_nosg", 3, 24, {128}});
        QVERIFY(a.ok() && b.ok() && c.ok());
        QCOMPARE(*a, *b);
        QVERIFY(*a != *c);
        PARLO_VERIFY_VALIDATION_CLEAN(context);
    }

    // Buffers may exceed maxStorageBufferRange (a long KV cache); shaders bind windows of them.
    void buffersBeyondMaxStorageBufferRangeAreAllowed()
    {
        PARLO_REQUIRE_VULKAN(context);
        auto buffer = context->createBuffer(context->info().maxStorageBufferRange + 4096, vk::MemoryUse::DeviceLocal);
        QVERIFY2(buffer.ok(), buffer.ok() ? "" : buffer.error().message.c_str());
        QCOMPARE(buffer->size(), context->info().maxStorageBufferRange + 4096);
        auto empty = context->createBuffer(0, vk::MemoryUse::HostVisible);
        QVERIFY(!empty.ok());
        PARLO_VERIFY_VALIDATION_CLEAN(context);
    }

    void uploadDownloadRoundTrip()
    {
        PARLO_REQUIRE_VULKAN(context);
        std::vector<uint32_t> data(1000);
        for (uint32_t i = 0; i < data.size(); ++i)
            data[i] = i * 2654435761u;
        auto buffer = context->createBuffer(data.size() * 4, vk::MemoryUse::DeviceLocal);
        QVERIFY(buffer.ok());
        QVERIFY(context->upload(*buffer, data.data(), data.size() * 4).ok());
        std::vector<uint32_t> back(data.size());
        QVERIFY(context->download(*buffer, back.data(), back.size() * 4).ok());
        QCOMPARE(back, data);
        QVERIFY(!context->upload(*buffer, data.data(), 8, data.size() * 4).ok()); // past the end
        PARLO_VERIFY_VALIDATION_CLEAN(context);
    }
};

QTEST_GUILESS_MAIN(TestVkContext)
#include "test_vk_context.moc"
