#include "cpu_matmul.h"

#include "cpu_simd.h"
#include "core/quant/dequantize.h"

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

void matmulRows(const WeightView &w, size_t r0, size_t r1, const float *x, size_t xStride, size_t n_tokens, float *y,
                size_t yStride, std::vector<float> &scratch)
{
    const size_t n = w.n_cols;
    for (size_t r = r0; r < r1; ++r) {
        const std::byte *row = w.data + r * w.rowBytes;
        if (w.type == TensorType::F32) {
            const float *wr = reinterpret_cast<const float *>(row);
            for (size_t t = 0; t < n_tokens; ++t)
                y[t * yStride + r] = dotF32(wr, x + t * xStride, n);
            continue;
        }
        if (w.type == TensorType::F16 && n_tokens == 1) {
            y[r] = dotF16F32(reinterpret_cast<const uint16_t *>(row), x, n);
            continue;
        }
        if (w.type == TensorType::Q4_K && n_tokens <= 2 && hasAvx2Fma()) {
            for (size_t t = 0; t < n_tokens; ++t)
                dotQ4_KF32(row, x + t * xStride, n, y[t * yStride + r]);
            continue;
        }
        if (w.type == TensorType::Q6_K && n_tokens <= 2 && hasAvx2Fma()) {
            for (size_t t = 0; t < n_tokens; ++t)
                dotQ6_KF32(row, x + t * xStride, n, y[t * yStride + r]);
            continue;
        }
        if (w.type == TensorType::Q8_0 && n_tokens <= 2) {
            for (size_t t = 0; t < n_tokens; ++t)
                y[t * yStride + r] = dotQ8_0F32(row, x + t * xStride, n);
            continue;
        }
        if (scratch.size() < n)
            scratch.resize(n);
        if (!dequantizeRowTo(w.type, row, scratch.data(), n)) {
            // prepareWeight refuses unsupported types; this is a programming error, not input.
            for (size_t t = 0; t < n_tokens; ++t)
                y[t * yStride + r] = 0.0f;
            continue;
        }
        for (size_t t = 0; t < n_tokens; ++t)
            y[t * yStride + r] = dotF32(scratch.data(), x + t * xStride, n);
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
