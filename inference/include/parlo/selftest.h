// The per-device self-test: before a GPU's output reaches a user, a tiny model built in memory
// from a fixed seed (no test data ships) runs on that device in each weight type the user's
// model uses, and its logits are compared with the CPU backend's. Vulkan output bugs are
// specific to a driver and a quantization, so a result is only valid for that device, driver
// and type; the app records it and `auto` refuses a device whose test failed.
#pragma once

#include "parlo/devices.h"
#include "parlo/result.h"
#include "parlo/tensor_type.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parlo {

namespace gguf {
class File;
}

// What a self-test result is valid for.
struct SelfTestDevice
{
    uint32_t vulkanIndex = 0;
    std::string name;   // "AMD Radeon 780M"
    std::string key;    // the device itself: "vulkan 1002:15bf AMD Radeon 780M"
    std::string driver; // its driver and version: "radv, Mesa 24.2.8, Vulkan 1.3.289"; a change means testing again
};
SelfTestDevice selfTestDeviceOf(const VulkanDeviceInfo &info);

struct SelfTestCase
{
    enum class Outcome { Passed, Failed, NotTested };
    TensorType type = TensorType::F32;
    Outcome outcome = Outcome::NotTested;
    double nmse = 0;      // normalised mean squared error of the device's logits against the CPU's
    double tolerance = 0; // what passes for this type
    std::string detail;   // one sentence a user can read
};
std::string_view selfTestOutcomeName(SelfTestCase::Outcome outcome); // "passed", "failed", "not tested"

struct SelfTestOptions
{
    uint32_t vulkanIndex = 0;
    std::vector<TensorType> types; // empty: defaultSelfTestTypes()
    // For testing the self-test itself: added (times a fixed pattern) to every logit the
    // device returns, to show what a broken driver does. The app never sets it.
    float perturbDeviceLogits = 0.0f;
};

struct SelfTestReport
{
    SelfTestDevice device;
    std::vector<SelfTestCase> cases;
    bool passed() const; // no case failed
};

// Runs the test on vulkan:<index>. Fails only when the device cannot be opened at all; a
// device that computes wrong answers gives a report with failed cases.
Result<SelfTestReport> runDeviceSelfTest(const SelfTestOptions &options);

// The types worth testing for a model: those of its weight matrices (norms and other 1-D
// tensors stay F32 on every path).
std::vector<TensorType> selfTestTypesOf(const gguf::File &file);
// "Q4_K" (any case) as a type, for options that name types.
std::optional<TensorType> selfTestTypeByName(std::string_view name);
// F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K: what Parlo can build a model in.
std::vector<TensorType> defaultSelfTestTypes();

} // namespace parlo
