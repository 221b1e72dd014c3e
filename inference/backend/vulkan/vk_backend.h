// The Vulkan backend: every op of backend.h as a compute shader.
//
// Ops are recorded, in call order, into one command buffer that runs when results are read
// (read()) — for decode that is one submit per token. Barriers are inserted only where a
// command touches what an earlier one of the same batch wrote (CommandBatch tracks it), and
// descriptor sets are cached per (pipeline, buffers), so a token reuses the previous token's.
// Weights are uploaded once in prepareWeight() to device-local memory, split into chunks of
// whole rows under maxStorageBufferRange.
//
// Failures while recording or submitting (device lost, out of device memory) are sticky:
// later ops do nothing, read() returns zeros, and status() carries the message.
#pragma once

#include "backend/backend.h"
#include "vk_context.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace parlo::vk {

// Fault injection for whole-engine tests, which cannot reach the backend an engine creates:
// the next VulkanBackend created in this process fails its submit after `submitsFromNow` more
// with `result` (VK_ERROR_DEVICE_LOST, VK_ERROR_OUT_OF_DEVICE_MEMORY). Consumed by that backend.
void injectFaultInNextBackend(uint32_t submitsFromNow, VkResult result);

class VulkanBuffer : public BackendBuffer
{
public:
    VulkanBuffer(TensorType type, size_t count, Buffer buffer)
        : BackendBuffer(type, count), m_buffer(std::move(buffer))
    {
    }
    Buffer &buffer() { return m_buffer; }

private:
    Buffer m_buffer;
};

// A weight on the device: whole rows per chunk.
struct DeviceWeight
{
    struct Chunk
    {
        Buffer buffer;
        uint64_t firstRow = 0;
        uint64_t rows = 0;
    };
    // Weights belong to the model, which may outlive the backend: the context stays alive
    // until the last weight's buffers are gone (declared first, so destroyed after them).
    std::shared_ptr<Context> context;
    std::vector<Chunk> chunks;
};

// A BufferView resolved to a descriptor binding and an element offset inside that binding.
struct BoundView
{
    Binding binding;
    uint32_t offset = 0;
};

class VulkanBackend : public Backend
{
public:
    enum class MatmulPath { Auto, MatVec, MatMat };

    // Opens Vulkan device `deviceIndex`.
    static Result<std::unique_ptr<VulkanBackend>> create(uint32_t deviceIndex);
    // On an existing context (tests pass one with validation on).
    static Result<std::unique_ptr<VulkanBackend>> create(std::unique_ptr<Context> context);
    ~VulkanBackend() override;

    std::string name() const override;
    Result<void> status() const override;
    std::optional<uint64_t> deviceMemoryBudget() const override;

    Result<std::unique_ptr<BackendBuffer>> createBuffer(TensorType type, size_t count) override;
    Result<void> prepareWeight(Weight &weight) override;
    void write(BufferView dst, std::span<const float> src) override;
    void writeIds(BufferView dst, std::span<const int32_t> src) override;
    void read(BufferView src, std::span<float> dst) override;

    void getRows(const Weight &table, BufferView ids, BufferView out) override;
    void rmsNorm(BufferView x, const Weight *weight, BufferView y, float eps) override;
    void layerNorm(BufferView x, const Weight *weight, const Weight *bias, BufferView y, float eps) override;
    void matmul(const Weight &w, BufferView x, BufferView y) override;
    void matmulExperts(const Weight &w, uint32_t rowsPerExpert, BufferView x, BufferView ids, BufferView y) override;
    void rope(BufferView x, uint32_t head_dim, BufferView positions, const RopeParams &params) override;
    void kvStore(BufferView k, BufferView v, BufferView kCache, BufferView vCache, uint32_t pos0) override;
    void attention(BufferView q, BufferView kCache, BufferView vCache, BufferView out, const AttentionParams &params) override;
    void swiglu(BufferView gate, BufferView up, BufferView out) override;
    void geglu(BufferView gate, BufferView up, BufferView out) override;
    void gelu(BufferView x, BufferView out) override;
    void clamp(BufferView x, float limit) override;
    void softcap(BufferView x, float cap) override;
    void scale(BufferView x, float s) override;
    void add(BufferView a, BufferView b, BufferView out) override;
    void addBias(BufferView x, const Weight &bias) override;
    void mul(BufferView a, BufferView b, BufferView out) override;
    void softmax(BufferView x) override;
    void moeRoute(BufferView logits, uint32_t k, bool renormalise, BufferView ids, BufferView weights) override;
    void moeCombine(BufferView expertOut, BufferView weights, BufferView out) override;

    Context &context() { return *m_context; }
    // Whether a weight type has shaders (every type of the CPU backend, and the quantized ones).
    static bool weightTypeSupported(TensorType type);

    // For tests and benchmarks: force a matmul path, turn subgroup variants off, shrink the
    // chunk size that weights are split at (to exercise splitting without 128 MiB tensors).
    void setMatmulPath(MatmulPath path) { m_matmulPath = path; }
    void setAllowSubgroups(bool allow) { m_allowSubgroups = allow; }
    void setWeightChunkLimit(uint64_t bytes) { m_chunkLimit = bytes; }
    // Fault injection: the submit after `submitsFromNow` more fails with `result`.
    void injectSubmitFailure(uint32_t submitsFromNow, VkResult result);

    // Statistics of the last submitted batch (dispatches, barriers) and submits so far.
    uint32_t lastBatchDispatches() const { return m_lastDispatches; }
    uint32_t lastBatchBarriers() const { return m_lastBarriers; }
    uint64_t submitCount() const { return m_submits; }

private:
    explicit VulkanBackend(std::unique_ptr<Context> context);

    // Recording plumbing, shared by the op files (vk_backend_*.cpp).
    CommandBatch *batch();                 // the open batch, begun on demand; null after a failure
    Result<void> flush();                  // submits the open batch and waits
    void fail(const Error &error);         // records the first failure and drops the batch
    bool failed() const { return m_error.has_value(); }
    Result<const Pipeline *> pipeline(const std::string &variant, uint32_t bindings, uint32_t pushBytes,
                                      std::vector<uint32_t> spec);
    std::string subgroupVariant(const std::string &base) const;
    Result<BoundView> bind(BufferView view, size_t elements, bool writes);
    // The device copy of a weight: the prepared one, or one uploaded now for small weights the
    // graph did not prepare (norm weights, rope factors), kept by data pointer.
    Result<const DeviceWeight *> deviceWeight(const Weight &weight);
    Result<DeviceWeight> upload(const WeightView &view);
    Result<BoundView> stagingFor(size_t bytes, std::byte **mapped);
    void recordCopyIn(BufferView dst, const void *data, size_t bytes);
    void dispatchOrFail(const Result<void> &recorded);
    void binary(const char *variant, BufferView a, BufferView b, BufferView out); // add, mul, swiglu, geglu
    void unary(const char *variant, BufferView x, BufferView out, float c);         // clamp, softcap, gelu

    std::shared_ptr<Context> m_context;
    std::optional<CommandBatch> m_batch;
    std::optional<Error> m_error;
    std::map<const std::byte *, std::unique_ptr<DeviceWeight>> m_implicitWeights;
    std::vector<Buffer> m_staging; // write() data for the open batch; the last one is filled
    VkDeviceSize m_stagingUsed = 0;
    Buffer m_readback;
    MatmulPath m_matmulPath = MatmulPath::Auto;
    bool m_allowSubgroups = true;
    uint64_t m_chunkLimit = 0; // 0: maxStorageBufferRange
    uint32_t m_lastDispatches = 0, m_lastBarriers = 0;
    uint64_t m_submits = 0;
    uint64_t m_weightBytes = 0; // uploaded by prepareWeight, for the memory plan
};

} // namespace parlo::vk
