// Phi-3, Phi-3.5 and Phi-4-mini (GGUF "phi3"): pre-norm RMSNorm and NeoX RoPE, with q, k and
// v fused in one attn_qkv tensor and gate and up fused in ffn_up ([n_embd, 2 * n_ff], gate
// first). The fused tensors are split into row slices of the mapping, so nothing is copied.
// Phi-3's sliding window is ignored, as llama.cpp does. Phi-3.5 and Phi-4-mini extend their
// context with LongRoPE: two sets of frequency factors and a cos/sin scale (see readLongRope).
#include "model/arch/arch_common.h"

#include <cmath>

namespace parlo::model::arch {

namespace {

// rope_factors_short/long.weight, each [n_rot / 2]; both or neither. The transformer picks the
// long ones when its context exceeds the original one. Without an attn_factor key the scale is
// derived as the Hugging Face implementation does: sqrt(1 + ln(s) / ln(original)), where s is
// how far the trained context reaches past the original.
Result<void> readLongRope(const gguf::File &f, const WeightBinder &bind, HParams &hp, ModelWeights &w)
{
    const bool hasShort = bind.has("rope_factors_short.weight"), hasLong = bind.has("rope_factors_long.weight");
    if (!hasShort && !hasLong)
        return {};
    if (hasShort != hasLong)
        return makeError("LongRoPE needs both rope_factors_short and rope_factors_long; the file has only one");
    PARLO_TRY(bind(w.rope_factors_short, "rope_factors_short.weight", {hp.n_rot / 2}));
    PARLO_TRY(bind(w.rope_factors_long, "rope_factors_long.weight", {hp.n_rot / 2}));
    hp.n_ctx_orig = optionalUInt(f, "phi3.rope.scaling.original_context_length", hp.n_ctx_train);
    if (hp.n_ctx_orig == 0)
        return makeError("phi3.rope.scaling.original_context_length must be positive");
    if (const auto factor = f.getFloat("phi3.rope.scaling.attn_factor")) {
        hp.rope_attn_factor = float(*factor);
    } else if (hp.n_ctx_train > hp.n_ctx_orig && hp.n_ctx_orig > 1) {
        const double s = double(hp.n_ctx_train) / double(hp.n_ctx_orig);
        hp.rope_attn_factor = float(std::sqrt(1.0 + std::log(s) / std::log(double(hp.n_ctx_orig))));
    }
    if (!(hp.rope_attn_factor > 0.0f) || !std::isfinite(hp.rope_attn_factor))
        return makeError("phi3.rope.scaling.attn_factor must be a positive number");
    return {};
}

} // namespace

Result<void> loadPhi3(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readCommonHParams(f, "phi3", hp, RopeStyle::NeoX));
    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, "phi3", hp, w, bind));
    PARLO_TRY(readLongRope(f, bind, hp, w));
    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff;
    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(bind(l.attn_norm, p + "attn_norm.weight", {n_embd}));
        if (bind.has(p + "attn_qkv.weight")) {
            Weight qkv;
            PARLO_TRY(bind(qkv, p + "attn_qkv.weight", {n_embd, n_q + 2 * n_kv}));
            l.wq.view = qkv.view.rowSlice(0, n_q);
            l.wk.view = qkv.view.rowSlice(n_q, n_kv);
            l.wv.view = qkv.view.rowSlice(n_q + n_kv, n_kv);
        } else {
            PARLO_TRY(bind(l.wq, p + "attn_q.weight", {n_embd, n_q}));
            PARLO_TRY(bind(l.wk, p + "attn_k.weight", {n_embd, n_kv}));
            PARLO_TRY(bind(l.wv, p + "attn_v.weight", {n_embd, n_kv}));
        }
        PARLO_TRY(bind(l.wo, p + "attn_output.weight", {n_q, n_embd}));
        PARLO_TRY(bind(l.ffn_norm, p + "ffn_norm.weight", {n_embd}));
        Weight gateUp;
        PARLO_TRY(bind(gateUp, p + "ffn_up.weight", {n_embd, 2 * n_ff}));
        l.ffn_gate.view = gateUp.view.rowSlice(0, n_ff);
        l.ffn_up.view = gateUp.view.rowSlice(n_ff, n_ff);
        PARLO_TRY(bind(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
    }
    return requireF32(w);
}

} // namespace parlo::model::arch
