// Reference quantizers (float -> blocks) for building test models and round-trip tests:
// F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 follow ggml's reference rounding; Q4_K and Q6_K
// use a simple min/max scale choice (no llama.cpp-style search), so their error is somewhat
// higher than llama-quantize's but every block is valid and decodes with dequantize().
#pragma once

#include "parlo/result.h"
#include "parlo/tensor_type.h"

#include <cstddef>
#include <span>

namespace parlo::quant {

// Encodes src.size() values (a whole number of blocks) into dst, which must be exactly
// tensorBytes(type, src.size()) long.
Result<void> quantize(TensorType type, std::span<const float> src, std::span<std::byte> dst);

bool canQuantize(TensorType type);

} // namespace parlo::quant
