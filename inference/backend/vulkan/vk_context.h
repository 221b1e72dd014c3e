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

private:
    friend class Context;
    void release();
    const Context *m_context = nullptr;
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

// Records dispatches into one command buffer; Context::submitAndWait runs it.
class CommandBatch
{
public:
    // Binds `buffers` to bindings 0..n-1, pushes `push`, and dispatches. A compute-to-compute
    // barrier follows each dispatch, because every op here reads the previous op's output.
    Result<void> dispatch(const Pipeline &pipeline, std::span<const Buffer *const> buffers,
                          std::span<const std::byte> push, uint32_t groupsX, uint32_t groupsY = 1,
                          uint32_t groupsZ = 1);

private:
    friend class Context;
    Context *m_context = nullptr;
    VkCommandBuffer m_commands = VK_NULL_HANDLE;
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

    Result<Buffer> createBuffer(VkDeviceSize size, MemoryUse use);
    Result<void> upload(Buffer &buffer, const void *data, VkDeviceSize size, VkDeviceSize offset = 0);
    Result<void> download(const Buffer &buffer, void *data, VkDeviceSize size, VkDeviceSize offset = 0);

    // Creates the pipeline once per (variant, spec constants) and keeps it.
    Result<const Pipeline *> pipeline(const PipelineDesc &desc);

    Result<CommandBatch> beginBatch();
    Result<void> submitAndWait(CommandBatch &batch);

private:
    friend class Buffer;
    friend class CommandBatch;
    Context() = default;
    Result<void> init(uint32_t deviceIndex, bool validation);
    Result<uint32_t> memoryTypeFor(uint32_t typeBits, MemoryUse use) const;
    Result<VkDescriptorSet> allocateDescriptorSet(const Pipeline &pipeline);
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
    VkDescriptorPool m_descriptorPool = VK_NULL_HANDLE;
    VkFence m_fence = VK_NULL_HANDLE;
    VkPipelineCache m_pipelineCache = VK_NULL_HANDLE;
    std::string m_pipelineCachePath;
    std::map<std::string, std::unique_ptr<Pipeline>> m_pipelines;
};

} // namespace parlo::vk
