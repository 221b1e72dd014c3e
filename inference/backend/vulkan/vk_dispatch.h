// Small helpers shared by the op files of the Vulkan backend.
#pragma once

#include "parlo/tensor_type.h"
#include "vk_context.h"

#include <algorithm>
#include <cctype>
#include <span>
#include <string>
#include <utility>

namespace parlo::vk {

constexpr uint32_t k_maxGroups = 65535; // the minimum maxComputeWorkGroupCount Vulkan guarantees

// "q4_k": the weight-type part of a shader variant name.
inline std::string typeSuffix(TensorType type)
{
    std::string name = tensorTypeName(uint32_t(type));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return name;
}

template<typename T>
std::span<const std::byte> bytesOf(const T &value)
{
    return std::as_bytes(std::span(&value, 1));
}

// Workgroups beyond 65535 continue along y; the shaders rebuild the index from both.
inline std::pair<uint32_t, uint32_t> splitGroups(uint32_t groups)
{
    const uint32_t x = std::min(std::max(groups, 1u), k_maxGroups);
    return {x, (groups + x - 1) / x};
}

inline uint32_t ceilDiv(uint64_t n, uint32_t d) { return uint32_t((n + d - 1) / d); }

} // namespace parlo::vk
