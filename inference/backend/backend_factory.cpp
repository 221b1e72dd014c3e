#include "backend_factory.h"

#include "cpu/cpu_backend.h"
#include "vulkan/vk_backend.h"

namespace parlo {

Result<BackendSelection> createBackend(const DeviceRequest &request, unsigned cpuThreads, const DeviceVeto &veto)
{
    const DeviceInventory inventory = request.kind == DeviceRequest::Kind::Cpu ? DeviceInventory{}
                                                                               : enumerateVulkanDevices();
    auto choice = chooseDevice(inventory, request, veto);
    if (!choice)
        return choice.error();
    BackendSelection selection;
    if (choice->backend == BackendKind::Vulkan && choice->vulkanIndex) {
        auto vulkan = vk::VulkanBackend::create(*choice->vulkanIndex);
        if (vulkan) {
            selection.backend = std::move(vulkan.value());
            selection.reason = choice->reason;
            return selection;
        }
        if (request.kind == DeviceRequest::Kind::Vulkan)
            return vulkan.error().withContext("opening vulkan:" + std::to_string(*choice->vulkanIndex));
        selection.reason = "running on the CPU because the Vulkan device could not be opened: " + vulkan.error().message;
    } else {
        selection.reason = choice->reason;
    }
    selection.backend = std::make_unique<cpu::CpuBackend>(cpuThreads);
    return selection;
}

} // namespace parlo
