// Creating the backend the user asked for. Never falls back silently: the reason for the
// choice (and for any fallback) is returned with the backend, to be shown to the user.
#pragma once

#include "backend.h"
#include "parlo/devices.h"

#include <memory>
#include <string>

namespace parlo {

struct BackendSelection
{
    std::unique_ptr<Backend> backend;
    std::string reason; // "NVIDIA ... was requested", "running on the CPU because ..."
};

// `request` as parsed from --device / PARLO_DEVICE. An explicit "vulkan[:N]" that cannot be
// opened is an error; "auto" falls back to the CPU with the reason; "cpu" is the CPU.
// `veto` as for chooseDevice().
Result<BackendSelection> createBackend(const DeviceRequest &request, unsigned cpuThreads, const DeviceVeto &veto = {});

} // namespace parlo
