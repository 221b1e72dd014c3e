#include "cpu_norm.h"

#include <cmath>

namespace parlo::cpu {

void rmsNorm(std::span<const float> x, std::span<const float> weight, std::span<float> y, size_t n_cols, float eps)
{
    if (n_cols == 0)
        return;
    const size_t n_rows = x.size() / n_cols;
    for (size_t r = 0; r < n_rows; ++r) {
        const float *row = x.data() + r * n_cols;
        double sum_sq = 0.0;
        for (size_t i = 0; i < n_cols; ++i)
            sum_sq += double(row[i]) * double(row[i]);
        const float scale = float(1.0 / std::sqrt(sum_sq / double(n_cols) + double(eps)));
        float *out = y.data() + r * n_cols;
        for (size_t i = 0; i < n_cols; ++i)
            out[i] = row[i] * scale * (weight.empty() ? 1.0f : weight[i]);
    }
}

void layerNorm(std::span<const float> x, std::span<const float> weight, std::span<const float> bias, std::span<float> y,
               size_t n_cols, float eps)
{
    if (n_cols == 0)
        return;
    const size_t n_rows = x.size() / n_cols;
    for (size_t r = 0; r < n_rows; ++r) {
        const float *row = x.data() + r * n_cols;
        double sum = 0.0;
        for (size_t i = 0; i < n_cols; ++i)
            sum += row[i];
        const double mean = sum / double(n_cols);
        double sum_sq = 0.0;
        for (size_t i = 0; i < n_cols; ++i)
            sum_sq += (row[i] - mean) * (row[i] - mean);
        const double scale = 1.0 / std::sqrt(sum_sq / double(n_cols) + double(eps));
        float *out = y.data() + r * n_cols;
        for (size_t i = 0; i < n_cols; ++i) {
            float v = float((row[i] - mean) * scale);
            if (!weight.empty())
                v *= weight[i];
            if (!bias.empty())
                v += bias[i];
            out[i] = v;
        }
    }
}

float geluTanh(float x)
{
    return 0.5f * x * (1.0f + std::tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
}

} // namespace parlo::cpu
