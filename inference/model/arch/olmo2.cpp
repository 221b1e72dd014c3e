// OLMo 2 (GGUF "olmo2"): no pre-norms; the residual branch is normalised after the fact
// (post-attention and post-feed-forward RMSNorm), and the whole q and k projections are
// RMS-normalised (weights [n_embd_q], [n_embd_kv]) before NeoX RoPE.
#include "model/arch/arch_common.h"

namespace parlo::model::arch {

Result<void> loadOlmo2(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readCommonHParams(f, "olmo2", hp, RopeStyle::NeoX));
    hp.preNorm = false;
    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, "olmo2", hp, w, bind));
    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff;
    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(bind(l.wq, p + "attn_q.weight", {n_embd, n_q}));
        PARLO_TRY(bind(l.wk, p + "attn_k.weight", {n_embd, n_kv}));
        PARLO_TRY(bind(l.wv, p + "attn_v.weight", {n_embd, n_kv}));
        PARLO_TRY(bind(l.attn_q_norm, p + "attn_q_norm.weight", {n_q}));
        PARLO_TRY(bind(l.attn_k_norm, p + "attn_k_norm.weight", {n_kv}));
        PARLO_TRY(bind(l.wo, p + "attn_output.weight", {n_q, n_embd}));
        PARLO_TRY(bind(l.attn_post_norm, p + "post_attention_norm.weight", {n_embd}));
        PARLO_TRY(bind(l.ffn_gate, p + "ffn_gate.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_up, p + "ffn_up.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
        PARLO_TRY(bind(l.ffn_post_norm, p + "post_ffw_norm.weight", {n_embd}));
    }
    return requireF32(w);
}

} // namespace parlo::model::arch
