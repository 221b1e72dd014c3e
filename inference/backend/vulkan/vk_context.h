// A logical Vulkan device ready for compute: queue, memory, pipelines from embedded SPIR-V,
// and one-shot command batches. The model graph (issue: Vulkan backend) builds on this.
#pragma once

#include "parlo/devices.h"
#include "vk_instance.h"

#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace parlo::vk {

class Context;

enum class MemoryUse {
    DeviceLocal, // weights and activations; filled through a staging copy unless host-visible
    HostVisible, // host-coherent and mapped: staging, read-back, small uniforms
};

class Buffer
{
public:
    Buffer() = default;
    Buffer(Buffer &&other) noexcept { *this = std::move(other); }
    Buffer &operator=(Buffer &&other) noexcept;
    ~Buffer();

    VkBuffer handle() const { return m_buffer; }
    VkDeviceSize size() const { return m_size; }
    void *mapped() const { return m_mapped; } // null unless host-visible
    // Unique for the context's lifetime (handles can be recycled by the driver); keys the
    // descriptor-set cache and hazard tracking.
    uint64_t serial() const { return m_serial; }

private:
    friend class Context;
    void release();
    Context *m_context = nullptr;
    uint64_t m_serial = 0;
    VkBuffer m_buffer = VK_NULL_HANDLE;
    VkDeviceMemory m_memory = VK_NULL_HANDLE;
    VkDeviceSize m_size = 0;
    void *m_mapped = nullptr;
};

struct PipelineDesc
{
    std::string variant;            // SPIR-V variant name, e.g. "rms_norm_f32"
    uint32_t bindingCount = 0;      // storage buffers at bindings 0..n-1
    uint32_t pushConstantBytes = 0;
    std::vector<uint32_t> specConstants; // constant_id 0..n-1; id 0 is the workgroup size by convention
};

struct Pipeline
{
    std::string variant;
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
    uint32_t bindingCount = 0;
    uint32_t pushConstantBytes = 0;
};

// One storage-buffer binding: a byte window of a buffer (offset aligned to
// minStorageBufferOffsetAlignment, range <= maxStorageBufferRange), and whether the shader
// writes it. The access flag drives hazard tracking: barriers go only where a later command
// touches what an earlier one wrote (or writes what it read).
struct Binding
{
    const Buffer *buffer = nullptr;
    VkDeviceSize offset = 0;
    VkDeviceSize range = VK_WHOLE_SIZE;
    bool writes = false;
    // The bytes the shader really touches, for hazard tracking; the whole window by default.
    VkDeviceSize accessBegin = 0;
    VkDeviceSize accessEnd = VK_WHOLE_SIZE;
};

// Records dispatches and copies into one command buffer; Context::submitAndWait runs it.
class CommandBatch
{
public:
    Result<void> dispatch(const Pipeline &pipeline, std::span<const Binding> bindings, std::span<const std::byte> push,
                          uint32_t groupsX, uint32_t groupsY = 1, uint32_t groupsZ = 1);
    // Whole buffers, each taken as read and written (the conservative form for simple callers).
    Result<void> dispatch(const Pipeline &pipeline, std::span<const Buffer *const> buffers,
                          std::span<const std::byte> push, uint32_t groupsX, uint32_t groupsY = 1,
                          uint32_t groupsZ = 1);
    Result<void> copy(const Buffer &src, VkDeviceSize srcOffset, const Buffer &dst, VkDeviceSize dstOffset,
                      VkDeviceSize size);
    uint32_t dispatchCount() const { return m_dispatches; }
    uint32_t barrierCount() const { return m_barriers; }

private:
    friend class Context;
    struct Access
    {
        uint64_t serial;
        VkDeviceSize begin, end;
    };
    // Emits a barrier first when `reads`/`writes` conflict with what is pending since the last one.
    void track(std::span<const Access> reads, std::span<const Access> writes);
    void barrier();

    Context *m_context = nullptr;
    VkCommandBuffer m_commands = VK_NULL_HANDLE;
    std::vector<Access> m_pendingReads, m_pendingWrites;
    uint32_t m_dispatches = 0;
    uint32_t m_barriers = 0;
};

class Context
{
public:
    // Creates a logical device on physical device `deviceIndex` of a new instance.
    static Result<std::unique_ptr<Context>> create(uint32_t deviceIndex,
                                                   bool validation = validationRequestedByDefault());
    ~Context();
    Context(const Context &) = delete;
    Context &operator=(const Context &) = delete;

    const Instance &instance() const { return *m_instance; }
    const Api &api() const { return m_instance->api(); }
    VkDevice device() const { return m_device; }
    const VulkanDeviceInfo &info() const { return m_info; }
    // Shaders with subgroup arithmetic need this; otherwise pick the `_nosg` variant.
    bool useSubgroups() const { return m_info.hasSubgroupArithmetic(); }

    // Buffers larger than maxStorageBufferRange are allowed; bind windows of them.
    Result<Buffer> createBuffer(VkDeviceSize size, MemoryUse use);
    uint64_t maxStorageBufferRange() const { return m_info.maxStorageBufferRange; }
    uint64_t storageOffsetAlignment() const { return m_storageAlignment; }
    // True when device-local memory is also host-visible (integrated GPUs, lavapipe): no staging.
    bool unifiedMemory() const { return m_unifiedMemory; }
    Result<void> upload(Buffer &buffer, const void *data, VkDeviceSize size, VkDeviceSize offset = 0);
    Result<void> download(const Buffer &buffer, void *data, VkDeviceSize size, VkDeviceSize offset = 0);

    // Creates the pipeline once per (variant, spec constants) and keeps it.
    Result<const Pipeline *> pipeline(const PipelineDesc &desc);

    Result<CommandBatch> beginBatch();
    Result<void> submitAndWait(CommandBatch &batch);
    // Ends a batch that will never run (after an error while recording).
    void abandon(CommandBatch &batch);

    // Fault injection for tests: the next submit after `submitsFromNow` more fails with
    // `result` (VK_ERROR_DEVICE_LOST, VK_ERROR_OUT_OF_DEVICE_MEMORY) as if the driver said so.
    void injectSubmitFailure(uint32_t submitsFromNow, VkResult result);
    size_t cachedDescriptorSets() const { return m_descriptorCache.size(); }

private:
    friend class Buffer;
    friend class CommandBatch;
    Context() = default;
    Result<void> init(uint32_t deviceIndex, bool validation);
    Result<uint32_t> memoryTypeFor(uint32_t typeBits, MemoryUse use) const;
    Result<VkDescriptorSet> descriptorSet(const Pipeline &pipeline, std::span<const Binding> bindings);
    Result<VkDescriptorSet> allocateDescriptorSet(const Pipeline &pipeline);
    Result<void> addDescriptorPool();
    void forgetBuffer(uint64_t serial);
    void loadPipelineCache();
    void savePipelineCache() const;

    std::unique_ptr<Instance> m_instance;
    VkPhysicalDevice m_physical = VK_NULL_HANDLE;
    VulkanDeviceInfo m_info;
    VkPhysicalDeviceMemoryProperties m_memory{};
    VkDevice m_device = VK_NULL_HANDLE;
    VkQueue m_queue = VK_NULL_HANDLE;
    VkCommandPool m_commandPool = VK_NULL_HANDLE;
    VkCommandBuffer m_commands = VK_NULL_HANDLE;
    std::vector<VkDescriptorPool> m_descriptorPools; // the last one allocates; more added when full
    // Sets keyed by (layout, buffer serials and windows): reused across tokens, since the graph
    // binds the same buffers every step. Cleared wholesale when it grows past a bound.
    std::map<std::vector<uint64_t>, VkDescriptorSet> m_descriptorCache;
    bool m_recording = false;
    uint64_t m_nextSerial = 1;
    uint64_t m_storageAlignment = 256;
    bool m_unifiedMemory = false;
    uint32_t m_failAfterSubmits = 0;
    VkResult m_injectedFailure = VK_SUCCESS;
    VkFence m_fence = VK_NULL_HANDLE;
    VkPipelineCache m_pipelineCache = VK_NULL_HANDLE;
    std::string m_pipelineCachePath;
    std::map<std::string, std::unique_ptr<Pipeline>> m_pipelines;
};

} // namespace parlo::vk
