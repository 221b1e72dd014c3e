#include "parlo/devices.h"

#include <cstdio>

namespace parlo {
namespace {

std::string gib(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1ull << 30));
    return text;
}

std::string mib(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.0f MiB", double(bytes) / double(1ull << 20));
    return text;
}

const char *yesNo(bool value) { return value ? "yes" : "no"; }

} // namespace

bool VulkanDeviceInfo::hasSubgroupArithmetic() const
{
    if (!subgroupsInCompute)
        return false;
    for (const auto &op : subgroupOperations) {
        if (op == "arithmetic")
            return true;
    }
    return false;
}

uint64_t VulkanDeviceInfo::deviceLocalBytes() const
{
    uint64_t total = 0;
    for (const auto &heap : heaps) {
        if (heap.deviceLocal)
            total += heap.size;
    }
    return total;
}

uint64_t VulkanDeviceInfo::deviceLocalBudget() const
{
    uint64_t total = 0;
    for (const auto &heap : heaps) {
        if (heap.deviceLocal)
            total += heap.budget > heap.usage ? heap.budget - heap.usage : 0;
    }
    return total;
}

std::string formatDeviceReport(const VulkanDeviceInfo &d)
{
    std::string ops;
    for (const auto &op : d.subgroupOperations)
        ops += (ops.empty() ? "" : " ") + op;
    std::string out;
    out += "vulkan:" + std::to_string(d.index) + "  " + d.name + "\n";
    out += "  type:                 " + std::string(deviceKindName(d.kind)) + "\n";
    out += "  Vulkan:               " + d.apiVersion + "\n";
    out += "  driver:               " + d.driverName + (d.driverInfo.empty() ? "" : " — " + d.driverInfo) + "\n";
    char ids[64];
    std::snprintf(ids, sizeof ids, "%04x:%04x", d.vendorId, d.deviceId);
    out += "  vendor:device:        " + std::string(ids) + "\n";
    out += "  subgroup size:        " + std::to_string(d.subgroupSize) +
           (d.subgroupsInCompute ? "" : " (not in compute shaders)") + "\n";
    out += "  subgroup operations:  " + (ops.empty() ? std::string("none") : ops) + "\n";
    out += "  fp16 arithmetic:      " + std::string(yesNo(d.shaderFloat16)) + "\n";
    out += "  int8 arithmetic:      " + std::string(yesNo(d.shaderInt8)) + "\n";
    out += "  8/16-bit storage:     " + std::string(yesNo(d.storage8Bit)) + " / " + yesNo(d.storage16Bit) + "\n";
    out += "  shared memory:        " + std::to_string(d.maxSharedMemoryBytes / 1024) + " KiB\n";
    out += "  max workgroup:        " + std::to_string(d.maxWorkgroupInvocations) + " invocations, " +
           std::to_string(d.maxWorkgroupSize[0]) + "×" + std::to_string(d.maxWorkgroupSize[1]) + "×" +
           std::to_string(d.maxWorkgroupSize[2]) + "\n";
    out += "  maxStorageBufferRange: " + mib(d.maxStorageBufferRange) + "\n";
    out += "  cooperative matrix:   " +
           std::string(d.cooperativeMatrixKhr ? "KHR" : (d.cooperativeMatrixNv ? "NV only" : "no")) + "\n";
    out += "  compute queue family: " + (d.hasComputeQueue ? std::to_string(d.computeQueueFamily) : "none") + "\n";
    for (size_t i = 0; i < d.heaps.size(); ++i) {
        const auto &h = d.heaps[i];
        out += "  memory heap " + std::to_string(i) + ":        " + gib(h.size) +
               (h.deviceLocal ? " device-local" : " host") +
               (d.memoryBudgetExtension ? ", budget " + gib(h.budget) + ", in use " + gib(h.usage) : "") + "\n";
    }
    if (!d.memoryBudgetExtension)
        out += "  memory budget:        VK_EXT_memory_budget absent; heap sizes are the only limit known\n";
    return out;
}

} // namespace parlo
