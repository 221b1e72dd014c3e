// Gemma 2 (GGUF "gemma2"): embeddings scaled by sqrt(n_embd), RMSNorm before and after both
// attention and the feed-forward (the file's norm weights already hold Gemma's 1 + w), GeGLU,
// NeoX RoPE, head size independent of n_embd / n_head, attention and final logit soft-caps,
// and a sliding window on the even layers. Tied embeddings.
#include "model/arch/arch_common.h"

#include <cmath>

namespace parlo::model::arch {

Result<void> loadGemma2(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readCommonHParams(f, "gemma2", hp, RopeStyle::NeoX));
    hp.ffn = HParams::Ffn::GeGLU;
    hp.embd_scale = std::sqrt(float(hp.n_embd));
    hp.attn_softcap = optionalFloat(f, "gemma2.attn_logit_softcapping", 50.0f);
    hp.final_softcap = optionalFloat(f, "gemma2.final_logit_softcapping", 30.0f);
    hp.n_swa = optionalUInt(f, "gemma2.attention.sliding_window", 4096);
    if (hp.attn_softcap < 0.0f || hp.final_softcap < 0.0f)
        return makeError("gemma2 soft-caps must not be negative");
    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, "gemma2", hp, w, bind));
    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff;
    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(bind(l.attn_norm, p + "attn_norm.weight", {n_embd}));
        PARLO_TRY(bind(l.wq, p + "attn_q.weight", {n_embd, n_q}));
        PARLO_TRY(bind(l.wk, p + "attn_k.weight", {n_embd, n_kv}));
        PARLO_TRY(bind(l.wv, p + "attn_v.weight", {n_embd, n_kv}));
        PARLO_TRY(bind(l.wo, p + "attn_output.weight", {n_q, n_embd}));
        PARLO_TRY(bind(l.attn_post_norm, p + "post_attention_norm.weight", {n_embd}));
        PARLO_TRY(bind(l.ffn_norm, p + "ffn_norm.weight", {n_embd}));
        PARLO_TRY(bind(l.ffn_gate, p + "ffn_gate.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_up, p + "ffn_up.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
        PARLO_TRY(bind(l.ffn_post_norm, p + "post_ffw_norm.weight", {n_embd}));
    }
    return requireF32(w);
}

} // namespace parlo::model::arch
