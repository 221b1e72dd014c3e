#include "core/quant/quantize.h"

#include "core/quant/blocks.h"
#include "core/quant/half.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace parlo::quant {
namespace {

template<typename Block>
void store(std::byte *p, const Block &b)
{
    std::memcpy(p, &b, sizeof(Block));
}

// The value with the largest magnitude, keeping its sign: scaling it to the most negative
// code uses the one extra level a signed range has on that side.
float signedAbsMax(const float *x, int n)
{
    float amax = 0.0f, max = 0.0f;
    for (int i = 0; i < n; ++i) {
        if (std::fabs(x[i]) > amax) {
            amax = std::fabs(x[i]);
            max = x[i];
        }
    }
    return max;
}

void blockQ4_0(const float *x, std::byte *p)
{
    BlockQ4_0 b{};
    const float d = signedAbsMax(x, k_qk) / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    b.d = fp32ToFp16(d);
    for (int j = 0; j < k_qk / 2; ++j) {
        const int lo = std::min(15, int(x[j] * id + 8.5f));
        const int hi = std::min(15, int(x[j + k_qk / 2] * id + 8.5f));
        b.qs[j] = uint8_t(lo | (hi << 4));
    }
    store(p, b);
}

void minMax(const float *x, int n, float &min, float &max)
{
    min = max = x[0];
    for (int i = 1; i < n; ++i) {
        min = std::min(min, x[i]);
        max = std::max(max, x[i]);
    }
}

void blockQ4_1(const float *x, std::byte *p)
{
    BlockQ4_1 b{};
    float min, max;
    minMax(x, k_qk, min, max);
    const float d = (max - min) / 15.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    b.d = fp32ToFp16(d);
    b.m = fp32ToFp16(min);
    for (int j = 0; j < k_qk / 2; ++j) {
        const int lo = std::min(15, int((x[j] - min) * id + 0.5f));
        const int hi = std::min(15, int((x[j + k_qk / 2] - min) * id + 0.5f));
        b.qs[j] = uint8_t(lo | (hi << 4));
    }
    store(p, b);
}

template<typename Block>
void packQ5(Block &b, const int *codes)
{
    uint32_t qh = 0;
    for (int j = 0; j < k_qk / 2; ++j) {
        const int lo = codes[j], hi = codes[j + k_qk / 2];
        b.qs[j] = uint8_t((lo & 0x0f) | ((hi & 0x0f) << 4));
        qh |= uint32_t((lo >> 4) & 1) << j;
        qh |= uint32_t((hi >> 4) & 1) << (j + k_qk / 2);
    }
    std::memcpy(b.qh, &qh, 4);
}

void blockQ5_0(const float *x, std::byte *p)
{
    BlockQ5_0 b{};
    const float d = signedAbsMax(x, k_qk) / -16.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    b.d = fp32ToFp16(d);
    int codes[k_qk];
    for (int j = 0; j < k_qk; ++j)
        codes[j] = std::min(31, int(x[j] * id + 16.5f));
    packQ5(b, codes);
    store(p, b);
}

void blockQ5_1(const float *x, std::byte *p)
{
    BlockQ5_1 b{};
    float min, max;
    minMax(x, k_qk, min, max);
    const float d = (max - min) / 31.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    b.d = fp32ToFp16(d);
    b.m = fp32ToFp16(min);
    int codes[k_qk];
    for (int j = 0; j < k_qk; ++j)
        codes[j] = std::min(31, int((x[j] - min) * id + 0.5f));
    packQ5(b, codes);
    store(p, b);
}

void blockQ8_0(const float *x, std::byte *p)
{
    BlockQ8_0 b{};
    float amax = 0.0f;
    for (int j = 0; j < k_qk; ++j)
        amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    b.d = fp32ToFp16(d);
    for (int j = 0; j < k_qk; ++j)
        b.qs[j] = int8_t(std::lround(x[j] * id));
    store(p, b);
}

int nearestClamped(float v, int lo, int hi) { return std::clamp(int(std::lround(v)), lo, hi); }

void blockQ4_K(const float *x, std::byte *p)
{
    BlockQ4_K b{};
    // Per sub-block of 32: x ~ scale * q - min with q in 0..15 and min >= 0 (covers 0).
    float scale[8], min[8], maxScale = 0.0f, maxMin = 0.0f;
    for (int s = 0; s < 8; ++s) {
        float lo, hi;
        minMax(x + 32 * s, 32, lo, hi);
        lo = std::min(lo, 0.0f);
        scale[s] = (hi - lo) / 15.0f;
        min[s] = -lo;
        maxScale = std::max(maxScale, scale[s]);
        maxMin = std::max(maxMin, min[s]);
    }
    b.d = fp32ToFp16(maxScale / 63.0f);
    b.dmin = fp32ToFp16(maxMin / 63.0f);
    const float d = fp16ToFp32(b.d), dmin = fp16ToFp32(b.dmin);
    uint8_t sc[8], mn[8];
    for (int s = 0; s < 8; ++s) {
        sc[s] = uint8_t(d > 0.0f ? nearestClamped(scale[s] / d, 0, 63) : 0);
        mn[s] = uint8_t(dmin > 0.0f ? nearestClamped(min[s] / dmin, 0, 63) : 0);
    }
    // Inverse of unpackScaleMinK4.
    for (int s = 0; s < 4; ++s) {
        b.scales[s] = uint8_t(sc[s] | ((sc[s + 4] >> 4) << 6));
        b.scales[s + 4] = uint8_t(mn[s] | ((mn[s + 4] >> 4) << 6));
        b.scales[s + 8] = uint8_t((sc[s + 4] & 0x0f) | ((mn[s + 4] & 0x0f) << 4));
    }
    for (int s = 0; s < 8; ++s) {
        const float dl = d * float(sc[s]), ml = dmin * float(mn[s]);
        uint8_t *q = b.qs + 32 * (s / 2);
        for (int l = 0; l < 32; ++l) {
            const int code = dl > 0.0f ? nearestClamped((x[32 * s + l] + ml) / dl, 0, 15) : 0;
            q[l] = uint8_t(q[l] | (code << (4 * (s % 2))));
        }
    }
    store(p, b);
}

void blockQ6_K(const float *x, std::byte *p)
{
    BlockQ6_K b{};
    // Per sub-block of 16: x ~ scale * c with c in -32..31; scales are int8 times d.
    float scale[16], maxAbsScale = 0.0f;
    for (int s = 0; s < 16; ++s) {
        scale[s] = signedAbsMax(x + 16 * s, 16) / -32.0f;
        maxAbsScale = std::max(maxAbsScale, std::fabs(scale[s]));
    }
    b.d = fp32ToFp16(maxAbsScale / 127.0f);
    const float d = fp16ToFp32(b.d);
    int codes[k_qkK];
    for (int s = 0; s < 16; ++s) {
        b.scales[s] = int8_t(d > 0.0f ? nearestClamped(scale[s] / d, -128, 127) : 0);
        const float dl = d * float(b.scales[s]);
        for (int l = 0; l < 16; ++l)
            codes[16 * s + l] = (dl != 0.0f ? nearestClamped(x[16 * s + l] / dl, -32, 31) : 0) + 32;
    }
    for (int half = 0; half < 2; ++half) {
        const int *c = codes + 128 * half;
        uint8_t *ql = b.ql + 64 * half;
        uint8_t *qh = b.qh + 32 * half;
        for (int l = 0; l < 32; ++l) {
            const int q1 = c[l], q2 = c[l + 32], q3 = c[l + 64], q4 = c[l + 96];
            ql[l] = uint8_t((q1 & 0x0f) | ((q3 & 0x0f) << 4));
            ql[l + 32] = uint8_t((q2 & 0x0f) | ((q4 & 0x0f) << 4));
            qh[l] = uint8_t((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
        }
    }
    store(p, b);
}

using BlockFn = void (*)(const float *, std::byte *);

BlockFn blockFunction(TensorType type)
{
    switch (type) {
    case TensorType::Q4_0:
        return blockQ4_0;
    case TensorType::Q4_1:
        return blockQ4_1;
    case TensorType::Q5_0:
        return blockQ5_0;
    case TensorType::Q5_1:
        return blockQ5_1;
    case TensorType::Q8_0:
        return blockQ8_0;
    case TensorType::Q4_K:
        return blockQ4_K;
    case TensorType::Q6_K:
        return blockQ6_K;
    default:
        return nullptr;
    }
}

} // namespace

bool canQuantize(TensorType type)
{
    return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16 ||
           blockFunction(type) != nullptr;
}

Result<void> quantize(TensorType type, std::span<const float> src, std::span<std::byte> dst)
{
    if (!canQuantize(type))
        return makeError("Parlo cannot quantize to " + tensorTypeName(uint32_t(type)));
    const auto info = tensorTypeInfo(type);
    const auto bytes = tensorBytes(type, src.size());
    if (!bytes)
        return makeError(std::to_string(src.size()) + " values are not a whole number of " +
                         std::string(info->name) + " blocks of " + std::to_string(info->blockSize));
    if (*bytes != dst.size())
        return makeError(std::to_string(src.size()) + " " + std::string(info->name) + " values take " +
                         std::to_string(*bytes) + " bytes, but the destination has " + std::to_string(dst.size()));
    const float *x = src.data();
    std::byte *p = dst.data();
    const size_t n = src.size();
    switch (type) {
    case TensorType::F32:
        if (n)
            std::memcpy(p, x, n * sizeof(float));
        return {};
    case TensorType::F16:
    case TensorType::BF16:
        for (size_t i = 0; i < n; ++i) {
            const uint16_t h = type == TensorType::F16 ? fp32ToFp16(x[i]) : fp32ToBf16(x[i]);
            std::memcpy(p + 2 * i, &h, 2);
        }
        return {};
    default:
        break;
    }
    const BlockFn fn = blockFunction(type);
    for (size_t b = 0; b < n / info->blockSize; ++b)
        fn(x + b * info->blockSize, p + b * info->bytesPerBlock);
    return {};
}

} // namespace parlo::quant
