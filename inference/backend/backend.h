// The Backend interface: the op set the transformer graph is written against, once.
// The CPU backend (backend/cpu/) is the reference and fallback; the Vulkan backend implements
// the same calls with shaders. Activations and the KV cache live in backend-owned buffers
// (device memory on a GPU); weights stay views into the mapped GGUF file, which a GPU backend
// uploads in prepareWeight(). Ops are enqueued in call order; read() waits for them.
#pragma once

#include "parlo/result.h"
#include "parlo/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace parlo {

// A weight tensor as stored in the file: n_rows rows of n_cols values of `type`, each row a
// whole number of blocks. 3-D tensors (merged experts) are n_rows = ne1 * ne2 rows.
struct WeightView
{
    TensorType type = TensorType::F32;
    const std::byte *data = nullptr;
    uint64_t n_cols = 0;   // ne0, the row length
    uint64_t n_rows = 0;   // product of ne1..
    uint64_t rowBytes = 0; // bytes of one row

    // Rows [first, first + count), e.g. one expert of a merged expert tensor.
    WeightView rowSlice(uint64_t first, uint64_t count) const
    {
        WeightView v = *this;
        v.data = data + first * rowBytes;
        v.n_rows = count;
        return v;
    }
};

// A weight plus whatever the backend keeps for it (a device buffer and offset on a GPU).
struct Weight
{
    WeightView view;
    std::shared_ptr<void> device; // set by Backend::prepareWeight where the backend needs it
    bool valid() const { return view.data != nullptr; }
};

// Storage owned by a backend: F32 activations, I32 ids, F16/F32 KV cache.
class BackendBuffer
{
public:
    BackendBuffer(TensorType type, size_t count) : m_type(type), m_count(count) {}
    virtual ~BackendBuffer() = default;
    TensorType type() const { return m_type; }
    size_t count() const { return m_count; }

private:
    TensorType m_type;
    size_t m_count;
};

// A 2-D window [ne1 rows, ne0 columns] into a buffer, rows contiguous, starting at `offset`
// elements. Ops never own memory; the graph allocates buffers once and hands out views.
struct BufferView
{
    BackendBuffer *buffer = nullptr;
    size_t offset = 0; // in elements
    uint32_t ne0 = 0;  // row length
    uint32_t ne1 = 1;  // rows

    size_t elements() const { return size_t(ne0) * ne1; }
    BufferView rows(uint32_t first, uint32_t count) const
    {
        return BufferView{buffer, offset + size_t(first) * ne0, ne0, count};
    }
    // The same memory seen with another row length (a contiguous reshape).
    BufferView reshaped(uint32_t newNe0, uint32_t newNe1) const { return BufferView{buffer, offset, newNe0, newNe1}; }
};

enum class RopeStyle { Normal, NeoX }; // Normal rotates adjacent pairs (x0,x1); NeoX pairs x[i], x[i + n_rot/2]

struct RopeParams
{
    RopeStyle style = RopeStyle::Normal;
    uint32_t n_rot = 0;          // rotated dimensions at the start of each head (<= head_dim, even)
    float freq_base = 10000.0f;
    float freq_scale = 1.0f;     // linear scaling: positions multiplied by this (1 / factor)
    const Weight *freqFactors = nullptr; // [n_rot / 2] F32 divisors (Llama 3 rope_freqs, LongRoPE), or null
    float attn_factor = 1.0f;    // multiplies cos and sin of the rotated pairs (LongRoPE's mscale)
};

struct AttentionParams
{
    uint32_t n_head = 0;
    uint32_t n_head_kv = 0;
    uint32_t head_dim = 0;
    uint32_t pos0 = 0;   // position of the first query token; the cache holds 0..pos0+n_tokens-1
    float scale = 1.0f;  // usually 1/sqrt(head_dim)
    uint32_t window = 0; // > 0: a query sees only the keys less than `window` positions back (sliding window)
    float softcap = 0.0f; // > 0: scores become softcap * tanh(score / softcap) (Gemma 2)
};

class Backend
{
public:
    virtual ~Backend() = default;

    virtual std::string name() const = 0;
    virtual unsigned threadCount() const { return 1; }
    // The first failure of an enqueued op or transfer (a GPU backend: device lost, out of
    // device memory). Sticky; ops after it do nothing and read() yields zeros. Check after read().
    virtual Result<void> status() const { return {}; }
    // Bytes this backend may still allocate on its device, for the memory plan made before
    // loading; nullopt for backends that use host memory.
    virtual std::optional<uint64_t> deviceMemoryBudget() const { return std::nullopt; }

    // Buffers and transfers.
    virtual Result<std::unique_ptr<BackendBuffer>> createBuffer(TensorType type, size_t count) = 0;
    virtual Result<void> prepareWeight(Weight &weight) = 0;
    virtual void write(BufferView dst, std::span<const float> src) = 0;
    virtual void writeIds(BufferView dst, std::span<const int32_t> src) = 0; // I32 buffer
    virtual void read(BufferView src, std::span<float> dst) = 0; // waits for queued ops

    // Ops. Shapes are [rows, row length]; "x [n, d]" means n rows of d values.
    // out [n, n_cols] = rows ids[i] of `table`, dequantized. ids: I32 [n]
    virtual void getRows(const Weight &table, BufferView ids, BufferView out) = 0;
    // y = x / rms(x) * weight per row; weight [d] F32 or null.
    virtual void rmsNorm(BufferView x, const Weight *weight, BufferView y, float eps) = 0;
    // y = (x - mean) / sqrt(var + eps) * weight + bias per row; weight, bias [d] F32 or null
    // (OLMo's norm has neither, Falcon's both).
    virtual void layerNorm(BufferView x, const Weight *weight, const Weight *bias, BufferView y, float eps) = 0;
    // y [n, n_rows] = x [n, n_cols] · Wᵀ, W read in its stored type.
    virtual void matmul(const Weight &w, BufferView x, BufferView y) = 0;
    // Mixture of experts (ggml's mul_mat_id): w holds n_expert matrices of rowsPerExpert rows.
    // For token t and slot j, y[t * k + j] = x[t or t * k + j] · W[ids[t, j]]ᵀ.
    // x [n, n_cols] (shared by the slots) or [n * k, n_cols]; ids I32 [n, k]; y [n * k, rowsPerExpert].
    virtual void matmulExperts(const Weight &w, uint32_t rowsPerExpert, BufferView x, BufferView ids, BufferView y) = 0;
    // In place on x [n, n_head * head_dim]; positions I32 [n].
    virtual void rope(BufferView x, uint32_t head_dim, BufferView positions, const RopeParams &params) = 0;
    // Copies k, v [n, n_head_kv * head_dim] into rows pos0.. of a layer's cache (converting to its type).
    virtual void kvStore(BufferView k, BufferView v, BufferView kCache, BufferView vCache, uint32_t pos0) = 0;
    // Causal attention of q [n, n_head * head_dim] over cache rows 0..pos0+n-1; out like q.
    virtual void attention(BufferView q, BufferView kCache, BufferView vCache, BufferView out, const AttentionParams &params) = 0;
    // out = silu(gate) * up, elementwise.
    virtual void swiglu(BufferView gate, BufferView up, BufferView out) = 0;
    // out = gelu(gate) * up (tanh approximation of GELU), elementwise.
    virtual void geglu(BufferView gate, BufferView up, BufferView out) = 0;
    // out = gelu(x), tanh approximation.
    virtual void gelu(BufferView x, BufferView out) = 0;
    // x = clamp(x, -limit, limit), in place (OLMo's clip_qkv).
    virtual void clamp(BufferView x, float limit) = 0;
    // x = cap * tanh(x / cap), in place (Gemma 2's final logit soft-cap).
    virtual void softcap(BufferView x, float cap) = 0;
    // x *= s, in place (Gemma's embedding scale).
    virtual void scale(BufferView x, float s) = 0;
    virtual void add(BufferView a, BufferView b, BufferView out) = 0;
    // x [n, d] += bias [d] on every row, in place; bias F32 (q/k/v biases of Qwen2, Falcon...).
    virtual void addBias(BufferView x, const Weight &bias) = 0;
    virtual void mul(BufferView a, BufferView b, BufferView out) = 0;
    virtual void softmax(BufferView x) = 0; // in place, per row
    // Router: softmax over logits [n, n_expert], the k largest per token into ids I32 [n, k] and
    // weights [n, k], renormalised to sum 1 when `renormalise`.
    virtual void moeRoute(BufferView logits, uint32_t k, bool renormalise, BufferView ids, BufferView weights) = 0;
    // out [n, d] = sum_j weights[t, j] * expertOut[t * k + j]; expertOut [n * k, d].
    virtual void moeCombine(BufferView expertOut, BufferView weights, BufferView out) = 0;
};

} // namespace parlo
