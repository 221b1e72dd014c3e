#include "vulkan_fixture.h"

#include "parlo/devices.h"

namespace parlo::test {

std::unique_ptr<vk::Context> createTestVulkanContext(QString &reason, bool &failed)
{
    failed = false;
    const DeviceInventory inventory = enumerateVulkanDevices();
    if (!inventory.vulkanAvailable) {
        reason = QStringLiteral("no Vulkan device: %1 (install mesa-vulkan-drivers for lavapipe)")
                         .arg(QString::fromStdString(inventory.unavailableReason));
        return nullptr;
    }
    auto context = vk::Context::create(0, /*validation=*/true);
    if (!context) {
        // A device that enumerates but cannot be opened is a failure, not a skip.
        failed = true;
        reason = QStringLiteral("creating the Vulkan test context failed: %1")
                     .arg(QString::fromStdString(context.error().message));
        return nullptr;
    }
    return std::move(context.value());
}

bool validationClean(const vk::Context &context, QString &problem)
{
    const vk::Instance &instance = context.instance();
    if (!instance.validationEnabled()) {
        problem = QStringLiteral("the Vulkan validation layers are not enabled (Debian: vulkan-validationlayers)");
        return false;
    }
    if (instance.validationMessageCount() != 0) {
        problem = QStringLiteral("%1 validation message(s), first: %2")
                      .arg(instance.validationMessageCount())
                      .arg(QString::fromStdString(instance.validationMessages().front()));
        return false;
    }
    return true;
}

} // namespace parlo::test
