// Which compute devices exist, what they can do, and which one Parlo runs on, and why.
#pragma once

#include "parlo/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parlo {

// Vulkan's VkPhysicalDeviceType, ranked for choice: discrete > integrated > virtual > CPU.
enum class DeviceKind { Discrete, Integrated, Virtual, Cpu, Other };
std::string_view deviceKindName(DeviceKind kind);

struct MemoryHeapInfo
{
    uint64_t size = 0;
    uint64_t budget = 0; // VK_EXT_memory_budget; equals size when the extension is absent
    uint64_t usage = 0;
    bool deviceLocal = false;
};

struct VulkanDeviceInfo
{
    uint32_t index = 0; // position in vkEnumeratePhysicalDevices
    std::string name;
    DeviceKind kind = DeviceKind::Other;
    uint32_t vendorId = 0;
    uint32_t deviceId = 0;
    std::string apiVersion;    // "1.3.230"
    std::string driverName;    // "llvmpipe", "NVIDIA" …
    std::string driverInfo;    // "Mesa 22.3.6 (LLVM 15.0.6)"
    uint32_t subgroupSize = 0;
    std::vector<std::string> subgroupOperations; // "basic", "arithmetic", "shuffle" …
    bool subgroupsInCompute = false;
    bool shaderFloat16 = false;
    bool shaderInt8 = false;
    bool storage8Bit = false;
    bool storage16Bit = false;
    uint32_t maxSharedMemoryBytes = 0;
    uint32_t maxWorkgroupInvocations = 0;
    uint32_t maxWorkgroupSize[3] = {0, 0, 0};
    uint64_t maxStorageBufferRange = 0;
    bool cooperativeMatrixKhr = false;
    bool cooperativeMatrixNv = false;
    bool memoryBudgetExtension = false;
    std::vector<MemoryHeapInfo> heaps;
    uint32_t computeQueueFamily = 0;
    bool hasComputeQueue = false;

    bool hasSubgroupArithmetic() const;
    uint64_t deviceLocalBytes() const;  // total of device-local heaps
    uint64_t deviceLocalBudget() const; // what the driver says we may still use
};

struct DeviceInventory
{
    bool vulkanAvailable = false;
    std::string unavailableReason; // set when vulkanAvailable is false, e.g. no loader
    std::vector<VulkanDeviceInfo> devices;
};

// Enumerates Vulkan devices. Never fails: problems are recorded in unavailableReason.
DeviceInventory enumerateVulkanDevices();

// What the user asked for: "auto" (default), "cpu", "vulkan" (best Vulkan device) or "vulkan:N".
struct DeviceRequest
{
    enum class Kind { Auto, Cpu, Vulkan };
    Kind kind = Kind::Auto;
    std::optional<uint32_t> vulkanIndex;
};
Result<DeviceRequest> parseDeviceRequest(std::string_view text);

enum class BackendKind { Cpu, Vulkan };

struct DeviceChoice
{
    BackendKind backend = BackendKind::Cpu;
    std::optional<uint32_t> vulkanIndex;
    std::string reason; // one sentence a user can read, always set
};

// Picks the device for `request`. Fails only on an explicit request that cannot be met
// ("vulkan:3" with two devices); "auto" always succeeds, falling back to the CPU with a reason.
// `veto`, when set, is asked before `auto` settles on a Vulkan device: a reason refuses that
// device (its self-test failed for the model's types) and the next one, or the CPU, is chosen,
// saying why. Explicit requests are honoured as given.
using DeviceVeto = std::function<std::optional<std::string>(const VulkanDeviceInfo &device)>;
Result<DeviceChoice> chooseDevice(const DeviceInventory &inventory, const DeviceRequest &request, const DeviceVeto &veto = {});

// The request from the environment (PARLO_DEVICE) unless `commandLine` is given.
Result<DeviceRequest> deviceRequestFrom(std::optional<std::string_view> commandLine);

// Human-readable capability report of one device, several lines.
std::string formatDeviceReport(const VulkanDeviceInfo &device);

} // namespace parlo
