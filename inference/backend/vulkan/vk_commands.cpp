#include "vk_context.h"

namespace parlo::vk {

Result<CommandBatch> Context::beginBatch()
{
    const Api &vk = api();
    PARLO_VK_CHECK("vkResetCommandBuffer", vk.vkResetCommandBuffer(m_commands, 0));
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    PARLO_VK_CHECK("vkBeginCommandBuffer", vk.vkBeginCommandBuffer(m_commands, &begin));
    CommandBatch batch;
    batch.m_context = this;
    batch.m_commands = m_commands;
    return batch;
}

Result<void> Context::submitAndWait(CommandBatch &batch)
{
    const Api &vk = api();
    PARLO_VK_CHECK("vkEndCommandBuffer", vk.vkEndCommandBuffer(batch.m_commands));
    VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &batch.m_commands;
    PARLO_VK_CHECK("vkResetFences", vk.vkResetFences(m_device, 1, &m_fence));
    PARLO_VK_CHECK("vkQueueSubmit", vk.vkQueueSubmit(m_queue, 1, &submit, m_fence));
    PARLO_VK_CHECK("vkWaitForFences", vk.vkWaitForFences(m_device, 1, &m_fence, VK_TRUE, UINT64_MAX));
    // The batch's descriptor sets are no longer in use once the fence has signalled.
    PARLO_VK_CHECK("vkResetDescriptorPool", vk.vkResetDescriptorPool(m_device, m_descriptorPool, 0));
    batch.m_commands = VK_NULL_HANDLE;
    return {};
}

Result<VkDescriptorSet> Context::allocateDescriptorSet(const Pipeline &pipeline)
{
    VkDescriptorSetAllocateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    info.descriptorPool = m_descriptorPool;
    info.descriptorSetCount = 1;
    info.pSetLayouts = &pipeline.setLayout;
    VkDescriptorSet set = VK_NULL_HANDLE;
    PARLO_VK_CHECK("vkAllocateDescriptorSets", api().vkAllocateDescriptorSets(m_device, &info, &set));
    return set;
}

Result<void> CommandBatch::dispatch(const Pipeline &pipeline, std::span<const Buffer *const> buffers,
                                    std::span<const std::byte> push, uint32_t groupsX, uint32_t groupsY,
                                    uint32_t groupsZ)
{
    if (!m_context || m_commands == VK_NULL_HANDLE)
        return makeError("dispatch on a command batch that was already submitted");
    if (buffers.size() != pipeline.bindingCount)
        return makeError(pipeline.variant + " takes " + std::to_string(pipeline.bindingCount) + " buffers, got " +
                         std::to_string(buffers.size()));
    if (push.size() != pipeline.pushConstantBytes)
        return makeError(pipeline.variant + " takes " + std::to_string(pipeline.pushConstantBytes) +
                         " bytes of push constants, got " + std::to_string(push.size()));
    const Api &vk = m_context->api();
    auto set = m_context->allocateDescriptorSet(pipeline);
    if (!set)
        return set.error();

    std::vector<VkDescriptorBufferInfo> infos(buffers.size());
    std::vector<VkWriteDescriptorSet> writes(buffers.size());
    for (size_t i = 0; i < buffers.size(); ++i) {
        infos[i] = {buffers[i]->handle(), 0, VK_WHOLE_SIZE};
        writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
        writes[i].dstSet = *set;
        writes[i].dstBinding = uint32_t(i);
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
    }
    vk.vkUpdateDescriptorSets(m_context->device(), uint32_t(writes.size()), writes.data(), 0, nullptr);

    vk.vkCmdBindPipeline(m_commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline);
    vk.vkCmdBindDescriptorSets(m_commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &set.value(), 0,
                               nullptr);
    if (!push.empty())
        vk.vkCmdPushConstants(m_commands, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, uint32_t(push.size()),
                              push.data());
    vk.vkCmdDispatch(m_commands, groupsX, groupsY, groupsZ);

    VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
    barrier.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_HOST_READ_BIT |
                            VK_ACCESS_TRANSFER_READ_BIT;
    vk.vkCmdPipelineBarrier(m_commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                            VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_HOST_BIT |
                                VK_PIPELINE_STAGE_TRANSFER_BIT,
                            0, 1, &barrier, 0, nullptr, 0, nullptr);
    return {};
}

} // namespace parlo::vk
