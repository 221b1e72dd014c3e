// Writes random-weight llama-architecture GGUF files of any shape and quantization type,
// through our own GGUF writer and quantizers. Weights are uniform in ±1/sqrt(n_in), so
// activations stay in a realistic range at any depth.
#pragma once

#include "parlo/result.h"
#include "parlo/tensor_type.h"

#include <cstdint>
#include <string>

namespace parlo::tools {

struct LlamaShape
{
    uint32_t n_vocab = 512;
    uint32_t n_embd = 256;
    uint32_t n_layer = 2;
    uint32_t n_head = 8;
    uint32_t n_head_kv = 2;
    uint32_t n_ff = 768;
    uint32_t n_ctx = 2048;
    uint32_t n_expert = 0; // > 0: Mixtral-style merged experts
    uint32_t n_expert_used = 0;
    bool tied = false;
    float rope_freq_base = 10000.0f;
    uint64_t seed = 1;
};

// "F32", "F16", "BF16", "Q8_0", "Q4_0", … or the mixes "Q4_K_M" (Q4_K, with Q6_K for
// output and attn_v) and "Q6_K".
Result<void> writeRandomLlama(const std::string &path, const LlamaShape &shape, const std::string &type);

uint64_t parameterCount(const LlamaShape &shape);

} // namespace parlo::tools
