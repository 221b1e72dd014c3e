// Device choice: pure logic over an inventory, so it is testable without any GPU.
#include "parlo/devices.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace parlo {
namespace {

int rank(DeviceKind kind)
{
    switch (kind) {
    case DeviceKind::Discrete: return 4;
    case DeviceKind::Integrated: return 3;
    case DeviceKind::Virtual: return 2;
    case DeviceKind::Cpu: return 1;
    case DeviceKind::Other: return 0;
    }
    return 0;
}

std::string describe(const VulkanDeviceInfo &d)
{
    return "vulkan:" + std::to_string(d.index) + " " + d.name + " (" + std::string(deviceKindName(d.kind)) + ")";
}

// Devices with a compute queue, most preferred first. Ties keep the enumeration order, as
// drivers list the primary GPU first.
std::vector<const VulkanDeviceInfo *> rankedDevices(const DeviceInventory &inventory)
{
    std::vector<const VulkanDeviceInfo *> ranked;
    for (const auto &d : inventory.devices) {
        if (d.hasComputeQueue)
            ranked.push_back(&d);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](auto *a, auto *b) { return rank(a->kind) > rank(b->kind); });
    return ranked;
}

const VulkanDeviceInfo *bestDevice(const DeviceInventory &inventory)
{
    const auto ranked = rankedDevices(inventory);
    return ranked.empty() ? nullptr : ranked.front();
}

} // namespace

std::string_view deviceKindName(DeviceKind kind)
{
    switch (kind) {
    case DeviceKind::Discrete: return "discrete GPU";
    case DeviceKind::Integrated: return "integrated GPU";
    case DeviceKind::Virtual: return "virtual GPU";
    case DeviceKind::Cpu: return "CPU, software Vulkan";
    case DeviceKind::Other: return "other";
    }
    return "other";
}

Result<DeviceRequest> parseDeviceRequest(std::string_view text)
{
    DeviceRequest request;
    if (text.empty() || text == "auto")
        return request;
    if (text == "cpu") {
        request.kind = DeviceRequest::Kind::Cpu;
        return request;
    }
    if (text == "vulkan" || text == "gpu") {
        request.kind = DeviceRequest::Kind::Vulkan;
        return request;
    }
    if (text.starts_with("vulkan:")) {
        const std::string_view number = text.substr(7);
        uint32_t index = 0;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), index);
        if (ec == std::errc() && end == number.data() + number.size() && !number.empty()) {
            request.kind = DeviceRequest::Kind::Vulkan;
            request.vulkanIndex = index;
            return request;
        }
    }
    return makeError("unknown device \"" + std::string(text) + "\": use auto, cpu, vulkan or vulkan:N");
}

Result<DeviceRequest> deviceRequestFrom(std::optional<std::string_view> commandLine)
{
    if (commandLine)
        return parseDeviceRequest(*commandLine);
    if (const char *env = std::getenv("PARLO_DEVICE"); env && *env) {
        auto parsed = parseDeviceRequest(env);
        if (!parsed)
            return parsed.error().withContext("PARLO_DEVICE");
        return parsed;
    }
    return DeviceRequest{};
}

Result<DeviceChoice> chooseDevice(const DeviceInventory &inventory, const DeviceRequest &request, const DeviceVeto &veto)
{
    DeviceChoice choice;
    switch (request.kind) {
    case DeviceRequest::Kind::Cpu:
        choice.reason = "the CPU backend was requested";
        return choice;

    case DeviceRequest::Kind::Vulkan: {
        if (!inventory.vulkanAvailable)
            return makeError("Vulkan was requested but is not available: " + inventory.unavailableReason);
        const VulkanDeviceInfo *device = nullptr;
        if (request.vulkanIndex) {
            if (*request.vulkanIndex >= inventory.devices.size())
                return makeError("vulkan:" + std::to_string(*request.vulkanIndex) + " does not exist; there are " +
                                 std::to_string(inventory.devices.size()) + " Vulkan device(s), see `parlo-cli devices`");
            device = &inventory.devices[*request.vulkanIndex];
            if (!device->hasComputeQueue)
                return makeError(describe(*device) + " has no compute queue");
            choice.reason = describe(*device) + " was requested";
        } else {
            device = bestDevice(inventory);
            if (!device)
                return makeError("Vulkan was requested but no device has a compute queue");
            choice.reason = describe(*device) + " is the best Vulkan device (discrete > integrated > virtual > CPU)";
        }
        choice.backend = BackendKind::Vulkan;
        choice.vulkanIndex = device->index;
        return choice;
    }

    case DeviceRequest::Kind::Auto: break;
    }

    if (!inventory.vulkanAvailable) {
        choice.reason = "running on the CPU because Vulkan is not available: " + inventory.unavailableReason;
        return choice;
    }
    const VulkanDeviceInfo *device = bestDevice(inventory);
    if (!device) {
        choice.reason = "running on the CPU because no Vulkan device has a compute queue";
        return choice;
    }
    // Devices in order of preference; a vetoed one gives way to the next, and the CPU comes
    // before any software rasteriser.
    std::string refused;
    if (veto && device->kind != DeviceKind::Cpu) {
        device = nullptr;
        for (const VulkanDeviceInfo *d : rankedDevices(inventory)) {
            if (d->kind == DeviceKind::Cpu)
                continue;
            if (const auto why = veto(*d)) {
                refused += (refused.empty() ? "" : "; ") + describe(*d) + " is refused: " + *why;
                continue;
            }
            device = d;
            break;
        }
        if (!device) {
            choice.reason = "running on the CPU because " + refused;
            return choice;
        }
    }
    if (device->kind == DeviceKind::Cpu) {
        // A software rasteriser (lavapipe, SwiftShader) runs shaders many times slower than
        // Parlo's own CPU backend on the same cores; using it would only look like GPU support.
        choice.reason = "running on the CPU because the only Vulkan device, " + describe(*device) +
                        ", is a software implementation that is slower than Parlo's CPU backend "
                        "(use --device vulkan:" + std::to_string(device->index) + " to use it anyway)";
        return choice;
    }
    choice.backend = BackendKind::Vulkan;
    choice.vulkanIndex = device->index;
    choice.reason = describe(*device) + " is the best Vulkan device (discrete > integrated > virtual > CPU)";
    if (!refused.empty())
        choice.reason = describe(*device) + " is the best Vulkan device that passed its self-test (" + refused + ")";
    return choice;
}

} // namespace parlo
