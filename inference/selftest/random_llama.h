// Random-weight llama-architecture models of any shape and weight type, built in memory
// through our GGUF writer and quantizers. The device self-test runs one on each device; the
// test tool tests/tools/model_maker writes them to files. Weights are uniform in
// ±1.7/sqrt(n_in), so activations stay in a realistic range at any depth.
#pragma once

#include "parlo/gguf_writer.h"
#include "parlo/result.h"
#include "parlo/tensor_type.h"

#include <cstdint>
#include <optional>
#include <string>

namespace parlo::selftest {

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

// The tensor type named "F32", "Q4_K" …, if Parlo knows it.
std::optional<TensorType> tensorTypeByName(std::string_view name);

// "F32", "F16", "BF16", "Q8_0", "Q4_0", … or the mixes "Q4_K_M" (Q4_K, with Q6_K for output
// and attn_v) and "Q6_K". Norms are always F32. The same shape, type and seed give the same bytes.
Result<gguf::Writer> buildRandomLlama(const LlamaShape &shape, const std::string &type);

uint64_t parameterCount(const LlamaShape &shape);

} // namespace parlo::selftest
