// CPU reference dequantization for every tensor type Parlo supports (supported == true in
// parlo/tensor_type.h): F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K,
// Q6_K, IQ4_NL and IQ4_XS. This is the ground truth the CPU backend and the Vulkan shaders are
// tested against; it favours clarity over speed.
#pragma once

#include "parlo/result.h"
#include "parlo/tensor_type.h"

#include <cstddef>
#include <span>

namespace parlo::quant {

// Decodes dst.size() values stored as `type` in `src`. dst.size() must be a whole number of
// blocks and src.size() exactly the bytes those blocks take (tensorBytes(type, dst.size())).
// Works on any number of whole blocks: one row, many rows or a whole tensor.
Result<void> dequantize(TensorType type, std::span<const std::byte> src, std::span<float> dst);

// Same as dequantize(); the name reads better at call sites that go row by row.
inline Result<void> dequantizeRow(TensorType type, std::span<const std::byte> src, std::span<float> dst)
{
    return dequantize(type, src, dst);
}

// True for the types dequantize() handles.
bool canDequantize(TensorType type);

} // namespace parlo::quant
