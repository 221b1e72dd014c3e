// CPU reference for the normalisation ops. Plain, obviously correct loops: every Vulkan
// shader is checked against these.
#pragma once

#include <cstddef>
#include <span>

namespace parlo::cpu {

// y[r, :] = x[r, :] / sqrt(mean(x[r, :]^2) + eps) * weight, for each row r of n_cols values.
// x, y: [n_rows, n_cols]; weight: [n_cols], or empty for no weight. Sums in double.
void rmsNorm(std::span<const float> x, std::span<const float> weight, std::span<float> y, size_t n_cols, float eps);

// y[r, :] = (x[r, :] - mean) / sqrt(var + eps) * weight + bias; weight and bias [n_cols] or
// empty. Mean and variance in double, the variance around the mean (two passes).
void layerNorm(std::span<const float> x, std::span<const float> weight, std::span<const float> bias, std::span<float> y,
               size_t n_cols, float eps);

// GELU, tanh approximation (what llama.cpp computes, up to its f16 table).
float geluTanh(float x);

} // namespace parlo::cpu
