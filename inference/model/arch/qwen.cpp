// Qwen2/2.5 (GGUF "qwen2") and Qwen3 ("qwen3"): the llama layout with NeoX RoPE (base 1e6 in
// the released models), usually tied embeddings; Qwen2 adds q/k/v biases, Qwen3 instead
// RMS-normalises each query and key head (weights [head_dim]) before RoPE.
#include "model/arch/arch_common.h"

namespace parlo::model::arch {

namespace {

enum class QwenKind { Qwen2, Qwen3 };

Result<void> loadQwen(const gguf::File &f, HParams &hp, ModelWeights &w, QwenKind kind)
{
    const std::string a = kind == QwenKind::Qwen2 ? "qwen2" : "qwen3";
    PARLO_TRY(readCommonHParams(f, a, hp, RopeStyle::NeoX));
    const WeightBinder bind(f);
    PARLO_TRY(bindEmbeddingAndOutput(f, a, hp, w, bind));
    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff, hd = hp.head_dim;
    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(bind(l.attn_norm, p + "attn_norm.weight", {n_embd}));
        PARLO_TRY(bind(l.wq, p + "attn_q.weight", {n_embd, n_q}));
        PARLO_TRY(bind(l.wk, p + "attn_k.weight", {n_embd, n_kv}));
        PARLO_TRY(bind(l.wv, p + "attn_v.weight", {n_embd, n_kv}));
        if (kind == QwenKind::Qwen2) {
            PARLO_TRY(bind(l.bq, p + "attn_q.bias", {n_q}));
            PARLO_TRY(bind(l.bk, p + "attn_k.bias", {n_kv}));
            PARLO_TRY(bind(l.bv, p + "attn_v.bias", {n_kv}));
        } else {
            PARLO_TRY(bind(l.attn_q_norm, p + "attn_q_norm.weight", {hd}));
            PARLO_TRY(bind(l.attn_k_norm, p + "attn_k_norm.weight", {hd}));
        }
        PARLO_TRY(bind(l.wo, p + "attn_output.weight", {n_q, n_embd}));
        PARLO_TRY(bind(l.ffn_norm, p + "ffn_norm.weight", {n_embd}));
        PARLO_TRY(bind(l.ffn_gate, p + "ffn_gate.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_up, p + "ffn_up.weight", {n_embd, n_ff}));
        PARLO_TRY(bind(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
    }
    return requireF32(w);
}

} // namespace

Result<void> loadQwen2(const gguf::File &f, HParams &hp, ModelWeights &w) { return loadQwen(f, hp, w, QwenKind::Qwen2); }
Result<void> loadQwen3(const gguf::File &f, HParams &hp, ModelWeights &w) { return loadQwen(f, hp, w, QwenKind::Qwen3); }

} // namespace parlo::model::arch
