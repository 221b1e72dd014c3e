// Phi-3, Phi-3.5 and Phi-4-mini (GGUF "phi3"): pre-norm RMSNorm and NeoX RoPE, with q, k and
// v fused in one attn_qkv tensor and gate and up fused in ffn_up ([n_embd, 2 * n_ff], gate
// first). The fused tensors are split into row slices of the mapping, so nothing is copied.
// Phi-3's sliding window is ignored, as llama.cpp does.
#include "model/arch/arch_common.h"

namespace parlo::model::arch {

Result<void> loadPhi3(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readCommonHParams(f, "phi3", hp, RopeStyle::NeoX));
    if (f.findTensor("rope_factors_long.weight") || f.findTensor("rope_factors_short.weight"))
        return makeError("LongRoPE scaling (rope_factors_long/short) is not supported yet");
    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, "phi3", hp, w, bind));
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
