// Hyper-parameters of a loaded model, read from GGUF metadata by the architecture's loader.
#pragma once

#include "backend/backend.h"

#include <cstdint>
#include <string>

namespace parlo::model {

struct HParams
{
    std::string arch;            // general.architecture
    std::string name;            // general.name, for display
    uint32_t n_vocab = 0;
    uint32_t n_ctx_train = 0;    // <arch>.context_length
    uint32_t n_embd = 0;
    uint32_t n_layer = 0;
    uint32_t n_head = 0;
    uint32_t n_head_kv = 0;
    uint32_t head_dim = 0;       // <arch>.attention.key_length, else n_embd / n_head
    uint32_t n_ff = 0;           // per expert in a mixture of experts
    uint32_t n_expert = 0;       // 0: dense
    uint32_t n_expert_used = 0;
    float rms_eps = 1e-5f;
    RopeStyle ropeStyle = RopeStyle::Normal;
    uint32_t n_rot = 0;          // <arch>.rope.dimension_count, else head_dim
    float rope_freq_base = 10000.0f;
    float rope_freq_scale = 1.0f; // 1 / linear scaling factor
    // LongRoPE (Phi-3.5, Phi-4-mini): the long frequency factors apply once the context is
    // longer than n_ctx_orig, and cos/sin are scaled by rope_attn_factor.
    uint32_t n_ctx_orig = 0;      // <arch>.rope.scaling.original_context_length; 0: n_ctx_train
    float rope_attn_factor = 1.0f;
    bool tiedOutput = false;      // no output.weight: the embedding table is reused

    // Family quirks, set by the architecture loaders; the defaults are the llama behaviour.
    enum class Ffn { SwiGLU, GeGLU, Gelu }; // Gelu: up, GELU, down with no gate (Falcon)
    Ffn ffn = Ffn::SwiGLU;
    bool layerNorm = false;       // LayerNorm with norm_eps (Falcon, OLMo) instead of RMSNorm
    float norm_eps = 1e-5f;
    bool preNorm = true;          // false: the sub-layers read the residual stream itself (OLMo2)
    bool parallelBlock = false;   // attention and feed-forward both read one norm of x (Falcon)
    float clamp_kqv = 0.0f;       // > 0: q, k, v clamped to +-clamp_kqv (OLMo)
    float embd_scale = 0.0f;      // > 0: embeddings multiplied by it (Gemma: sqrt(n_embd))
    float attn_softcap = 0.0f;    // > 0: attention scores soft-capped (Gemma 2)
    float final_softcap = 0.0f;   // > 0: logits soft-capped (Gemma 2)
    uint32_t n_swa = 0;           // > 0: sliding window of the even layers (Gemma 2's alternation)
    bool slidingLayer(uint32_t il) const { return n_swa > 0 && il % 2 == 0; }

    // Token ids the engine needs; -1 when the file has none.
    int32_t bos_id = -1;
    int32_t eos_id = -1;
    int32_t eot_id = -1;

    uint32_t n_embd_q() const { return n_head * head_dim; }
    uint32_t n_embd_kv() const { return n_head_kv * head_dim; }
};

} // namespace parlo::model
