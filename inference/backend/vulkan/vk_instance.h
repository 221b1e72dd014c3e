// A Vulkan instance with the validation layers on in debug and test builds.
// Every validation warning or error is counted, so a test can fail on any of them.
#pragma once

#include "vk_api.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parlo::vk {

// On when PARLO_VULKAN_VALIDATION=1 in the environment, or in builds configured with
// -DPARLO_VULKAN_VALIDATION=ON (the dev preset); PARLO_VULKAN_VALIDATION=0 turns it off.
bool validationRequestedByDefault();

class Instance
{
public:
    static Result<std::unique_ptr<Instance>> create(bool validation = validationRequestedByDefault());
    ~Instance();
    Instance(const Instance &) = delete;
    Instance &operator=(const Instance &) = delete;

    const Api &api() const { return m_api; }
    VkInstance handle() const { return m_instance; }
    uint32_t apiVersion() const { return m_apiVersion; }
    Result<std::vector<VkPhysicalDevice>> physicalDevices() const;

    bool validationEnabled() const { return m_messenger != VK_NULL_HANDLE; }
    // Warnings and errors reported by the validation layers since creation.
    size_t validationMessageCount() const { return m_messageCount.load(); }
    std::vector<std::string> validationMessages() const;

private:
    Instance() = default;
    static VKAPI_ATTR VkBool32 VKAPI_CALL onDebugMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                         VkDebugUtilsMessageTypeFlagsEXT types,
                                                         const VkDebugUtilsMessengerCallbackDataEXT *data,
                                                         void *self);

    Api m_api;
    VkInstance m_instance = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT m_messenger = VK_NULL_HANDLE;
    uint32_t m_apiVersion = VK_API_VERSION_1_1;
    std::atomic<size_t> m_messageCount{0};
    mutable std::mutex m_messagesMutex;
    std::vector<std::string> m_messages;
};

} // namespace parlo::vk
