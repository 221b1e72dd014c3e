// OLMo 1 (GGUF "olmo"): the llama layout with parameter-free LayerNorm (no norm tensors at
// all, the final one included), q, k and v clamped to +-clamp_kqv after their projections,
// RoPE on adjacent pairs, usually tied embeddings.
#include "model/arch/arch_common.h"

namespace parlo::model::arch {

Result<void> loadOlmo(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readCommonHParams(f, "olmo", hp, RopeStyle::Normal));
    hp.layerNorm = true;
    hp.norm_eps = optionalFloat(f, "olmo.attention.layer_norm_epsilon", 1e-5f);
    hp.clamp_kqv = optionalFloat(f, "olmo.attention.clamp_kqv", 0.0f);
    if (hp.clamp_kqv < 0.0f)
        return makeError("olmo.attention.clamp_kqv must not be negative");
    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, "olmo", hp, w, bind, false));
    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff;
    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(bind(l.wq, p + "attn_q.weight", {n_embd, n_q}));
        PARLO_TRY(bind(l.wk, p + "attn_k.weight", {n_embd, n_kv}));
        PARLO_TRY(bind(l.wv, p + "attn_v.weight", {n_embd, n_kv}));
        PARLO_TRY(bind(l.wo, p + "attn_output.weight", {n_q, n_embd}));
        PARLO_TRY(bind(l.ffn_gate, p + "ffn_gate.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_up, p + "ffn_up.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
    }
    return requireF32(w);
}

} // namespace parlo::model::arch
