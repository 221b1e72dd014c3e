// Falcon 7B, 40B and their fine-tunes (GGUF "falcon"): a LayerNorm with bias per layer
// feeding attention and the MLP in parallel, q/k/v fused in attn_qkv (q, then k, then v; one
// KV head in 7B, grouped in 40B), NeoX RoPE, a GELU MLP without gate, and a final LayerNorm
// with bias. 40B gives attention its own LayerNorm, attn_norm_2; attn_norm then feeds only
// the MLP.
#include "model/arch/arch_common.h"

namespace parlo::model::arch {

Result<void> loadFalcon(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readCommonHParams(f, "falcon", hp, RopeStyle::NeoX));
    hp.layerNorm = true;
    hp.norm_eps = optionalFloat(f, "falcon.attention.layer_norm_epsilon", 1e-5f);
    hp.parallelBlock = true;
    hp.ffn = HParams::Ffn::Gelu;
    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, "falcon", hp, w, bind));
    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff;
    PARLO_TRY(bind(w.output_norm_b, "output_norm.bias", {n_embd}));
    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(bind(l.attn_norm, p + "attn_norm.weight", {n_embd}));
        PARLO_TRY(bind(l.attn_norm_b, p + "attn_norm.bias", {n_embd}));
        if (bind.has(p + "attn_norm_2.weight") || bind.has(p + "attn_norm_2.bias")) {
            PARLO_TRY(bind(l.attn_norm_2, p + "attn_norm_2.weight", {n_embd}));
            PARLO_TRY(bind(l.attn_norm_2_b, p + "attn_norm_2.bias", {n_embd}));
        }
        Weight qkv;
        PARLO_TRY(bind(qkv, p + "attn_qkv.weight", {n_embd, n_q + 2 * n_kv}));
        l.wq.view = qkv.view.rowSlice(0, n_q);
        l.wk.view = qkv.view.rowSlice(n_q, n_kv);
        l.wv.view = qkv.view.rowSlice(n_q + n_kv, n_kv);
        PARLO_TRY(bind(l.wo, p + "attn_output.weight", {n_q, n_embd}));
        PARLO_TRY(bind(l.ffn_up, p + "ffn_up.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
    }
    return requireF32(w);
}

} // namespace parlo::model::arch
