// VulkanBackend: buffers, weight upload, transfers and the recording plumbing. The ops are in
// vk_backend_matmul.cpp (weight-reading ops) and vk_backend_ops.cpp (the rest).
#include "vk_backend.h"

#include "backend/cpu/cpu_simd.h"
#include "parlo/log.h"

#include <algorithm>
#include <cstring>
#include <mutex>

namespace parlo::vk {
namespace {

constexpr VkDeviceSize k_weightPadding = 16;       // unaligned 32-bit reads may touch the next word
constexpr VkDeviceSize k_stagingChunk = 1u << 20;  // write() data per staging buffer, grown on demand
constexpr size_t k_comparedWeightBytes = 64 * 1024; // implicit weights up to this are content-checked

size_t elementBytes(TensorType type) { return type == TensorType::F16 ? 2 : 4; }

std::string mib(uint64_t bytes) { return std::to_string((bytes + (1u << 19)) >> 20) + " MiB"; }

// An implicitly uploaded weight, with a copy of its bytes when small: the graph may pass
// weights the caller never prepared, and a small one's storage may be reused for new data.
struct ImplicitWeight : DeviceWeight
{
    std::vector<std::byte> contents;
};

struct PendingFault
{
    std::mutex mutex;
    std::optional<std::pair<uint32_t, VkResult>> fault;
};
PendingFault &pendingFault()
{
    static PendingFault instance;
    return instance;
}

} // namespace

void injectFaultInNextBackend(uint32_t submitsFromNow, VkResult result)
{
    std::lock_guard lock(pendingFault().mutex);
    pendingFault().fault = std::pair{submitsFromNow, result};
}

VulkanBackend::VulkanBackend(std::unique_ptr<Context> context)
    : m_context(std::move(context))
{
}

VulkanBackend::~VulkanBackend()
{
    if (m_batch)
        m_context->abandon(*m_batch);
}

Result<std::unique_ptr<VulkanBackend>> VulkanBackend::create(uint32_t deviceIndex)
{
    auto context = Context::create(deviceIndex);
    if (!context)
        return context.error();
    return create(std::move(context.value()));
}

Result<std::unique_ptr<VulkanBackend>> VulkanBackend::create(std::unique_ptr<Context> context)
{
    if (!context)
        return makeError("no Vulkan context");
    std::unique_ptr<VulkanBackend> backend(new VulkanBackend(std::move(context)));
    std::lock_guard lock(pendingFault().mutex);
    if (auto &fault = pendingFault().fault) {
        backend->injectSubmitFailure(fault->first, fault->second);
        fault.reset();
    }
    return backend;
}

std::string VulkanBackend::name() const
{
    const VulkanDeviceInfo &info = m_context->info();
    return "Vulkan (" + info.name + ", " + info.driverName + ")";
}

Result<void> VulkanBackend::status() const
{
    if (m_error)
        return *m_error;
    return {};
}

bool VulkanBackend::weightTypeSupported(TensorType type)
{
    switch (type) {
    case TensorType::F32:
    case TensorType::F16:
    case TensorType::BF16:
    case TensorType::Q4_0:
    case TensorType::Q4_1:
    case TensorType::Q5_0:
    case TensorType::Q5_1:
    case TensorType::Q8_0:
    case TensorType::Q2_K:
    case TensorType::Q3_K:
    case TensorType::Q4_K:
    case TensorType::Q5_K:
    case TensorType::Q6_K:
    case TensorType::IQ4_NL:
    case TensorType::IQ4_XS:
        return true;
    default:
        return false;
    }
}

void VulkanBackend::injectSubmitFailure(uint32_t submitsFromNow, VkResult result)
{
    m_context->injectSubmitFailure(submitsFromNow, result);
}

Result<std::unique_ptr<BackendBuffer>> VulkanBackend::createBuffer(TensorType type, size_t count)
{
    if (type != TensorType::F32 && type != TensorType::F16 && type != TensorType::I32)
        return makeError("the Vulkan backend has no buffers of type " + tensorTypeName(uint32_t(type)));
    if (count > (uint64_t(1) << 40))
        return makeError("buffer of " + std::to_string(count) + " elements is too large");
    const VkDeviceSize bytes = std::max<VkDeviceSize>(16, (count * elementBytes(type) + 15) / 16 * 16);
    auto buffer = m_context->createBuffer(bytes, MemoryUse::DeviceLocal);
    if (!buffer)
        return buffer.error().withContext("allocating " + mib(bytes) + " of GPU memory (" +
                                          mib(m_context->info().deviceLocalBudget()) + " budget)");
    // Zeroed like the CPU backend's, so a cache row read before it is written is harmless.
    if (void *mapped = buffer->mapped()) {
        std::memset(mapped, 0, bytes);
    } else {
        std::vector<std::byte> zeros(std::min<VkDeviceSize>(bytes, 16u << 20));
        for (VkDeviceSize done = 0; done < bytes; done += zeros.size())
            PARLO_TRY(m_context->upload(*buffer, zeros.data(), std::min<VkDeviceSize>(zeros.size(), bytes - done), done));
    }
    return std::unique_ptr<BackendBuffer>(std::make_unique<VulkanBuffer>(type, count, std::move(buffer.value())));
}

Result<DeviceWeight> VulkanBackend::upload(const WeightView &view)
{
    if (!weightTypeSupported(view.type))
        return makeError("tensor type " + tensorTypeName(uint32_t(view.type)) + " is not supported by the Vulkan backend");
    if (view.rowBytes == 0 || view.n_rows == 0 || !view.data)
        return makeError("empty weight tensor");
    // Transfers into device memory go through the context's own command buffer.
    PARLO_TRY(flush());
    const uint64_t limit = (m_chunkLimit ? std::min(m_chunkLimit, m_context->maxStorageBufferRange())
                                         : m_context->maxStorageBufferRange()) - k_weightPadding;
    if (view.rowBytes > limit)
        return makeError("a weight row of " + std::to_string(view.rowBytes) + " bytes exceeds maxStorageBufferRange");
    // Row offsets are 32-bit in the shaders.
    const uint64_t rowsPerChunk = std::min<uint64_t>(limit / view.rowBytes, UINT32_MAX / view.rowBytes);
    DeviceWeight weight;
    weight.context = m_context;
    for (uint64_t first = 0; first < view.n_rows; first += rowsPerChunk) {
        const uint64_t rows = std::min(rowsPerChunk, view.n_rows - first);
        const VkDeviceSize bytes = rows * view.rowBytes;
        auto buffer = m_context->createBuffer((bytes + k_weightPadding + 15) / 16 * 16, MemoryUse::DeviceLocal);
        if (!buffer)
            return buffer.error().withContext("uploading a " + mib(view.n_rows * view.rowBytes) + " weight (" +
                                              mib(m_context->info().deviceLocalBudget()) + " of GPU memory budget)");
        PARLO_TRY(m_context->upload(*buffer, view.data + first * view.rowBytes, bytes));
        weight.chunks.push_back({std::move(buffer.value()), first, rows});
    }
    return weight;
}

std::optional<uint64_t> VulkanBackend::deviceMemoryBudget() const
{
    const uint64_t budget = m_context->info().deviceLocalBudget();
    return budget > 0 ? std::optional<uint64_t>(budget) : std::nullopt;
}

Result<void> VulkanBackend::prepareWeight(Weight &weight)
{
    if (weight.device)
        return {};
    // The memory plan: refuse up front, with the numbers, rather than fail mid-upload.
    const uint64_t bytes = weight.view.n_rows * weight.view.rowBytes;
    const uint64_t budget = m_context->info().deviceLocalBudget();
    if (budget > 0 && m_weightBytes + bytes > budget)
        return makeError("the model needs more than " + mib(m_weightBytes + bytes) + " of GPU memory for its weights; " +
                         m_context->info().name + " has " + mib(budget) + " available");
    auto uploaded = upload(weight.view);
    if (!uploaded)
        return uploaded.error();
    weight.device = std::make_shared<DeviceWeight>(std::move(uploaded.value()));
    m_weightBytes += bytes;
    return {};
}

Result<const DeviceWeight *> VulkanBackend::deviceWeight(const Weight &weight)
{
    if (weight.device)
        return static_cast<const DeviceWeight *>(weight.device.get());
    const WeightView &v = weight.view;
    const uint64_t bytes = v.n_rows * v.rowBytes;
    auto it = m_implicitWeights.find(v.data);
    if (it != m_implicitWeights.end()) {
        auto *known = static_cast<ImplicitWeight *>(it->second.get());
        const bool same = known->chunks.front().rows == v.n_rows &&
                          (known->contents.empty() ? bytes > k_comparedWeightBytes
                                                   : known->contents.size() == bytes &&
                                                         std::memcmp(known->contents.data(), v.data, bytes) == 0);
        if (same)
            return static_cast<const DeviceWeight *>(known);
        // Stale: the recorded batch may still use the old copy, so run it before dropping it.
        PARLO_TRY(flush());
        m_implicitWeights.erase(it);
    }
    auto uploaded = upload(v);
    if (!uploaded)
        return uploaded.error();
    auto implicit = std::make_unique<ImplicitWeight>();
    implicit->context = uploaded->context;
    implicit->chunks = std::move(uploaded->chunks);
    if (bytes <= k_comparedWeightBytes)
        implicit->contents.assign(v.data, v.data + bytes);
    const DeviceWeight *result = implicit.get();
    m_implicitWeights[v.data] = std::move(implicit);
    return result;
}

CommandBatch *VulkanBackend::batch()
{
    if (m_error)
        return nullptr;
    if (!m_batch) {
        auto begun = m_context->beginBatch();
        if (!begun) {
            fail(begun.error());
            return nullptr;
        }
        m_batch.emplace(std::move(begun.value()));
    }
    return &*m_batch;
}

Result<void> VulkanBackend::flush()
{
    if (m_error)
        return *m_error;
    if (!m_batch)
        return {};
    m_lastDispatches = m_batch->dispatchCount();
    m_lastBarriers = m_batch->barrierCount();
    auto submitted = m_context->submitAndWait(*m_batch);
    m_batch.reset();
    ++m_submits;
    // The staging data of the batch has been consumed; keep the largest buffer for the next.
    if (m_staging.size() > 1) {
        auto largest = std::max_element(m_staging.begin(), m_staging.end(),
                                        [](const Buffer &a, const Buffer &b) { return a.size() < b.size(); });
        Buffer keep = std::move(*largest);
        m_staging.clear();
        m_staging.push_back(std::move(keep));
    }
    m_stagingUsed = 0;
    if (!submitted) {
        fail(submitted.error());
        return submitted.error();
    }
    return {};
}

void VulkanBackend::fail(const Error &error)
{
    if (!m_error) {
        m_error = error.withContext("Vulkan backend");
        log(LogLevel::Warning, "vulkan", m_error->message);
    }
    if (m_batch) {
        m_context->abandon(*m_batch);
        m_batch.reset();
    }
}

void VulkanBackend::dispatchOrFail(const Result<void> &recorded)
{
    if (!recorded)
        fail(recorded.error());
}

Result<const Pipeline *> VulkanBackend::pipeline(const std::string &variant, uint32_t bindings, uint32_t pushBytes,
                                                 std::vector<uint32_t> spec)
{
    return m_context->pipeline({variant, bindings, pushBytes, std::move(spec)});
}

std::string VulkanBackend::subgroupVariant(const std::string &base) const
{
    return m_allowSubgroups && m_context->useSubgroups() ? base : base + "_nosg";
}

Result<BoundView> VulkanBackend::bind(BufferView view, size_t elements, bool writes)
{
    if (!view.buffer)
        return makeError("an op was given a view without a buffer");
    auto *vb = static_cast<VulkanBuffer *>(view.buffer);
    const Buffer &buffer = vb->buffer();
    const size_t esize = elementBytes(vb->type());
    const VkDeviceSize begin = VkDeviceSize(view.offset) * esize;
    const VkDeviceSize end = VkDeviceSize(view.offset + elements) * esize;
    if (view.offset + elements > vb->count())
        return makeError("a view of " + std::to_string(elements) + " elements at " + std::to_string(view.offset) +
                         " lies outside its buffer of " + std::to_string(vb->count()));
    BoundView bound;
    bound.binding = {&buffer, 0, VK_WHOLE_SIZE, writes, begin, end};
    const VkDeviceSize maxRange = m_context->maxStorageBufferRange();
    if (buffer.size() <= maxRange) {
        bound.offset = uint32_t(view.offset);
        return bound;
    }
    // A window of a large buffer: aligned start, element offset relative to it.
    const VkDeviceSize align = m_context->storageOffsetAlignment();
    const VkDeviceSize start = begin / align * align;
    if (end - start > maxRange)
        return makeError("a view of " + mib(end - begin) + " exceeds maxStorageBufferRange (" + mib(maxRange) + ")");
    bound.binding.offset = start;
    bound.binding.range = std::min(buffer.size() - start, maxRange) / 4 * 4;
    bound.offset = uint32_t((begin - start) / esize);
    return bound;
}

Result<BoundView> VulkanBackend::stagingFor(size_t bytes, std::byte **mapped)
{
    m_stagingUsed = (m_stagingUsed + 15) / 16 * 16;
    if (m_staging.empty() || m_staging.back().size() - std::min(m_staging.back().size(), m_stagingUsed) < bytes) {
        auto buffer = m_context->createBuffer(std::max<VkDeviceSize>(k_stagingChunk, bytes), MemoryUse::HostVisible);
        if (!buffer)
            return buffer.error();
        m_staging.push_back(std::move(buffer.value()));
        m_stagingUsed = 0;
    }
    BoundView at;
    at.binding.buffer = &m_staging.back();
    at.binding.offset = m_stagingUsed;
    *mapped = static_cast<std::byte *>(m_staging.back().mapped()) + m_stagingUsed;
    m_stagingUsed += bytes;
    return at;
}

void VulkanBackend::recordCopyIn(BufferView dst, const void *data, size_t bytes)
{
    if (m_error || bytes == 0 || !dst.buffer)
        return;
    auto *vb = static_cast<VulkanBuffer *>(dst.buffer);
    const VkDeviceSize at = VkDeviceSize(dst.offset) * elementBytes(vb->type());
    if (at + bytes > vb->buffer().size()) {
        fail(makeError("write outside its buffer"));
        return;
    }
    // Nothing recorded that could still read the old contents: write the mapped memory.
    if (!m_batch && vb->buffer().mapped()) {
        std::memcpy(static_cast<std::byte *>(vb->buffer().mapped()) + at, data, bytes);
        return;
    }
    std::byte *mapped = nullptr;
    auto staging = stagingFor(bytes, &mapped);
    if (!staging) {
        fail(staging.error());
        return;
    }
    std::memcpy(mapped, data, bytes);
    if (CommandBatch *b = batch())
        dispatchOrFail(b->copy(*staging->binding.buffer, staging->binding.offset, vb->buffer(), at, bytes));
}

void VulkanBackend::write(BufferView dst, std::span<const float> src)
{
    recordCopyIn(dst, src.data(), std::min(src.size(), dst.elements()) * sizeof(float));
}

void VulkanBackend::writeIds(BufferView dst, std::span<const int32_t> src)
{
    recordCopyIn(dst, src.data(), std::min(src.size(), dst.elements()) * sizeof(int32_t));
}

void VulkanBackend::read(BufferView src, std::span<float> dst)
{
    std::fill(dst.begin(), dst.end(), 0.0f);
    if (m_error || !src.buffer)
        return;
    auto *vb = static_cast<VulkanBuffer *>(src.buffer);
    const size_t esize = elementBytes(vb->type());
    const size_t count = std::min(dst.size(), src.elements());
    const VkDeviceSize at = VkDeviceSize(src.offset) * esize, bytes = count * esize;
    if (count == 0 || at + bytes > vb->buffer().size()) {
        fail(makeError("read outside its buffer"));
        return;
    }
    const std::byte *from = nullptr;
    if (vb->buffer().mapped()) {
        if (!flush())
            return;
        from = static_cast<const std::byte *>(vb->buffer().mapped()) + at;
    } else {
        if (m_readback.size() < bytes) {
            m_readback = Buffer();
            auto buffer = m_context->createBuffer(std::max<VkDeviceSize>(bytes, 64 * 1024), MemoryUse::HostVisible);
            if (!buffer) {
                fail(buffer.error());
                return;
            }
            m_readback = std::move(buffer.value());
        }
        CommandBatch *b = batch();
        if (!b)
            return;
        dispatchOrFail(b->copy(vb->buffer(), at, m_readback, 0, bytes));
        if (!flush())
            return;
        from = static_cast<const std::byte *>(m_readback.mapped());
    }
    if (vb->type() == TensorType::F16) {
        const auto *halves = reinterpret_cast<const uint16_t *>(from);
        for (size_t i = 0; i < count; ++i)
            dst[i] = cpu::halfToFloat(halves[i]);
    } else {
        std::memcpy(dst.data(), from, bytes); // F32, or I32 bits as the CPU backend returns them
    }
}

} // namespace parlo::vk
