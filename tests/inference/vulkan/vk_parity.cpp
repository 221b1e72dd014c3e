#include "vk_parity.h"

#include "backend/cpu/cpu_simd.h"
#include "vulkan_fixture.h"

#include <cstring>
#include <random>

namespace parlo::test {
namespace {

constexpr float k_guardValue = -77777.0f;

void putHalf(std::byte *at, float f)
{
    const uint16_t h = cpu::floatToHalf(f);
    std::memcpy(at, &h, 2);
}

} // namespace

bool ParityHarness::init(QString &reason, bool &failed)
{
    // The Vulkan shaders keep float activations; compare them with the exact CPU result.
    m_cpu.setIntegerDecode(false);
    auto context = createTestVulkanContext(reason, failed);
    if (!context)
        return false;
    auto backend = vk::VulkanBackend::create(std::move(context));
    if (!backend) {
        failed = true;
        reason = QString::fromStdString(backend.error().message);
        return false;
    }
    m_gpu = std::move(backend.value());
    return true;
}

TwinTensor ParityHarness::tensor(TensorType type, uint32_t ne0, uint32_t ne1, const std::vector<float> &values)
{
    const size_t count = size_t(ne0) * ne1 + 2 * k_guardElements;
    TwinTensor t;
    t.cpuBuffer = std::move(m_cpu.createBuffer(type, count).value());
    t.gpuBuffer = std::move(m_gpu->createBuffer(type, count).value());
    t.cpu = BufferView{t.cpuBuffer.get(), k_guardElements, ne0, ne1};
    t.gpu = BufferView{t.gpuBuffer.get(), k_guardElements, ne0, ne1};
    if (type != TensorType::F16) {
        std::vector<float> all(count, k_guardValue);
        std::fill(all.begin() + k_guardElements, all.end() - k_guardElements, 0.0f);
        std::copy(values.begin(), values.end(), all.begin() + k_guardElements);
        m_cpu.write(BufferView{t.cpuBuffer.get(), 0, uint32_t(count), 1}, all);
        m_gpu->write(BufferView{t.gpuBuffer.get(), 0, uint32_t(count), 1}, all);
    }
    return t;
}

TwinTensor ParityHarness::ids(uint32_t ne0, uint32_t ne1, const std::vector<int32_t> &values)
{
    TwinTensor t = tensor(TensorType::I32, ne0, ne1);
    m_cpu.writeIds(t.cpu, values);
    m_gpu->writeIds(t.gpu, values);
    return t;
}

std::vector<float> ParityHarness::readCpu(const TwinTensor &t)
{
    std::vector<float> out(t.cpu.elements());
    if (t.cpuBuffer->type() == TensorType::F16) {
        // The CPU backend's read() copies raw elements; decode the halves here.
        std::vector<uint16_t> halves(out.size());
        auto *base = static_cast<cpu::CpuBuffer *>(t.cpuBuffer.get());
        std::memcpy(halves.data(), static_cast<const uint16_t *>(base->data()) + t.cpu.offset, halves.size() * 2);
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = cpu::halfToFloat(halves[i]);
        return out;
    }
    m_cpu.read(t.cpu, out);
    return out;
}

std::vector<float> ParityHarness::readGpu(const TwinTensor &t)
{
    std::vector<float> out(t.gpu.elements());
    m_gpu->read(t.gpu, out);
    return out;
}

bool ParityHarness::guardsIntact(const TwinTensor &t, QString &problem)
{
    const size_t count = t.gpuBuffer->count();
    std::vector<float> all(count);
    m_gpu->read(BufferView{t.gpuBuffer.get(), 0, uint32_t(count), 1}, all);
    if (t.gpuBuffer->type() == TensorType::F16)
        return gpuOk(problem); // F16 buffers start zeroed; their guards are zeros
    for (size_t i = 0; i < count; ++i) {
        const bool guard = i < k_guardElements || i >= count - k_guardElements;
        if (guard && all[i] != k_guardValue) {
            problem = QStringLiteral("guard element %1 of %2 was overwritten (%3)").arg(i).arg(count).arg(all[i]);
            return false;
        }
    }
    return gpuOk(problem);
}

bool ParityHarness::gpuOk(QString &problem)
{
    auto status = m_gpu->status();
    if (!status)
        problem = QString::fromStdString(status.error().message);
    return status.ok();
}

bool ParityHarness::validationClean(QString &problem) { return test::validationClean(m_gpu->context(), problem); }

std::vector<float> randomFloats(size_t n, uint32_t seed, float scale)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.0f, scale);
    std::vector<float> v(n);
    for (auto &x : v)
        x = d(rng);
    return v;
}

std::vector<std::byte> randomWeightBytes(TensorType type, uint64_t rows, uint64_t cols, uint32_t seed)
{
    const auto info = tensorTypeInfo(type);
    const uint64_t blocks = rows * cols / info->blockSize;
    std::vector<std::byte> bytes(blocks * info->bytesPerBlock);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
    if (info->blockSize == 1) { // plain floats
        for (uint64_t i = 0; i < rows * cols; ++i) {
            const float f = unit(rng);
            if (type == TensorType::F32) {
                std::memcpy(&bytes[4 * i], &f, 4);
            } else if (type == TensorType::F16) {
                putHalf(&bytes[2 * i], f);
            } else {
                uint32_t bits;
                std::memcpy(&bits, &f, 4);
                const uint16_t h = uint16_t(bits >> 16);
                std::memcpy(&bytes[2 * i], &h, 2);
            }
        }
        return bytes;
    }
    std::uniform_int_distribution<int> byteDist(0, 255);
    for (auto &b : bytes)
        b = std::byte(byteDist(rng));
    // Offsets of each block's F16 scale fields (d, and dmin/m where the format has one).
    std::vector<uint32_t> scales;
    switch (type) {
    case TensorType::Q4_1:
    case TensorType::Q5_1:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
        scales = {0, 2};
        break;
    case TensorType::Q2_K:
        scales = {80, 82};
        break;
    case TensorType::Q3_K:
        scales = {108};
        break;
    case TensorType::Q6_K:
        scales = {208};
        break;
    default:
        scales = {0};
        break;
    }
    std::uniform_real_distribution<float> scaleDist(0.002f, 0.02f);
    for (uint64_t b = 0; b < blocks; ++b) {
        for (uint32_t off : scales)
            putHalf(&bytes[b * info->bytesPerBlock + off], scaleDist(rng));
    }
    return bytes;
}

WeightView weightView(TensorType type, const std::vector<std::byte> &bytes, uint64_t rows, uint64_t cols)
{
    const auto info = tensorTypeInfo(type);
    WeightView v;
    v.type = type;
    v.data = bytes.data();
    v.n_cols = cols;
    v.n_rows = rows;
    v.rowBytes = cols / info->blockSize * info->bytesPerBlock;
    return v;
}

} // namespace parlo::test
