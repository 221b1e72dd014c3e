#include "cpu_matmul.h"

#include "cpu_simd.h"
#include "core/quant/dequantize.h"

#include <algorithm>
#include <cstring>

namespace parlo::cpu {

bool weightTypeSupported(TensorType type) { return quant::canDequantize(type); }

bool dequantizeRowTo(TensorType type, const std::byte *src, float *dst, size_t n)
{
    switch (type) {
    case TensorType::F32:
        std::memcpy(dst, src, n * sizeof(float));
        return true;
    case TensorType::F16:
        halfToFloatRow(reinterpret_cast<const uint16_t *>(src), dst, n);
        return true;
    case TensorType::BF16:
        for (size_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, src + 2 * i, 2);
            const uint32_t bits = uint32_t(h) << 16;
            std::memcpy(dst + i, &bits, 4);
        }
        return true;
    default: {
        const auto info = tensorTypeInfo(type);
        if (!info)
            return false;
        const size_t bytes = n / info->blockSize * info->bytesPerBlock;
        return quant::dequantizeRow(type, {src, bytes}, {dst, n}).ok();
    }
    }
}

namespace {

// Mat-vec (one or two tokens): one row at a time, fused kernels where the type has one.
void matvecRows(const WeightView &w, size_t r0, size_t r1, const float *x, size_t xStride, size_t n_tokens, float *y,
                size_t yStride, std::vector<float> &scratch)
{
    const size_t n = w.n_cols;
    for (size_t r = r0; r < r1; ++r) {
        const std::byte *row = w.data + r * w.rowBytes;
        for (size_t t = 0; t < n_tokens; ++t) {
            const float *xt = x + t * xStride;
            float &out = y[t * yStride + r];
            switch (w.type) {
            case TensorType::F32:
                out = dotF32(reinterpret_cast<const float *>(row), xt, n);
                continue;
            case TensorType::F16:
                out = dotF16F32(reinterpret_cast<const uint16_t *>(row), xt, n);
                continue;
            case TensorType::Q8_0:
                out = dotQ8_0F32(row, xt, n);
                continue;
            case TensorType::Q4_K:
                if (dotQ4_KF32(row, xt, n, out))
                    continue;
                break;
            case TensorType::Q6_K:
                if (dotQ6_KF32(row, xt, n, out))
                    continue;
                break;
            default:
                break;
            }
            if (scratch.size() < n)
                scratch.resize(n);
            if (t == 0 && !dequantizeRowTo(w.type, row, scratch.data(), n))
                std::fill(scratch.begin(), scratch.begin() + ptrdiff_t(n), 0.0f); // prepareWeight refuses such types
            out = dotF32(scratch.data(), xt, n);
        }
    }
}

} // namespace

void matmulRows(const WeightView &w, size_t r0, size_t r1, const float *x, size_t xStride, size_t n_tokens, float *y,
                size_t yStride, std::vector<float> &scratch)
{
    if (n_tokens <= 2)
        return matvecRows(w, r0, r1, x, xStride, n_tokens, y, yStride, scratch);
    // Batches: expand four rows into scratch (in cache), then run every token against all
    // four, so each activation row is loaded once per four weight rows.
    const size_t n = w.n_cols;
    if (scratch.size() < 4 * n)
        scratch.resize(4 * n);
    for (size_t r = r0; r < r1; r += 4) {
        const size_t count = std::min<size_t>(4, r1 - r);
        const float *rows[4];
        for (size_t k = 0; k < 4; ++k) {
            const size_t rr = r + std::min(k, count - 1); // repeat the last row to fill the group
            const std::byte *src = w.data + rr * w.rowBytes;
            if (w.type == TensorType::F32) {
                rows[k] = reinterpret_cast<const float *>(src);
            } else {
                float *dst = scratch.data() + k * n;
                if (k < count && !dequantizeRowTo(w.type, src, dst, n))
                    std::fill(dst, dst + n, 0.0f);
                rows[k] = k < count ? dst : rows[count - 1];
            }
        }
        for (size_t t = 0; t < n_tokens; ++t) {
            float out[4];
            dot4F32(rows, x + t * xStride, n, out);
            for (size_t k = 0; k < count; ++k)
                y[t * yStride + r + k] = out[k];
        }
    }
}

void matmulReference(const WeightView &w, const float *x, size_t n_tokens, float *y)
{
    std::vector<float> row(w.n_cols);
    for (size_t r = 0; r < w.n_rows; ++r) {
        dequantizeRowTo(w.type, w.data + r * w.rowBytes, row.data(), w.n_cols);
        for (size_t t = 0; t < n_tokens; ++t) {
            double sum = 0.0;
            for (size_t i = 0; i < w.n_cols; ++i)
                sum += double(row[i]) * double(x[t * w.n_cols + i]);
            y[t * w.n_rows + r] = float(sum);
        }
    }
}

} // namespace parlo::cpu
