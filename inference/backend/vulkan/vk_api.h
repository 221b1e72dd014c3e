// The Vulkan entry points Parlo uses, loaded at run time from libvulkan.so.1.
// Linking the loader directly would stop Parlo from starting on machines without Vulkan;
// loading it lets us record why Vulkan is missing and run on the CPU instead.
#pragma once

#ifndef VK_NO_PROTOTYPES
#define VK_NO_PROTOTYPES
#endif
#include <vulkan/vulkan.h>

#include "parlo/result.h"

#include <string>

namespace parlo::vk {

// Functions resolved without an instance.
#define PARLO_VK_GLOBAL_FUNCTIONS(X)                                                                \
    X(vkCreateInstance)                                                                             \
    X(vkEnumerateInstanceVersion)                                                                   \
    X(vkEnumerateInstanceLayerProperties)                                                           \
    X(vkEnumerateInstanceExtensionProperties)

// Functions resolved through an instance; device-level ones go through the loader's trampolines.
#define PARLO_VK_INSTANCE_FUNCTIONS(X)                                                              \
    X(vkDestroyInstance)                                                                            \
    X(vkEnumeratePhysicalDevices)                                                                   \
    X(vkGetPhysicalDeviceProperties)                                                                \
    X(vkGetPhysicalDeviceProperties2)                                                               \
    X(vkGetPhysicalDeviceFeatures2)                                                                 \
    X(vkGetPhysicalDeviceMemoryProperties)                                                          \
    X(vkGetPhysicalDeviceMemoryProperties2)                                                         \
    X(vkGetPhysicalDeviceQueueFamilyProperties)                                                     \
    X(vkEnumerateDeviceExtensionProperties)                                                         \
    X(vkCreateDevice)                                                                               \
    X(vkDestroyDevice)                                                                              \
    X(vkGetDeviceQueue)                                                                             \
    X(vkCreateBuffer)                                                                               \
    X(vkDestroyBuffer)                                                                              \
    X(vkGetBufferMemoryRequirements)                                                                \
    X(vkAllocateMemory)                                                                             \
    X(vkFreeMemory)                                                                                 \
    X(vkBindBufferMemory)                                                                           \
    X(vkMapMemory)                                                                                  \
    X(vkUnmapMemory)                                                                                \
    X(vkFlushMappedMemoryRanges)                                                                    \
    X(vkInvalidateMappedMemoryRanges)                                                               \
    X(vkCreateShaderModule)                                                                         \
    X(vkDestroyShaderModule)                                                                        \
    X(vkCreateDescriptorSetLayout)                                                                  \
    X(vkDestroyDescriptorSetLayout)                                                                 \
    X(vkCreatePipelineLayout)                                                                       \
    X(vkDestroyPipelineLayout)                                                                      \
    X(vkCreateComputePipelines)                                                                     \
    X(vkDestroyPipeline)                                                                            \
    X(vkCreatePipelineCache)                                                                        \
    X(vkDestroyPipelineCache)                                                                       \
    X(vkGetPipelineCacheData)                                                                       \
    X(vkCreateDescriptorPool)                                                                       \
    X(vkDestroyDescriptorPool)                                                                      \
    X(vkResetDescriptorPool)                                                                        \
    X(vkAllocateDescriptorSets)                                                                     \
    X(vkUpdateDescriptorSets)                                                                       \
    X(vkCreateCommandPool)                                                                          \
    X(vkDestroyCommandPool)                                                                         \
    X(vkAllocateCommandBuffers)                                                                     \
    X(vkFreeCommandBuffers)                                                                         \
    X(vkBeginCommandBuffer)                                                                         \
    X(vkEndCommandBuffer)                                                                           \
    X(vkResetCommandBuffer)                                                                         \
    X(vkCmdBindPipeline)                                                                            \
    X(vkCmdBindDescriptorSets)                                                                      \
    X(vkCmdPushConstants)                                                                           \
    X(vkCmdDispatch)                                                                                \
    X(vkCmdPipelineBarrier)                                                                         \
    X(vkCmdCopyBuffer)                                                                              \
    X(vkCmdFillBuffer)                                                                              \
    X(vkCreateFence)                                                                                \
    X(vkDestroyFence)                                                                               \
    X(vkResetFences)                                                                                \
    X(vkWaitForFences)                                                                              \
    X(vkQueueSubmit)                                                                                \
    X(vkQueueWaitIdle)                                                                              \
    X(vkDeviceWaitIdle)

// Optional: present only when VK_EXT_debug_utils is enabled.
#define PARLO_VK_DEBUG_FUNCTIONS(X)                                                                 \
    X(vkCreateDebugUtilsMessengerEXT)                                                               \
    X(vkDestroyDebugUtilsMessengerEXT)

struct Api
{
    PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
#define PARLO_VK_DECLARE(name) PFN_##name name = nullptr;
    PARLO_VK_GLOBAL_FUNCTIONS(PARLO_VK_DECLARE)
    PARLO_VK_INSTANCE_FUNCTIONS(PARLO_VK_DECLARE)
    PARLO_VK_DEBUG_FUNCTIONS(PARLO_VK_DECLARE)
#undef PARLO_VK_DECLARE
};

// Opens the loader (once per process) and fills the global entry points.
Result<Api> loadGlobalApi();
// Fills the instance-level entry points of `api` for `instance`.
Result<void> loadInstanceApi(Api &api, VkInstance instance, bool debugUtils);

std::string resultName(VkResult result);
// "vkCreateDevice failed: VK_ERROR_OUT_OF_DEVICE_MEMORY"
Error vulkanError(const char *call, VkResult result);

} // namespace parlo::vk

// Returns a Vulkan error from the enclosing Result-returning function when `call` fails.
#define PARLO_VK_CHECK(call_name, expr)                                                             \
    do {                                                                                            \
        const VkResult parlo_vk_result_ = (expr);                                                   \
        if (parlo_vk_result_ != VK_SUCCESS)                                                         \
            return ::parlo::vk::vulkanError(call_name, parlo_vk_result_);                           \
    } while (0)
