// The llama family (GGUF architecture "llama"): Llama 2/3/3.1/3.2, Mistral, Mixtral,
// TinyLlama, SmolLM. Pre-norm RMSNorm, RoPE on adjacent pairs, SwiGLU or a Mixtral mixture
// of experts, optional Llama 3 frequency factors and linear rope scaling.
#include "model/arch/arch_common.h"

namespace parlo::model::arch {

Result<void> loadLlama(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readCommonHParams(f, "llama", hp, RopeStyle::Normal));
    hp.n_expert = optionalUInt(f, "llama.expert_count", 0);
    hp.n_expert_used = optionalUInt(f, "llama.expert_used_count", 0);
    if (hp.n_expert > 0 && (hp.n_expert_used == 0 || hp.n_expert_used > hp.n_expert))
        return makeError("expert_used_count " + std::to_string(hp.n_expert_used) + " does not fit expert_count "
                         + std::to_string(hp.n_expert));

    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, "llama", hp, w, bind));
    PARLO_TRY(bind(w.rope_freqs, "rope_freqs.weight", {hp.n_rot / 2}, true));
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
        PARLO_TRY(bind(l.ffn_norm, p + "ffn_norm.weight", {n_embd}));
        if (hp.n_expert == 0) {
            PARLO_TRY(bind(l.ffn_gate, p + "ffn_gate.weight", {n_embd, n_ff}));
            PARLO_TRY(bind(l.ffn_up, p + "ffn_up.weight", {n_embd, n_ff}));
            PARLO_TRY(bind(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
        } else {
            const uint64_t n_exp = hp.n_expert;
            if (bind.has(p + "ffn_gate.0.weight"))
                return makeError("per-expert tensors (" + p + "ffn_gate.0.weight) are an old Mixtral layout; convert the model again");
            PARLO_TRY(bind(l.ffn_gate_inp, p + "ffn_gate_inp.weight", {n_embd, n_exp}));
            PARLO_TRY(bind(l.ffn_gate_exps, p + "ffn_gate_exps.weight", {n_embd, n_ff, n_exp}));
            PARLO_TRY(bind(l.ffn_up_exps, p + "ffn_up_exps.weight", {n_embd, n_ff, n_exp}));
            PARLO_TRY(bind(l.ffn_down_exps, p + "ffn_down_exps.weight", {n_ff, n_embd, n_exp}));
        }
    }
    return requireF32(w);
}

} // namespace parlo::model::arch
