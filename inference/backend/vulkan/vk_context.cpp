#include "vk_context.h"

#include "vk_device_info.h"

#include <algorithm>
#include <cstring>

namespace parlo::vk {
namespace {
constexpr VkDeviceSize k_stagingBytes = 16u << 20;
} // namespace

Result<std::unique_ptr<Context>> Context::create(uint32_t deviceIndex, bool validation)
{
    std::unique_ptr<Context> context(new Context);
    PARLO_TRY(context->init(deviceIndex, validation));
    return context;
}

Result<void> Context::init(uint32_t deviceIndex, bool validation)
{
    auto instance = Instance::create(validation);
    if (!instance)
        return instance.error();
    m_instance = std::move(instance.value());
    const Api &vk = api();

    auto devices = m_instance->physicalDevices();
    if (!devices)
        return devices.error();
    if (deviceIndex >= devices->size())
        return makeError("vulkan:" + std::to_string(deviceIndex) + " does not exist (" +
                         std::to_string(devices->size()) + " device(s))");
    m_physical = (*devices)[deviceIndex];
    m_info = queryDeviceInfo(*m_instance, m_physical, deviceIndex);
    if (!m_info.hasComputeQueue)
        return makeError(m_info.name + " has no compute queue");
    vk.vkGetPhysicalDeviceMemoryProperties(m_physical, &m_memory);

    // Enable what the device has of what our shaders use; shaders check these at pipeline choice.
    VkPhysicalDeviceShaderFloat16Int8Features f16i8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
    f16i8.shaderFloat16 = m_info.shaderFloat16;
    f16i8.shaderInt8 = m_info.shaderInt8;
    VkPhysicalDevice8BitStorageFeatures s8{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES};
    s8.storageBuffer8BitAccess = m_info.storage8Bit;
    VkPhysicalDevice16BitStorageFeatures s16{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
    s16.storageBuffer16BitAccess = m_info.storage16Bit;
    f16i8.pNext = &s8;
    s8.pNext = &s16;
    VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    VkPhysicalDeviceProperties properties{};
    vk.vkGetPhysicalDeviceProperties(m_physical, &properties);
    const bool vulkan12 = properties.apiVersion >= VK_API_VERSION_1_2;
    if (vulkan12)
        features.pNext = &f16i8;

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queue.queueFamilyIndex = m_info.computeQueueFamily;
    queue.queueCount = 1;
    queue.pQueuePriorities = &priority;

    std::vector<const char *> extensions;
    if (m_info.memoryBudgetExtension)
        extensions.push_back(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);

    VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    info.pNext = &features;
    info.queueCreateInfoCount = 1;
    info.pQueueCreateInfos = &queue;
    info.enabledExtensionCount = uint32_t(extensions.size());
    info.ppEnabledExtensionNames = extensions.data();
    PARLO_VK_CHECK("vkCreateDevice", vk.vkCreateDevice(m_physical, &info, nullptr, &m_device));
    vk.vkGetDeviceQueue(m_device, m_info.computeQueueFamily, 0, &m_queue);

    VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pool.queueFamilyIndex = m_info.computeQueueFamily;
    PARLO_VK_CHECK("vkCreateCommandPool", vk.vkCreateCommandPool(m_device, &pool, nullptr, &m_commandPool));

    VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    alloc.commandPool = m_commandPool;
    alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
    alloc.commandBufferCount = 1;
    PARLO_VK_CHECK("vkAllocateCommandBuffers", vk.vkAllocateCommandBuffers(m_device, &alloc, &m_commands));

    PARLO_TRY(addDescriptorPool());
    m_storageAlignment = std::max<VkDeviceSize>(properties.limits.minStorageBufferOffsetAlignment, 4);

    // Unified memory: every device-local type is host-visible too, so buffers are mapped and
    // filled with memcpy instead of a staging copy.
    m_unifiedMemory = true;
    for (uint32_t i = 0; i < m_memory.memoryTypeCount; ++i) {
        const VkMemoryPropertyFlags f = m_memory.memoryTypes[i].propertyFlags;
        if ((f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) && !(f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
            m_unifiedMemory = false;
    }

    VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    PARLO_VK_CHECK("vkCreateFence", vk.vkCreateFence(m_device, &fence, nullptr, &m_fence));

    loadPipelineCache();
    return {};
}

Context::~Context()
{
    if (!m_instance)
        return;
    const Api &vk = api();
    if (m_device != VK_NULL_HANDLE) {
        vk.vkDeviceWaitIdle(m_device);
        savePipelineCache();
        for (auto &[key, p] : m_pipelines) {
            vk.vkDestroyPipeline(m_device, p->pipeline, nullptr);
            vk.vkDestroyPipelineLayout(m_device, p->layout, nullptr);
            vk.vkDestroyDescriptorSetLayout(m_device, p->setLayout, nullptr);
        }
        if (m_pipelineCache != VK_NULL_HANDLE)
            vk.vkDestroyPipelineCache(m_device, m_pipelineCache, nullptr);
        if (m_fence != VK_NULL_HANDLE)
            vk.vkDestroyFence(m_device, m_fence, nullptr);
        for (VkDescriptorPool pool : m_descriptorPools)
            vk.vkDestroyDescriptorPool(m_device, pool, nullptr);
        if (m_commandPool != VK_NULL_HANDLE)
            vk.vkDestroyCommandPool(m_device, m_commandPool, nullptr);
        vk.vkDestroyDevice(m_device, nullptr);
    }
}

Result<uint32_t> Context::memoryTypeFor(uint32_t typeBits, MemoryUse use) const
{
    const VkMemoryPropertyFlags hostFlags = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    // Preference lists: the first type that matches wins.
    std::vector<VkMemoryPropertyFlags> wanted;
    if (use == MemoryUse::DeviceLocal && m_unifiedMemory)
        wanted = {VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT | hostFlags, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT};
    else if (use == MemoryUse::DeviceLocal)
        wanted = {VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT};
    else
        wanted = {hostFlags | VK_MEMORY_PROPERTY_HOST_CACHED_BIT, hostFlags};
    for (VkMemoryPropertyFlags flags : wanted) {
        for (uint32_t i = 0; i < m_memory.memoryTypeCount; ++i) {
            if ((typeBits & (1u << i)) && (m_memory.memoryTypes[i].propertyFlags & flags) == flags)
                return i;
        }
    }
    return makeError(std::string("no Vulkan memory type fits a ") +
                     (use == MemoryUse::DeviceLocal ? "device-local" : "host-visible") + " buffer");
}

Result<Buffer> Context::createBuffer(VkDeviceSize size, MemoryUse use)
{
    if (size == 0)
        return makeError("cannot create an empty Vulkan buffer");
    const Api &vk = api();
    Buffer buffer;
    buffer.m_context = this;
    buffer.m_size = size;
    buffer.m_serial = m_nextSerial++;

    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = size;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    PARLO_VK_CHECK("vkCreateBuffer", vk.vkCreateBuffer(m_device, &info, nullptr, &buffer.m_buffer));

    VkMemoryRequirements requirements{};
    vk.vkGetBufferMemoryRequirements(m_device, buffer.m_buffer, &requirements);
    auto type = memoryTypeFor(requirements.memoryTypeBits, use);
    if (!type)
        return type.error();
    VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    alloc.allocationSize = requirements.size;
    alloc.memoryTypeIndex = *type;
    PARLO_VK_CHECK("vkAllocateMemory", vk.vkAllocateMemory(m_device, &alloc, nullptr, &buffer.m_memory));
    PARLO_VK_CHECK("vkBindBufferMemory", vk.vkBindBufferMemory(m_device, buffer.m_buffer, buffer.m_memory, 0));

    const VkMemoryPropertyFlags flags = m_memory.memoryTypes[*type].propertyFlags;
    if (flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT)
        PARLO_VK_CHECK("vkMapMemory", vk.vkMapMemory(m_device, buffer.m_memory, 0, VK_WHOLE_SIZE, 0, &buffer.m_mapped));
    return buffer;
}

Result<void> Context::upload(Buffer &buffer, const void *data, VkDeviceSize size, VkDeviceSize offset)
{
    if (offset + size > buffer.size() || offset + size < offset)
        return makeError("upload outside the buffer");
    if (buffer.mapped()) {
        std::memcpy(static_cast<std::byte *>(buffer.mapped()) + offset, data, size);
        return {};
    }
    // Through a bounded staging buffer, piece by piece, so a 1 GiB tensor never needs 1 GiB
    // of host-visible memory at once.
    const VkDeviceSize piece = std::min<VkDeviceSize>(size, k_stagingBytes);
    auto staging = createBuffer(piece, MemoryUse::HostVisible);
    if (!staging)
        return staging.error();
    for (VkDeviceSize done = 0; done < size; done += piece) {
        const VkDeviceSize n = std::min(piece, size - done);
        std::memcpy(staging->mapped(), static_cast<const std::byte *>(data) + done, n);
        auto batch = beginBatch();
        if (!batch)
            return batch.error();
        PARLO_TRY(batch->copy(*staging, 0, buffer, offset + done, n));
        PARLO_TRY(submitAndWait(*batch));
    }
    return {};
}

Result<void> Context::download(const Buffer &buffer, void *data, VkDeviceSize size, VkDeviceSize offset)
{
    if (offset + size > buffer.size() || offset + size < offset)
        return makeError("download outside the buffer");
    if (buffer.mapped()) {
        std::memcpy(data, static_cast<const std::byte *>(buffer.mapped()) + offset, size);
        return {};
    }
    const VkDeviceSize piece = std::min<VkDeviceSize>(size, k_stagingBytes);
    auto staging = createBuffer(piece, MemoryUse::HostVisible);
    if (!staging)
        return staging.error();
    for (VkDeviceSize done = 0; done < size; done += piece) {
        const VkDeviceSize n = std::min(piece, size - done);
        auto batch = beginBatch();
        if (!batch)
            return batch.error();
        PARLO_TRY(batch->copy(buffer, offset + done, *staging, 0, n));
        PARLO_TRY(submitAndWait(*batch));
        std::memcpy(static_cast<std::byte *>(data) + done, staging->mapped(), n);
    }
    return {};
}

Buffer &Buffer::operator=(Buffer &&other) noexcept
{
    if (this != &other) {
        release();
        m_context = std::exchange(other.m_context, nullptr);
        m_serial = std::exchange(other.m_serial, 0);
        m_buffer = std::exchange(other.m_buffer, VK_NULL_HANDLE);
        m_memory = std::exchange(other.m_memory, VK_NULL_HANDLE);
        m_size = std::exchange(other.m_size, 0);
        m_mapped = std::exchange(other.m_mapped, nullptr);
    }
    return *this;
}

Buffer::~Buffer() { release(); }

void Buffer::release()
{
    if (!m_context)
        return;
    m_context->forgetBuffer(m_serial);
    const Api &vk = m_context->api();
    if (m_buffer != VK_NULL_HANDLE)
        vk.vkDestroyBuffer(m_context->device(), m_buffer, nullptr);
    if (m_memory != VK_NULL_HANDLE)
        vk.vkFreeMemory(m_context->device(), m_memory, nullptr); // unmaps implicitly
    m_context = nullptr;
    m_buffer = VK_NULL_HANDLE;
    m_memory = VK_NULL_HANDLE;
    m_mapped = nullptr;
}

} // namespace parlo::vk
