#include "vk_device_info.h"

#include <cstring>

namespace parlo::vk {
namespace {

DeviceKind kindOf(VkPhysicalDeviceType type)
{
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return DeviceKind::Discrete;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return DeviceKind::Integrated;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return DeviceKind::Virtual;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return DeviceKind::Cpu;
    default: return DeviceKind::Other;
    }
}

std::string versionString(uint32_t v)
{
    return std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) + "." +
           std::to_string(VK_API_VERSION_PATCH(v));
}

std::vector<std::string> subgroupOperationNames(VkSubgroupFeatureFlags ops)
{
    static const std::pair<VkSubgroupFeatureFlagBits, const char *> names[] = {
        {VK_SUBGROUP_FEATURE_BASIC_BIT, "basic"},
        {VK_SUBGROUP_FEATURE_VOTE_BIT, "vote"},
        {VK_SUBGROUP_FEATURE_ARITHMETIC_BIT, "arithmetic"},
        {VK_SUBGROUP_FEATURE_BALLOT_BIT, "ballot"},
        {VK_SUBGROUP_FEATURE_SHUFFLE_BIT, "shuffle"},
        {VK_SUBGROUP_FEATURE_SHUFFLE_RELATIVE_BIT, "shuffle_relative"},
        {VK_SUBGROUP_FEATURE_CLUSTERED_BIT, "clustered"},
        {VK_SUBGROUP_FEATURE_QUAD_BIT, "quad"},
    };
    std::vector<std::string> result;
    for (const auto &[bit, name] : names) {
        if (ops & bit)
            result.emplace_back(name);
    }
    return result;
}

} // namespace

bool deviceHasExtension(const Instance &instance, VkPhysicalDevice device, const char *name)
{
    const Api &api = instance.api();
    uint32_t count = 0;
    if (api.vkEnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr) != VK_SUCCESS)
        return false;
    std::vector<VkExtensionProperties> extensions(count);
    if (api.vkEnumerateDeviceExtensionProperties(device, nullptr, &count, extensions.data()) != VK_SUCCESS)
        return false;
    for (const auto &extension : extensions) {
        if (std::strcmp(extension.extensionName, name) == 0)
            return true;
    }
    return false;
}

VulkanDeviceInfo queryDeviceInfo(const Instance &instance, VkPhysicalDevice device, uint32_t index)
{
    const Api &api = instance.api();
    VulkanDeviceInfo info;
    info.index = index;

    VkPhysicalDeviceProperties base{};
    api.vkGetPhysicalDeviceProperties(device, &base);
    const bool vulkan12 = base.apiVersion >= VK_API_VERSION_1_2;

    VkPhysicalDeviceSubgroupProperties subgroup{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
    VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    props.pNext = &subgroup;
    if (vulkan12)
        subgroup.pNext = &driver;
    api.vkGetPhysicalDeviceProperties2(device, &props);

    info.name = base.deviceName;
    info.kind = kindOf(base.deviceType);
    info.vendorId = base.vendorID;
    info.deviceId = base.deviceID;
    info.apiVersion = versionString(base.apiVersion);
    if (vulkan12) {
        info.driverName = driver.driverName;
        info.driverInfo = driver.driverInfo;
    } else {
        info.driverName = "driver " + std::to_string(base.driverVersion);
    }
    info.subgroupSize = subgroup.subgroupSize;
    info.subgroupOperations = subgroupOperationNames(subgroup.supportedOperations);
    info.subgroupsInCompute = (subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT) != 0;
    info.maxSharedMemoryBytes = base.limits.maxComputeSharedMemorySize;
    info.maxWorkgroupInvocations = base.limits.maxComputeWorkGroupInvocations;
    for (int i = 0; i < 3; ++i)
        info.maxWorkgroupSize[i] = base.limits.maxComputeWorkGroupSize[i];
    info.maxStorageBufferRange = base.limits.maxStorageBufferRange;

    if (vulkan12) {
        VkPhysicalDeviceShaderFloat16Int8Features f16i8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
        VkPhysicalDevice8BitStorageFeatures s8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES};
        VkPhysicalDevice16BitStorageFeatures s16{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
        VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
        features.pNext = &f16i8;
        f16i8.pNext = &s8;
        s8.pNext = &s16;
        api.vkGetPhysicalDeviceFeatures2(device, &features);
        info.shaderFloat16 = f16i8.shaderFloat16;
        info.shaderInt8 = f16i8.shaderInt8;
        info.storage8Bit = s8.storageBuffer8BitAccess;
        info.storage16Bit = s16.storageBuffer16BitAccess;
    }

    info.cooperativeMatrixKhr = deviceHasExtension(instance, device, "VK_KHR_cooperative_matrix");
    info.cooperativeMatrixNv = deviceHasExtension(instance, device, "VK_NV_cooperative_matrix");
    info.memoryBudgetExtension = deviceHasExtension(instance, device, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);

    VkPhysicalDeviceMemoryBudgetPropertiesEXT budget{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT};
    VkPhysicalDeviceMemoryProperties2 memory{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2};
    if (info.memoryBudgetExtension)
        memory.pNext = &budget;
    api.vkGetPhysicalDeviceMemoryProperties2(device, &memory);
    for (uint32_t i = 0; i < memory.memoryProperties.memoryHeapCount; ++i) {
        const VkMemoryHeap &heap = memory.memoryProperties.memoryHeaps[i];
        MemoryHeapInfo h;
        h.size = heap.size;
        h.deviceLocal = (heap.flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0;
        h.budget = info.memoryBudgetExtension ? budget.heapBudget[i] : heap.size;
        h.usage = info.memoryBudgetExtension ? budget.heapUsage[i] : 0;
        info.heaps.push_back(h);
    }

    // Prefer a compute-only family (an async compute queue), else any family with compute.
    uint32_t familyCount = 0;
    api.vkGetPhysicalDeviceQueueFamilyProperties(device, &familyCount, nullptr);
    std::vector<VkQueueFamilyProperties> families(familyCount);
    api.vkGetPhysicalDeviceQueueFamilyProperties(device, &familyCount, families.data());
    for (int pass = 0; pass < 2 && !info.hasComputeQueue; ++pass) {
        for (uint32_t i = 0; i < familyCount; ++i) {
            const VkQueueFlags flags = families[i].queueFlags;
            const bool compute = flags & VK_QUEUE_COMPUTE_BIT;
            const bool graphics = flags & VK_QUEUE_GRAPHICS_BIT;
            if (compute && (pass == 1 || !graphics) && families[i].queueCount > 0) {
                info.computeQueueFamily = i;
                info.hasComputeQueue = true;
                break;
            }
        }
    }
    return info;
}

DeviceInventory enumerateDevicesWith(const Instance &instance)
{
    DeviceInventory inventory;
    auto devices = instance.physicalDevices();
    if (!devices) {
        inventory.unavailableReason = devices.error().message;
        return inventory;
    }
    for (uint32_t i = 0; i < devices->size(); ++i)
        inventory.devices.push_back(queryDeviceInfo(instance, (*devices)[i], i));
    inventory.vulkanAvailable = !inventory.devices.empty();
    if (!inventory.vulkanAvailable)
        inventory.unavailableReason = "the Vulkan loader found no device (no driver is installed, or none supports this system)";
    return inventory;
}

} // namespace parlo::vk

namespace parlo {

DeviceInventory enumerateVulkanDevices()
{
    // Enumeration alone needs no validation; it would only slow start-up.
    auto instance = vk::Instance::create(false);
    if (!instance) {
        DeviceInventory inventory;
        inventory.unavailableReason = instance.error().message;
        return inventory;
    }
    return vk::enumerateDevicesWith(**instance);
}

} // namespace parlo
