#include "cpu_ops.h"

#include "cpu_simd.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace parlo::cpu {

void rope(float *x, size_t t0, size_t t1, uint32_t n_head, uint32_t head_dim, const int32_t *positions,
          const RopeParams &params, const float *freqFactors)
{
    const uint32_t n_rot = params.n_rot, half = n_rot / 2;
    const RopeStyle style = params.style;
    // theta_i = pos * freq_scale * base^(-2i / n_rot) / factor_i, computed in double so the
    // angle is exact to float precision even at long positions.
    std::vector<double> invFreq(half);
    for (uint32_t i = 0; i < half; ++i) {
        double f = std::pow(double(params.freq_base), -2.0 * double(i) / double(n_rot)) * double(params.freq_scale);
        if (freqFactors)
            f /= double(freqFactors[i]);
        invFreq[i] = f;
    }
    std::vector<float> cosv(half), sinv(half);
    for (size_t t = t0; t < t1; ++t) {
        const double pos = double(positions[t]);
        for (uint32_t i = 0; i < half; ++i) {
            const double theta = pos * invFreq[i];
            cosv[i] = float(std::cos(theta) * params.attn_factor);
            sinv[i] = float(std::sin(theta) * params.attn_factor);
        }
        float *row = x + t * size_t(n_head) * head_dim;
        for (uint32_t h = 0; h < n_head; ++h) {
            float *v = row + size_t(h) * head_dim;
            for (uint32_t i = 0; i < half; ++i) {
                const uint32_t a = style == RopeStyle::Normal ? 2 * i : i;
                const uint32_t b = style == RopeStyle::Normal ? 2 * i + 1 : i + half;
                const float x0 = v[a], x1 = v[b];
                v[a] = x0 * cosv[i] - x1 * sinv[i];
                v[b] = x0 * sinv[i] + x1 * cosv[i];
            }
        }
    }
}

void attentionHead(const float *q, const void *kCache, const void *vCache, TensorType kvType, size_t kvStride,
                   size_t kvOffset, uint32_t n_kv, uint32_t head_dim, float scale, float *scratch, float *out,
                   uint32_t first, float softcap)
{
    const bool half = kvType == TensorType::F16;
    float maxScore = -INFINITY;
    for (uint32_t j = first; j < n_kv; ++j) {
        const size_t at = size_t(j) * kvStride + kvOffset;
        const float s = half ? dotF16F32(static_cast<const uint16_t *>(kCache) + at, q, head_dim)
                             : dotF32(static_cast<const float *>(kCache) + at, q, head_dim);
        scratch[j] = softcap > 0.0f ? softcap * std::tanh(s * scale / softcap) : s * scale;
        maxScore = std::max(maxScore, scratch[j]);
    }
    float sum = 0.0f;
    for (uint32_t j = first; j < n_kv; ++j) {
        scratch[j] = std::exp(scratch[j] - maxScore);
        sum += scratch[j];
    }
    std::fill(out, out + head_dim, 0.0f);
    const float inv = 1.0f / sum;
    for (uint32_t j = first; j < n_kv; ++j) {
        const size_t at = size_t(j) * kvStride + kvOffset;
        if (half)
            axpyF16(scratch[j] * inv, static_cast<const uint16_t *>(vCache) + at, out, head_dim);
        else
            axpyF32(scratch[j] * inv, static_cast<const float *>(vCache) + at, out, head_dim);
    }
}

void swiglu(const float *gate, const float *up, float *out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        out[i] = silu(gate[i]) * up[i];
}

void softmaxRow(float *x, size_t n)
{
    if (n == 0)
        return;
    const float maxValue = *std::max_element(x, x + n);
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
        x[i] = std::exp(x[i] - maxValue);
        sum += x[i];
    }
    const float inv = float(1.0 / sum);
    for (size_t i = 0; i < n; ++i)
        x[i] *= inv;
}

void moeRouteRow(const float *logits, uint32_t n_expert, uint32_t k, bool renormalise, int32_t *ids, float *weights)
{
    std::vector<float> probs(logits, logits + n_expert);
    softmaxRow(probs.data(), n_expert);
    std::vector<int32_t> order(n_expert);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return probs[a] > probs[b]; });
    float sum = 0.0f;
    for (uint32_t j = 0; j < k; ++j) {
        ids[j] = order[j];
        weights[j] = probs[order[j]];
        sum += weights[j];
    }
    if (renormalise && sum > 0.0f) {
        for (uint32_t j = 0; j < k; ++j)
            weights[j] /= sum;
    }
}

} // namespace parlo::cpu
