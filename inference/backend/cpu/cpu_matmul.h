// Weight × activation products on the CPU, reading weights in their stored type. Quantized
// rows are expanded one row at a time into a small per-thread scratch inside the loop, so
// the model is never held dequantized; F32 and F16 rows are used in place.
#pragma once

#include "backend/backend.h"

#include <cstddef>
#include <vector>

namespace parlo::cpu {

// Whether rows of `type` can be read by the CPU backend.
bool weightTypeSupported(TensorType type);

// Expands one row of n values of `type` into dst. False for an unsupported type.
bool dequantizeRowTo(TensorType type, const std::byte *src, float *dst, size_t n);

// y[t, r] = dot(W row r, x[t]) for rows [r0, r1) and all n_tokens tokens.
// x [n_tokens, w.n_cols] (row stride xStride), y row stride yStride. scratch grows as needed.
void matmulRows(const WeightView &w, size_t r0, size_t r1, const float *x, size_t xStride, size_t n_tokens, float *y,
                size_t yStride, std::vector<float> &scratch);

// The plain reference: dequantize the whole row, dot in double. For tests.
void matmulReference(const WeightView &w, const float *x, size_t n_tokens, float *y);

} // namespace parlo::cpu
