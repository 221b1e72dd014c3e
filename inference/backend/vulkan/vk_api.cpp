#include "vk_api.h"

#include <dlfcn.h>

#include <mutex>

namespace parlo::vk {
namespace {

struct Loader
{
    void *handle = nullptr;
    std::string error;
};

const Loader &loader()
{
    static Loader instance = [] {
        Loader l;
        // libvulkan.so.1 is the loader's ABI name; the unversioned .so exists only with -dev.
        for (const char *name : {"libvulkan.so.1", "libvulkan.so"}) {
            l.handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
            if (l.handle)
                break;
        }
        if (!l.handle) {
            const char *why = dlerror();
            l.error = std::string("the Vulkan loader (libvulkan.so.1) is not installed") +
                      (why ? std::string(" (") + why + ")" : std::string());
        }
        return l;
    }();
    return instance;
}

} // namespace

Result<Api> loadGlobalApi()
{
    const Loader &l = loader();
    if (!l.handle)
        return makeError(l.error);
    Api api;
    api.vkGetInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(l.handle, "vkGetInstanceProcAddr"));
    if (!api.vkGetInstanceProcAddr)
        return makeError("the Vulkan loader has no vkGetInstanceProcAddr");
#define PARLO_VK_LOAD_GLOBAL(name)                                                                  \
    api.name = reinterpret_cast<PFN_##name>(api.vkGetInstanceProcAddr(VK_NULL_HANDLE, #name));
    PARLO_VK_GLOBAL_FUNCTIONS(PARLO_VK_LOAD_GLOBAL)
#undef PARLO_VK_LOAD_GLOBAL
    if (!api.vkCreateInstance || !api.vkEnumerateInstanceExtensionProperties)
        return makeError("the Vulkan loader lacks vkCreateInstance");
    return api;
}

Result<void> loadInstanceApi(Api &api, VkInstance instance, bool debugUtils)
{
#define PARLO_VK_LOAD_INSTANCE(name)                                                                \
    api.name = reinterpret_cast<PFN_##name>(api.vkGetInstanceProcAddr(instance, #name));            \
    if (!api.name)                                                                                  \
        return makeError("the Vulkan driver does not provide " #name " (Vulkan 1.1 or newer is needed)");
    PARLO_VK_INSTANCE_FUNCTIONS(PARLO_VK_LOAD_INSTANCE)
#undef PARLO_VK_LOAD_INSTANCE
    if (debugUtils) {
#define PARLO_VK_LOAD_OPTIONAL(name)                                                                \
    api.name = reinterpret_cast<PFN_##name>(api.vkGetInstanceProcAddr(instance, #name));
        PARLO_VK_DEBUG_FUNCTIONS(PARLO_VK_LOAD_OPTIONAL)
#undef PARLO_VK_LOAD_OPTIONAL
    }
    return {};
}

std::string resultName(VkResult result)
{
    switch (result) {
#define PARLO_VK_CASE(r) case r: return #r;
        PARLO_VK_CASE(VK_SUCCESS)
        PARLO_VK_CASE(VK_NOT_READY)
        PARLO_VK_CASE(VK_TIMEOUT)
        PARLO_VK_CASE(VK_INCOMPLETE)
        PARLO_VK_CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
        PARLO_VK_CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        PARLO_VK_CASE(VK_ERROR_INITIALIZATION_FAILED)
        PARLO_VK_CASE(VK_ERROR_DEVICE_LOST)
        PARLO_VK_CASE(VK_ERROR_MEMORY_MAP_FAILED)
        PARLO_VK_CASE(VK_ERROR_LAYER_NOT_PRESENT)
        PARLO_VK_CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
        PARLO_VK_CASE(VK_ERROR_FEATURE_NOT_PRESENT)
        PARLO_VK_CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
        PARLO_VK_CASE(VK_ERROR_TOO_MANY_OBJECTS)
        PARLO_VK_CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
        PARLO_VK_CASE(VK_ERROR_FRAGMENTED_POOL)
        PARLO_VK_CASE(VK_ERROR_UNKNOWN)
        PARLO_VK_CASE(VK_ERROR_OUT_OF_POOL_MEMORY)
        PARLO_VK_CASE(VK_ERROR_INVALID_EXTERNAL_HANDLE)
        PARLO_VK_CASE(VK_ERROR_FRAGMENTATION)
        PARLO_VK_CASE(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
        PARLO_VK_CASE(VK_PIPELINE_COMPILE_REQUIRED)
#undef PARLO_VK_CASE
    default: return "VkResult(" + std::to_string(int(result)) + ")";
    }
}

Error vulkanError(const char *call, VkResult result)
{
    return Error{std::string(call) + " failed: " + resultName(result)};
}

} // namespace parlo::vk
