// Command recording: dispatches and copies with hazard-tracked barriers, cached descriptor
// sets, and the submit that may carry an injected fault for tests.
#include "vk_context.h"

#include <algorithm>

namespace parlo::vk {
namespace {

constexpr uint32_t k_setsPerPool = 1024;
constexpr size_t k_maxCachedSets = 8192; // beyond this the cache is dropped between batches



} // namespace

Result<void> Context::addDescriptorPool()
{
    const VkDescriptorPoolSize poolSize{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, k_setsPerPool * 6};
    VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    info.maxSets = k_setsPerPool;
    info.poolSizeCount = 1;
    info.pPoolSizes = &poolSize;
    VkDescriptorPool pool = VK_NULL_HANDLE;
    PARLO_VK_CHECK("vkCreateDescriptorPool", api().vkCreateDescriptorPool(m_device, &info, nullptr, &pool));
    m_descriptorPools.push_back(pool);
    return {};
}

Result<CommandBatch> Context::beginBatch()
{
    if (m_recording)
        return makeError("a Vulkan command batch is already being recorded");
    const Api &vk = api();
    PARLO_VK_CHECK("vkResetCommandBuffer", vk.vkResetCommandBuffer(m_commands, 0));
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    PARLO_VK_CHECK("vkBeginCommandBuffer", vk.vkBeginCommandBuffer(m_commands, &begin));
    m_recording = true;
    CommandBatch batch;
    batch.m_context = this;
    batch.m_commands = m_commands;
    return batch;
}

void Context::injectSubmitFailure(uint32_t submitsFromNow, VkResult result)
{
    m_failAfterSubmits = submitsFromNow;
    m_injectedFailure = result;
}

void Context::abandon(CommandBatch &batch)
{
    if (batch.m_commands != VK_NULL_HANDLE) {
        api().vkEndCommandBuffer(batch.m_commands);
        api().vkResetCommandBuffer(batch.m_commands, 0);
    }
    batch.m_commands = VK_NULL_HANDLE;
    m_recording = false;
}

Result<void> Context::submitAndWait(CommandBatch &batch)
{
    const Api &vk = api();
    if (batch.m_commands == VK_NULL_HANDLE)
        return makeError("submit of a command batch that was already submitted");
    // Make every write of the batch visible to the host and to the next batch's transfers.
    if (!batch.m_pendingWrites.empty())
        batch.barrier();
    m_recording = false;
    VkCommandBuffer commands = std::exchange(batch.m_commands, VK_NULL_HANDLE);
    PARLO_VK_CHECK("vkEndCommandBuffer", vk.vkEndCommandBuffer(commands));
    if (m_injectedFailure != VK_SUCCESS) {
        if (m_failAfterSubmits == 0) {
            const VkResult injected = std::exchange(m_injectedFailure, VK_SUCCESS);
            return vulkanError("vkQueueSubmit", injected);
        }
        --m_failAfterSubmits;
    }
    VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &commands;
    PARLO_VK_CHECK("vkResetFences", vk.vkResetFences(m_device, 1, &m_fence));
    PARLO_VK_CHECK("vkQueueSubmit", vk.vkQueueSubmit(m_queue, 1, &submit, m_fence));
    PARLO_VK_CHECK("vkWaitForFences", vk.vkWaitForFences(m_device, 1, &m_fence, VK_TRUE, UINT64_MAX));
    if (m_descriptorCache.size() > k_maxCachedSets) {
        // Nothing is in flight now, so every set may be recycled.
        m_descriptorCache.clear();
        for (VkDescriptorPool pool : m_descriptorPools)
            PARLO_VK_CHECK("vkResetDescriptorPool", vk.vkResetDescriptorPool(m_device, pool, 0));
    }
    return {};
}

void Context::forgetBuffer(uint64_t serial)
{
    // Entries naming a destroyed buffer can never match again (serials are not reused); drop
    // them so the map does not grow over model reloads. Their sets return at the next reset.
    std::erase_if(m_descriptorCache, [serial](const auto &entry) {
        const auto &key = entry.first;
        for (size_t i = 1; i < key.size(); i += 3) { // [layout, (serial, offset, range)...]
            if (key[i] == serial)
                return true;
        }
        return false;
    });
}

Result<VkDescriptorSet> Context::allocateDescriptorSet(const Pipeline &pipeline)
{
    VkDescriptorSetAllocateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    info.descriptorPool = m_descriptorPools.back();
    info.descriptorSetCount = 1;
    info.pSetLayouts = &pipeline.setLayout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    VkResult result = api().vkAllocateDescriptorSets(m_device, &info, &set);
    if (result == VK_ERROR_OUT_OF_POOL_MEMORY || result == VK_ERROR_FRAGMENTED_POOL) {
        PARLO_TRY(addDescriptorPool());
        info.descriptorPool = m_descriptorPools.back();
        result = api().vkAllocateDescriptorSets(m_device, &info, &set);
    }
    if (result != VK_SUCCESS)
        return vulkanError("vkAllocateDescriptorSets", result);
    return set;
}

Result<VkDescriptorSet> Context::descriptorSet(const Pipeline &pipeline, std::span<const Binding> bindings)
{
    std::vector<uint64_t> key;
    key.reserve(1 + 3 * bindings.size());
    key.push_back(reinterpret_cast<uint64_t>(pipeline.setLayout));
    for (const Binding &b : bindings) {
        key.push_back(b.buffer->serial());
        key.push_back(b.offset);
        key.push_back(b.range);
    }
    if (auto it = m_descriptorCache.find(key); it != m_descriptorCache.end())
        return it->second;
    auto set = allocateDescriptorSet(pipeline);
    if (!set)
        return set.error();
    std::vector<VkDescriptorBufferInfo> infos(bindings.size());
    std::vector<VkWriteDescriptorSet> writes(bindings.size());
    for (size_t i = 0; i < bindings.size(); ++i) {
        infos[i] = {bindings[i].buffer->handle(), bindings[i].offset, bindings[i].range};
        writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = *set;
        writes[i].dstBinding = uint32_t(i);
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
    }
    api().vkUpdateDescriptorSets(m_device, uint32_t(writes.size()), writes.data(), 0, nullptr);
    m_descriptorCache.emplace(std::move(key), *set);
    return *set;
}

void CommandBatch::barrier()
{
    // One global memory barrier covers compute and transfer in both directions, and the host
    // for read-back: cheaper to issue than per-buffer barriers, and only issued on a hazard.
    VkMemoryBarrier b{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                      VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_READ_BIT;
    const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    m_context->api().vkCmdPipelineBarrier(m_commands, stages, stages | VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &b, 0,
                                          nullptr, 0, nullptr);
    m_pendingReads.clear();
    m_pendingWrites.clear();
    ++m_barriers;
}

void CommandBatch::track(std::span<const Access> reads, std::span<const Access> writes)
{
    bool hazard = false;
    auto conflicts = [](const Access &a, const std::vector<Access> &pending) {
        return std::any_of(pending.begin(), pending.end(), [&](const Access &p) {
            return a.serial == p.serial && a.begin < p.end && p.begin < a.end;
        });
    };
    for (const Access &r : reads)
        hazard = hazard || conflicts(r, m_pendingWrites); // read after write
    for (const Access &w : writes)
        hazard = hazard || conflicts(w, m_pendingWrites) || conflicts(w, m_pendingReads); // WAW, WAR
    if (hazard)
        barrier();
    m_pendingReads.insert(m_pendingReads.end(), reads.begin(), reads.end());
    m_pendingWrites.insert(m_pendingWrites.end(), writes.begin(), writes.end());
}

Result<void> CommandBatch::copy(const Buffer &src, VkDeviceSize srcOffset, const Buffer &dst, VkDeviceSize dstOffset,
                                VkDeviceSize size)
{
    if (!m_context || m_commands == VK_NULL_HANDLE)
        return makeError("copy on a command batch that was already submitted");
    if (srcOffset + size > src.size() || dstOffset + size > dst.size())
        return makeError("buffer copy outside its buffers");
    const Access r{src.serial(), srcOffset, srcOffset + size};
    const Access w{dst.serial(), dstOffset, dstOffset + size};
    track({&r, 1}, {&w, 1});
    const VkBufferCopy region{srcOffset, dstOffset, size};
    m_context->api().vkCmdCopyBuffer(m_commands, src.handle(), dst.handle(), 1, &region);
    return {};
}

Result<void> CommandBatch::dispatch(const Pipeline &pipeline, std::span<const Binding> bindings,
                                    std::span<const std::byte> push, uint32_t groupsX, uint32_t groupsY,
                                    uint32_t groupsZ)
{
    if (!m_context || m_commands == VK_NULL_HANDLE)
        return makeError("dispatch on a command batch that was already submitted");
    if (bindings.size() != pipeline.bindingCount)
        return makeError(pipeline.variant + " takes " + std::to_string(pipeline.bindingCount) + " buffers, got " +
                         std::to_string(bindings.size()));
    if (push.size() != pipeline.pushConstantBytes)
        return makeError(pipeline.variant + " takes " + std::to_string(pipeline.pushConstantBytes) +
                         " bytes of push constants, got " + std::to_string(push.size()));
    if (groupsX == 0 || groupsY == 0 || groupsZ == 0)
        return {};
    std::vector<Access> reads, writes;
    for (const Binding &b : bindings) {
        VkDeviceSize begin = b.offset, end = b.range == VK_WHOLE_SIZE ? b.buffer->size() : b.offset + b.range;
        if (b.accessEnd != VK_WHOLE_SIZE) {
            begin = b.accessBegin;
            end = b.accessEnd;
        }
        (b.writes ? writes : reads).push_back({b.buffer->serial(), begin, end});
    }
    track(reads, writes);

    auto set = m_context->descriptorSet(pipeline, bindings);
    if (!set)
        return set.error();
    const Api &vk = m_context->api();
    vk.vkCmdBindPipeline(m_commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline);
    vk.vkCmdBindDescriptorSets(m_commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &set.value(), 0,
                               nullptr);
    if (!push.empty())
        vk.vkCmdPushConstants(m_commands, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, uint32_t(push.size()),
                              push.data());
    vk.vkCmdDispatch(m_commands, groupsX, groupsY, groupsZ);
    ++m_dispatches;
    return {};
}

Result<void> CommandBatch::dispatch(const Pipeline &pipeline, std::span<const Buffer *const> buffers,
                                    std::span<const std::byte> push, uint32_t groupsX, uint32_t groupsY,
                                    uint32_t groupsZ)
{
    std::vector<Binding> bindings;
    for (const Buffer *b : buffers)
        bindings.push_back({b, 0, VK_WHOLE_SIZE, true});
    return dispatch(pipeline, bindings, push, groupsX, groupsY, groupsZ);
}

} // namespace parlo::vk
