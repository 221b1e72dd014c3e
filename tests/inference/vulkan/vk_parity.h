// Running one op on the CPU backend (the reference) and the Vulkan backend side by side.
// Every tensor is allocated with guard elements on both sides of its view; the guards are
// filled with a pattern that the op must leave alone.
#pragma once

#include "backend/cpu/cpu_backend.h"
#include "backend/vulkan/vk_backend.h"

#include <QString>

#include <cstddef>
#include <memory>
#include <vector>

namespace parlo::test {

constexpr uint32_t k_guardElements = 37; // odd, so views start at unaligned offsets

// A tensor living in both backends: `cpu` and `gpu` are views [ne1, ne0] inside larger buffers.
struct TwinTensor
{
    std::unique_ptr<BackendBuffer> cpuBuffer, gpuBuffer;
    BufferView cpu, gpu;
};

class ParityHarness
{
public:
    // Creates the Vulkan backend on a validation-enabled context; `reason` says why not.
    bool init(QString &reason, bool &failed);
    cpu::CpuBackend &cpu() { return m_cpu; }
    vk::VulkanBackend &gpu() { return *m_gpu; }

    // F32/I32: `values` (floats, or ids as floats) written into both; F16 buffers start zeroed.
    TwinTensor tensor(TensorType type, uint32_t ne0, uint32_t ne1, const std::vector<float> &values = {});
    TwinTensor ids(uint32_t ne0, uint32_t ne1, const std::vector<int32_t> &values);
    std::vector<float> readCpu(const TwinTensor &t);
    std::vector<float> readGpu(const TwinTensor &t);
    // False, with a message, when the Vulkan side wrote outside the view or failed.
    bool guardsIntact(const TwinTensor &t, QString &problem);
    bool gpuOk(QString &problem);
    bool validationClean(QString &problem);

private:
    cpu::CpuBackend m_cpu{2};
    std::unique_ptr<vk::VulkanBackend> m_gpu;
};

std::vector<float> randomFloats(size_t n, uint32_t seed, float scale = 1.0f);

// Bytes of rows x cols of `type` as a GGUF file holds them: random quants with small,
// finite F16 scales (random bytes there would give Inf/NaN), or encoded random floats.
std::vector<std::byte> randomWeightBytes(TensorType type, uint64_t rows, uint64_t cols, uint32_t seed);
WeightView weightView(TensorType type, const std::vector<std::byte> &bytes, uint64_t rows, uint64_t cols);

} // namespace parlo::test

// QVERIFY for a harness check that reports its message.
#define PARLO_VERIFY_MSG(call)                                                                      \
    do {                                                                                            \
        QString problem_;                                                                           \
        QVERIFY2((call), qPrintable(problem_));                                                     \
    } while (0)
