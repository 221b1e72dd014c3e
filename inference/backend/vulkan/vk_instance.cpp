#include "vk_instance.h"

#include "parlo/log.h"

#include <cstdlib>
#include <cstring>

namespace parlo::vk {
namespace {

constexpr const char *k_validationLayer = "VK_LAYER_KHRONOS_validation";

bool hasLayer(const Api &api, const char *name)
{
    uint32_t count = 0;
    if (api.vkEnumerateInstanceLayerProperties(&count, nullptr) != VK_SUCCESS)
        return false;
    std::vector<VkLayerProperties> layers(count);
    if (api.vkEnumerateInstanceLayerProperties(&count, layers.data()) != VK_SUCCESS)
        return false;
    for (const auto &layer : layers) {
        if (std::strcmp(layer.layerName, name) == 0)
            return true;
    }
    return false;
}

bool hasInstanceExtension(const Api &api, const char *name)
{
    uint32_t count = 0;
    if (api.vkEnumerateInstanceExtensionProperties(nullptr, &count, nullptr) != VK_SUCCESS)
        return false;
    std::vector<VkExtensionProperties> extensions(count);
    if (api.vkEnumerateInstanceExtensionProperties(nullptr, &count, extensions.data()) != VK_SUCCESS)
        return false;
    for (const auto &extension : extensions) {
        if (std::strcmp(extension.extensionName, name) == 0)
            return true;
    }
    return false;
}

} // namespace

bool validationRequestedByDefault()
{
    if (const char *env = std::getenv("PARLO_VULKAN_VALIDATION"); env && *env)
        return std::strcmp(env, "0") != 0;
#ifdef PARLO_VULKAN_VALIDATION_DEFAULT
    return true;
#else
    return false;
#endif
}

Result<std::unique_ptr<Instance>> Instance::create(bool validation)
{
    auto global = loadGlobalApi();
    if (!global)
        return global.error();

    std::unique_ptr<Instance> self(new Instance);
    self->m_api = global.value();
    Api &api = self->m_api;

    uint32_t loaderVersion = VK_API_VERSION_1_0;
    if (api.vkEnumerateInstanceVersion)
        api.vkEnumerateInstanceVersion(&loaderVersion);
    if (loaderVersion < VK_API_VERSION_1_1)
        return makeError("the Vulkan loader supports only Vulkan 1.0; Parlo needs 1.1 or newer");
    self->m_apiVersion = loaderVersion >= VK_API_VERSION_1_3 ? VK_API_VERSION_1_3 : loaderVersion;

    std::vector<const char *> layers;
    std::vector<const char *> extensions;
    bool debugUtils = false;
    if (validation) {
        if (hasLayer(api, k_validationLayer) && hasInstanceExtension(api, VK_EXT_DEBUG_UTILS_EXTENSION_NAME)) {
            layers.push_back(k_validationLayer);
            extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
            debugUtils = true;
        } else {
            log(LogLevel::Warning, "vulkan",
                "validation was requested but VK_LAYER_KHRONOS_validation is not installed "
                "(Debian: vulkan-validationlayers)");
        }
    }

    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "Parlo";
    app.applicationVersion = VK_MAKE_VERSION(0, 1, 0);
    app.pEngineName = "parlo";
    app.apiVersion = self->m_apiVersion;

    VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.pApplicationInfo = &app;
    info.enabledLayerCount = uint32_t(layers.size());
    info.ppEnabledLayerNames = layers.data();
    info.enabledExtensionCount = uint32_t(extensions.size());
    info.ppEnabledExtensionNames = extensions.data();
    const VkResult created = api.vkCreateInstance(&info, nullptr, &self->m_instance);
    if (created == VK_ERROR_INCOMPATIBLE_DRIVER)
        return makeError("no Vulkan driver could be loaded (vkCreateInstance: VK_ERROR_INCOMPATIBLE_DRIVER); "
                         "install your GPU's Vulkan driver, or mesa-vulkan-drivers");
    if (created != VK_SUCCESS)
        return vulkanError("vkCreateInstance", created);

    PARLO_TRY(loadInstanceApi(api, self->m_instance, debugUtils));

    if (debugUtils && api.vkCreateDebugUtilsMessengerEXT) {
        VkDebugUtilsMessengerCreateInfoEXT messenger{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
        messenger.messageSeverity =
            VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
        messenger.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
        messenger.pfnUserCallback = &Instance::onDebugMessage;
        messenger.pUserData = self.get();
        PARLO_VK_CHECK("vkCreateDebugUtilsMessengerEXT",
                       api.vkCreateDebugUtilsMessengerEXT(self->m_instance, &messenger, nullptr, &self->m_messenger));
    }
    return self;
}

Instance::~Instance()
{
    if (m_messenger != VK_NULL_HANDLE && m_api.vkDestroyDebugUtilsMessengerEXT)
        m_api.vkDestroyDebugUtilsMessengerEXT(m_instance, m_messenger, nullptr);
    if (m_instance != VK_NULL_HANDLE)
        m_api.vkDestroyInstance(m_instance, nullptr);
}

Result<std::vector<VkPhysicalDevice>> Instance::physicalDevices() const
{
    uint32_t count = 0;
    PARLO_VK_CHECK("vkEnumeratePhysicalDevices", m_api.vkEnumeratePhysicalDevices(m_instance, &count, nullptr));
    std::vector<VkPhysicalDevice> devices(count);
    PARLO_VK_CHECK("vkEnumeratePhysicalDevices",
                   m_api.vkEnumeratePhysicalDevices(m_instance, &count, devices.data()));
    devices.resize(count);
    return devices;
}

std::vector<std::string> Instance::validationMessages() const
{
    std::lock_guard lock(m_messagesMutex);
    return m_messages;
}

VKAPI_ATTR VkBool32 VKAPI_CALL Instance::onDebugMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                       VkDebugUtilsMessageTypeFlagsEXT,
                                                       const VkDebugUtilsMessengerCallbackDataEXT *data,
                                                       void *userData)
{
    auto *self = static_cast<Instance *>(userData);
    const std::string text = data && data->pMessage ? data->pMessage : "(no message)";
    self->m_messageCount.fetch_add(1);
    {
        std::lock_guard lock(self->m_messagesMutex);
        if (self->m_messages.size() < 64)
            self->m_messages.push_back(text);
    }
    log(severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT ? LogLevel::Error : LogLevel::Warning,
        "vulkan.validation", text);
    return VK_FALSE; // never abort the call that triggered the message
}

} // namespace parlo::vk
