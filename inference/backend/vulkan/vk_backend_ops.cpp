// The Vulkan backend's ops other than the weight-reading ones: norms, RoPE, KV-cache writes,
// fused attention, elementwise ops, softmax and the MoE router and combiner.
#include "vk_backend.h"
#include "vk_dispatch.h"
#include "vk_norm.h"

#include <array>

namespace parlo::vk {
namespace {

constexpr uint32_t k_elementBlock = 256;
constexpr uint32_t k_ropeBlock = 64;
constexpr uint32_t k_kvBlock = 64;
constexpr uint32_t k_attentionBlock = 64; // >= 32, as flash_attn.comp's DIMS_PER_THREAD assumes
constexpr uint32_t k_maxHeadDim = 256;
constexpr uint32_t k_softmaxBlock = 128;
constexpr uint32_t k_normBlock = 128; // a power of two, as reduce.glsl needs
constexpr uint32_t k_routeBlock = 64;
constexpr uint32_t k_combineBlock = 128;
constexpr uint32_t k_maxExperts = 256;

struct RopeParamsGpu
{
    uint32_t x_offset, x_stride, n_head, head_dim, n_rot, neox;
    float freq_base, freq_scale;
    uint32_t has_factors, pos_offset;
    float attn_factor;
};
struct KvStoreParams
{
    uint32_t n, k_offset, v_offset, dst_k, dst_v;
};
struct AttentionParamsGpu
{
    uint32_t head_dim, n_head, n_head_kv, pos0, q_offset, q_stride, k_offset, v_offset, kv_stride, out_offset,
        out_stride;
    float scale;
    uint32_t window;
    float softcap;
};
struct BinaryParams
{
    uint32_t n, a_offset, b_offset, out_offset;
};
struct BiasParams
{
    uint32_t n, n_cols, x_offset;
};
struct UnaryParams
{
    uint32_t n, x_offset, out_offset;
    float c;
};
struct LayerNormParams
{
    uint32_t n_cols, n_rows;
    float eps;
    uint32_t use_weight, use_bias, x_offset, y_offset;
};
struct SoftmaxParams
{
    uint32_t n_cols, n_rows, offset;
};
struct RouteParams
{
    uint32_t n_expert, n_tokens, k, renormalise, logits_offset, ids_offset, weights_offset;
};
struct CombineParams
{
    uint32_t n_cols, k, e_offset, e_stride, w_offset, out_offset;
};

Binding weightBinding(const DeviceWeight &w) { return {&w.chunks.front().buffer, 0, VK_WHOLE_SIZE, false}; }

} // namespace

void VulkanBackend::rmsNorm(BufferView x, const Weight *weight, BufferView y, float eps)
{
    if (failed() || x.ne1 == 0)
        return;
    auto run = [&]() -> Result<void> {
        auto bx = bind(x, x.elements(), false);
        auto by = bind(y, x.elements(), true);
        if (!bx || !by)
            return (!bx ? bx : by).error();
        std::optional<Binding> bw;
        if (weight && weight->valid()) {
            if (weight->view.type != TensorType::F32 || weight->view.n_cols * weight->view.n_rows < x.ne0)
                return makeError("rms_norm: the weight must be F32 with a value per column");
            auto dw = deviceWeight(*weight);
            if (!dw)
                return dw.error();
            bw = weightBinding(**dw);
        }
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        return recordRmsNorm(*m_context, *b, bx->binding, bx->offset, bw ? &*bw : nullptr, by->binding, by->offset,
                             x.ne0, x.ne1, eps, m_allowSubgroups);
    };
    dispatchOrFail(run());
}

void VulkanBackend::rope(BufferView x, uint32_t head_dim, BufferView positions, const RopeParams &params)
{
    if (failed() || x.ne1 == 0 || params.n_rot == 0)
        return;
    auto run = [&]() -> Result<void> {
        if (head_dim == 0 || x.ne0 % head_dim != 0 || params.n_rot > head_dim || params.n_rot % 2 != 0)
            return makeError("rope: n_rot " + std::to_string(params.n_rot) + " does not fit heads of " +
                             std::to_string(head_dim) + " in rows of " + std::to_string(x.ne0));
        auto bx = bind(x, x.elements(), true);
        auto bp = bind(positions, x.ne1, false);
        if (!bx || !bp)
            return (!bx ? bx : bp).error();
        Binding factors = bp->binding; // a valid binding the shader ignores without factors
        const bool hasFactors = params.freqFactors && params.freqFactors->valid();
        if (hasFactors) {
            auto dw = deviceWeight(*params.freqFactors);
            if (!dw)
                return dw.error();
            factors = weightBinding(**dw);
        }
        auto p = pipeline("rope_f32", 3, sizeof(RopeParamsGpu), {k_ropeBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const uint32_t n_head = x.ne0 / head_dim;
        const RopeParamsGpu gpu{bx->offset, x.ne0, n_head, head_dim, params.n_rot,
                                params.style == RopeStyle::NeoX ? 1u : 0u, params.freq_base, params.freq_scale,
                                hasFactors ? 1u : 0u, bp->offset, params.attn_factor};
        const std::array<Binding, 3> bindings{bx->binding, bp->binding, factors};
        return b->dispatch(**p, bindings, bytesOf(gpu), ceilDiv(uint64_t(n_head) * (params.n_rot / 2), k_ropeBlock),
                           x.ne1);
    };
    dispatchOrFail(run());
}

void VulkanBackend::kvStore(BufferView k, BufferView v, BufferView kCache, BufferView vCache, uint32_t pos0)
{
    if (failed() || k.elements() == 0)
        return;
    auto run = [&]() -> Result<void> {
        const TensorType type = kCache.buffer ? kCache.buffer->type() : TensorType::F32;
        if (!vCache.buffer || vCache.buffer->type() != type || (type != TensorType::F16 && type != TensorType::F32))
            return makeError("kv_store: the K and V caches must both be F16 or both F32");
        const size_t n = k.elements();
        const size_t cacheElements = size_t(pos0) * kCache.ne0 + n;
        auto bk = bind(k, n, false);
        auto bv = bind(v, n, false);
        auto bkc = bind(kCache, cacheElements, true);
        auto bvc = bind(vCache, size_t(pos0) * vCache.ne0 + n, true);
        if (!bk || !bv || !bkc || !bvc)
            return (!bk ? bk : !bv ? bv : !bkc ? bkc : bvc).error();
        const bool half = type == TensorType::F16;
        auto p = pipeline(half ? "kv_store_f16_f32" : "kv_store_f32_f32", 4, sizeof(KvStoreParams), {k_kvBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const uint32_t dstK = bkc->offset + pos0 * kCache.ne0, dstV = bvc->offset + pos0 * vCache.ne0;
        const KvStoreParams params{uint32_t(n), bk->offset, bv->offset, dstK, dstV};
        // F16: one thread per 32-bit word; a range starting mid-word needs one more.
        const uint64_t threads = half ? n / 2 + 2 : n;
        const std::array<Binding, 4> bindings{bk->binding, bv->binding, bkc->binding, bvc->binding};
        return b->dispatch(**p, bindings, bytesOf(params), ceilDiv(threads, k_kvBlock), 2);
    };
    dispatchOrFail(run());
}

void VulkanBackend::attention(BufferView q, BufferView kCache, BufferView vCache, BufferView out,
                              const AttentionParams &params)
{
    if (failed() || q.ne1 == 0)
        return;
    auto run = [&]() -> Result<void> {
        if (params.head_dim == 0 || params.head_dim > k_maxHeadDim || params.n_head_kv == 0 ||
            params.n_head % params.n_head_kv != 0 || q.ne0 < params.n_head * params.head_dim ||
            kCache.ne0 < params.n_head_kv * params.head_dim)
            return makeError("attention: unsupported shape (head_dim " + std::to_string(params.head_dim) +
                             ", at most " + std::to_string(k_maxHeadDim) + "; n_head " + std::to_string(params.n_head) +
                             ", n_head_kv " + std::to_string(params.n_head_kv) + ")");
        const TensorType type = kCache.buffer ? kCache.buffer->type() : TensorType::F32;
        if (!vCache.buffer || vCache.buffer->type() != type)
            return makeError("attention: K and V caches of different types");
        const size_t cacheElements = size_t(params.pos0 + q.ne1) * kCache.ne0;
        auto bq = bind(q, q.elements(), false);
        auto bk = bind(kCache, cacheElements, false);
        auto bv = bind(vCache, size_t(params.pos0 + q.ne1) * vCache.ne0, false);
        auto bo = bind(out, size_t(out.ne0) * q.ne1, true);
        if (!bq || !bk || !bv || !bo)
            return (!bq ? bq : !bk ? bk : !bv ? bv : bo).error();
        const std::string variant = type == TensorType::F16 ? "attention_f16_f32" : "attention_f32_f32";
        auto p = pipeline(subgroupVariant(variant), 4, sizeof(AttentionParamsGpu), {k_attentionBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const AttentionParamsGpu gpu{params.head_dim, params.n_head, params.n_head_kv, params.pos0, bq->offset,
                                     q.ne0, bk->offset, bv->offset, kCache.ne0, bo->offset, out.ne0, params.scale,
                                     params.window, params.softcap};
        const std::array<Binding, 4> bindings{bq->binding, bk->binding, bv->binding, bo->binding};
        return b->dispatch(**p, bindings, bytesOf(gpu), params.n_head, q.ne1);
    };
    dispatchOrFail(run());
}

void VulkanBackend::binary(const char *variant, BufferView a, BufferView b, BufferView out)
{
    if (failed() || out.elements() == 0)
        return;
    auto run = [&]() -> Result<void> {
        const size_t n = out.elements();
        auto ba = bind(a, n, false);
        auto bb = bind(b, n, false);
        auto bo = bind(out, n, true);
        if (!ba || !bb || !bo)
            return (!ba ? ba : !bb ? bb : bo).error();
        auto p = pipeline(variant, 3, sizeof(BinaryParams), {k_elementBlock});
        if (!p)
            return p.error();
        CommandBatch *cb = batch();
        if (!cb)
            return *m_error;
        const BinaryParams params{uint32_t(n), ba->offset, bb->offset, bo->offset};
        const std::array<Binding, 3> bindings{ba->binding, bb->binding, bo->binding};
        const auto [gx, gy] = splitGroups(ceilDiv(n, k_elementBlock));
        return cb->dispatch(**p, bindings, bytesOf(params), gx, gy);
    };
    dispatchOrFail(run());
}

void VulkanBackend::unary(const char *variant, BufferView x, BufferView out, float c)
{
    if (failed() || out.elements() == 0)
        return;
    auto run = [&]() -> Result<void> {
        const size_t n = out.elements();
        auto bx = bind(x, n, false);
        auto bo = bind(out, n, true);
        if (!bx || !bo)
            return (!bx ? bx : bo).error();
        auto p = pipeline(variant, 2, sizeof(UnaryParams), {k_elementBlock});
        if (!p)
            return p.error();
        CommandBatch *cb = batch();
        if (!cb)
            return *m_error;
        const UnaryParams params{uint32_t(n), bx->offset, bo->offset, c};
        const std::array<Binding, 2> bindings{bx->binding, bo->binding};
        const auto [gx, gy] = splitGroups(ceilDiv(n, k_elementBlock));
        return cb->dispatch(**p, bindings, bytesOf(params), gx, gy);
    };
    dispatchOrFail(run());
}

void VulkanBackend::layerNorm(BufferView x, const Weight *weight, const Weight *bias, BufferView y, float eps)
{
    if (failed() || x.ne1 == 0 || x.ne0 == 0)
        return;
    auto run = [&]() -> Result<void> {
        auto bx = bind(x, x.elements(), false);
        auto by = bind(y, x.elements(), true);
        if (!bx || !by)
            return (!bx ? bx : by).error();
        // Absent weight or bias: the shader never reads its binding, but one must be bound.
        Binding bindings[4] = {bx->binding, bx->binding, bx->binding, by->binding};
        bindings[1].writes = bindings[2].writes = false;
        bool use[2] = {false, false};
        const Weight *params[2] = {weight, bias};
        for (int i = 0; i < 2; ++i) {
            if (!params[i] || !params[i]->valid())
                continue;
            if (params[i]->view.type != TensorType::F32 || params[i]->view.n_cols * params[i]->view.n_rows < x.ne0)
                return makeError("layer_norm: weight and bias must be F32 with a value per column");
            auto dw = deviceWeight(*params[i]);
            if (!dw)
                return dw.error();
            bindings[1 + i] = weightBinding(**dw);
            use[i] = true;
        }
        auto p = pipeline(subgroupVariant("layer_norm_f32"), 4, sizeof(LayerNormParams), {k_normBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const LayerNormParams gpu{x.ne0, x.ne1, eps, use[0] ? 1u : 0u, use[1] ? 1u : 0u, bx->offset, by->offset};
        const auto [gx, gy] = splitGroups(x.ne1);
        return b->dispatch(**p, std::span<const Binding>(bindings, 4), bytesOf(gpu), gx, gy);
    };
    dispatchOrFail(run());
}

void VulkanBackend::swiglu(BufferView gate, BufferView up, BufferView out) { binary("swiglu_f32", gate, up, out); }
void VulkanBackend::geglu(BufferView gate, BufferView up, BufferView out) { binary("geglu_f32", gate, up, out); }
void VulkanBackend::gelu(BufferView x, BufferView out) { unary("gelu_f32", x, out, 0.0f); }
void VulkanBackend::clamp(BufferView x, float limit) { unary("clamp_f32", x, x, limit); }
void VulkanBackend::softcap(BufferView x, float cap) { unary("softcap_f32", x, x, cap); }
void VulkanBackend::scale(BufferView x, float s) { unary("scale_f32", x, x, s); }
void VulkanBackend::add(BufferView a, BufferView b, BufferView out) { binary("add_f32", a, b, out); }
void VulkanBackend::mul(BufferView a, BufferView b, BufferView out) { binary("mul_f32", a, b, out); }

void VulkanBackend::addBias(BufferView x, const Weight &bias)
{
    if (failed() || x.elements() == 0)
        return;
    auto run = [&]() -> Result<void> {
        if (!bias.valid() || bias.view.type != TensorType::F32 || bias.view.n_cols * bias.view.n_rows < x.ne0)
            return makeError("add_bias: the bias must be F32 with a value per column");
        auto bx = bind(x, x.elements(), true);
        if (!bx)
            return bx.error();
        auto dw = deviceWeight(bias);
        if (!dw)
            return dw.error();
        auto p = pipeline("add_bias_f32", 2, sizeof(BiasParams), {k_elementBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const size_t n = x.elements();
        const BiasParams params{uint32_t(n), x.ne0, bx->offset};
        const std::array<Binding, 2> bindings{bx->binding, weightBinding(**dw)};
        const auto [gx, gy] = splitGroups(ceilDiv(n, k_elementBlock));
        return b->dispatch(**p, bindings, bytesOf(params), gx, gy);
    };
    dispatchOrFail(run());
}

void VulkanBackend::softmax(BufferView x)
{
    if (failed() || x.elements() == 0)
        return;
    auto run = [&]() -> Result<void> {
        auto bx = bind(x, x.elements(), true);
        if (!bx)
            return bx.error();
        auto p = pipeline(subgroupVariant("softmax_f32"), 1, sizeof(SoftmaxParams), {k_softmaxBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const SoftmaxParams params{x.ne0, x.ne1, bx->offset};
        const auto [gx, gy] = splitGroups(x.ne1);
        return b->dispatch(**p, std::span(&bx->binding, 1), bytesOf(params), gx, gy);
    };
    dispatchOrFail(run());
}

void VulkanBackend::moeRoute(BufferView logits, uint32_t k, bool renormalise, BufferView ids, BufferView weights)
{
    if (failed() || logits.ne1 == 0)
        return;
    auto run = [&]() -> Result<void> {
        if (logits.ne0 > k_maxExperts || k == 0 || k > logits.ne0)
            return makeError("moe_route: " + std::to_string(k) + " of " + std::to_string(logits.ne0) +
                             " experts (at most " + std::to_string(k_maxExperts) + ")");
        auto bl = bind(logits, logits.elements(), false);
        auto bi = bind(ids, size_t(logits.ne1) * k, true);
        auto bw = bind(weights, size_t(logits.ne1) * k, true);
        if (!bl || !bi || !bw)
            return (!bl ? bl : !bi ? bi : bw).error();
        auto p = pipeline("moe_route_f32", 3, sizeof(RouteParams), {k_routeBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const RouteParams params{logits.ne0, logits.ne1, k, renormalise ? 1u : 0u, bl->offset, bi->offset, bw->offset};
        const std::array<Binding, 3> bindings{bl->binding, bi->binding, bw->binding};
        return b->dispatch(**p, bindings, bytesOf(params), ceilDiv(logits.ne1, k_routeBlock));
    };
    dispatchOrFail(run());
}

void VulkanBackend::moeCombine(BufferView expertOut, BufferView weights, BufferView out)
{
    if (failed() || out.elements() == 0)
        return;
    auto run = [&]() -> Result<void> {
        const uint32_t k = weights.ne0;
        auto be = bind(expertOut, size_t(out.ne1) * k * expertOut.ne0, false);
        auto bw = bind(weights, size_t(out.ne1) * k, false);
        auto bo = bind(out, out.elements(), true);
        if (!be || !bw || !bo)
            return (!be ? be : !bw ? bw : bo).error();
        auto p = pipeline("moe_combine_f32", 3, sizeof(CombineParams), {k_combineBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        const CombineParams params{out.ne0, k, be->offset, expertOut.ne0, bw->offset, bo->offset};
        const std::array<Binding, 3> bindings{be->binding, bw->binding, bo->binding};
        return b->dispatch(**p, bindings, bytesOf(params), ceilDiv(out.ne0, k_combineBlock), out.ne1);
    };
    dispatchOrFail(run());
}

} // namespace parlo::vk
