// Memory bandwidths that bench compares decode against: the machine's measured copy bandwidth
// for the CPU, and the published peak of known GPUs.
#pragma once

#include <optional>
#include <string_view>

namespace parlo::cli {

// Copy bandwidth with `threads` threads over 256 MiB buffers, best of 5, counted as STREAM
// does: bytes read plus bytes written per second, in GB/s.
double measureCopyBandwidth(unsigned threads);

// Published peak memory bandwidth in GB/s of a GPU recognised by its Vulkan device name.
std::optional<double> knownGpuBandwidth(std::string_view deviceName);

} // namespace parlo::cli
