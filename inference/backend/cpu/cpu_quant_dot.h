// Mat-vec on quantized weights with quantized activations: the activation row is rounded once
// per mat-vec to blocks of 32 int8 with one float scale (Q8_0-style), and each weight block is
// then dotted in integers, so the hot loop never expands weights to floats.
#pragma once

#include "parlo/tensor_type.h"

#include <cstddef>
#include <cstdint>

namespace parlo::cpu {

// 32 activations: value[i] ≈ d * q[i]; sum = Σ q[i] (Q4_K's min term needs it).
struct ActBlock
{
    float d;
    int32_t sum;
    int8_t q[32];
};

// Whether weights of `type` with n_cols columns take the integer path.
bool quantDotSupported(TensorType type, size_t n_cols);

// x [n] (n a multiple of 32) → n/32 blocks, for weights of `weightType`. For the K-quants
// (Q4_K, Q6_K) the eight blocks of each 256 share one scale, as llama.cpp's Q8_K does, so
// their kernels can sum a whole super-block in integers and convert to float once.
void quantizeActivations(TensorType weightType, const float *x, size_t n, ActBlock *out);

// Dot of one weight row of `type` (n values) with n/32 activation blocks. AVX2 when the CPU
// has it, else the scalar version.
float quantDot(TensorType type, const void *row, const ActBlock *x, size_t n);

namespace scalar {
// The portable integer version; the reference for the vector one.
float quantDot(TensorType type, const void *row, const ActBlock *x, size_t n);
} // namespace scalar

} // namespace parlo::cpu
