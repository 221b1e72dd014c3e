#include "core/quant/dequantize.h"

#include "core/quant/blocks.h"
#include "core/quant/dequantize_k.h"
#include "core/quant/half.h"

#include <cstring>

namespace parlo::quant {
namespace {

template<typename Block>
Block load(const std::byte *p)
{
    Block b;
    std::memcpy(&b, p, sizeof(Block));
    return b;
}

void blockQ4_0(const std::byte *p, float *y)
{
    const auto b = load<BlockQ4_0>(p);
    const float d = fp16ToFp32(b.d);
    for (int j = 0; j < k_qk / 2; ++j) {
        y[j] = d * float((b.qs[j] & 0x0f) - 8);
        y[j + k_qk / 2] = d * float((b.qs[j] >> 4) - 8);
    }
}

void blockQ4_1(const std::byte *p, float *y)
{
    const auto b = load<BlockQ4_1>(p);
    const float d = fp16ToFp32(b.d);
    const float m = fp16ToFp32(b.m);
    for (int j = 0; j < k_qk / 2; ++j) {
        y[j] = d * float(b.qs[j] & 0x0f) + m;
        y[j + k_qk / 2] = d * float(b.qs[j] >> 4) + m;
    }
}

uint32_t loadQh(const uint8_t *qh)
{
    uint32_t v;
    std::memcpy(&v, qh, 4);
    return v;
}

void blockQ5_0(const std::byte *p, float *y)
{
    const auto b = load<BlockQ5_0>(p);
    const float d = fp16ToFp32(b.d);
    const uint32_t qh = loadQh(b.qh);
    for (int j = 0; j < k_qk / 2; ++j) {
        const int lo = int((b.qs[j] & 0x0f) | (((qh >> j) & 1u) << 4));
        const int hi = int((b.qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4));
        y[j] = d * float(lo - 16);
        y[j + k_qk / 2] = d * float(hi - 16);
    }
}

void blockQ5_1(const std::byte *p, float *y)
{
    const auto b = load<BlockQ5_1>(p);
    const float d = fp16ToFp32(b.d);
    const float m = fp16ToFp32(b.m);
    const uint32_t qh = loadQh(b.qh);
    for (int j = 0; j < k_qk / 2; ++j) {
        const int lo = int((b.qs[j] & 0x0f) | (((qh >> j) & 1u) << 4));
        const int hi = int((b.qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4));
        y[j] = d * float(lo) + m;
        y[j + k_qk / 2] = d * float(hi) + m;
    }
}

void blockQ8_0(const std::byte *p, float *y)
{
    const auto b = load<BlockQ8_0>(p);
    const float d = fp16ToFp32(b.d);
    for (int j = 0; j < k_qk; ++j)
        y[j] = d * float(b.qs[j]);
}

void blockIQ4_NL(const std::byte *p, float *y)
{
    const auto b = load<BlockIQ4_NL>(p);
    const float d = fp16ToFp32(b.d);
    for (int j = 0; j < k_qk / 2; ++j) {
        y[j] = d * float(k_iq4nlValues[b.qs[j] & 0x0f]);
        y[j + k_qk / 2] = d * float(k_iq4nlValues[b.qs[j] >> 4]);
    }
}

using BlockFn = void (*)(const std::byte *, float *);

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
    case TensorType::Q2_K:
        return dequantizeBlockQ2_K;
    case TensorType::Q3_K:
        return dequantizeBlockQ3_K;
    case TensorType::Q4_K:
        return dequantizeBlockQ4_K;
    case TensorType::Q5_K:
        return dequantizeBlockQ5_K;
    case TensorType::Q6_K:
        return dequantizeBlockQ6_K;
    case TensorType::IQ4_NL:
        return blockIQ4_NL;
    case TensorType::IQ4_XS:
        return dequantizeBlockIQ4_XS;
    default:
        return nullptr;
    }
}

} // namespace

bool canDequantize(TensorType type)
{
    return type == TensorType::F32 || type == TensorType::F16 || type == TensorType::BF16 ||
           blockFunction(type) != nullptr;
}

Result<void> dequantize(TensorType type, std::span<const std::byte> src, std::span<float> dst)
{
    if (!canDequantize(type))
        return makeError("cannot dequantize tensor type " + tensorTypeName(uint32_t(type)) +
                         ": Parlo does not support it");
    const auto info = tensorTypeInfo(type);
    const auto bytes = tensorBytes(type, dst.size());
    if (!bytes)
        return makeError(std::to_string(dst.size()) + " values are not a whole number of " + std::string(info->name) +
                         " blocks of " + std::to_string(info->blockSize));
    if (*bytes != src.size())
        return makeError(std::to_string(dst.size()) + " " + std::string(info->name) + " values take " +
                         std::to_string(*bytes) + " bytes, but " + std::to_string(src.size()) + " were given");
    const std::byte *p = src.data();
    float *y = dst.data();
    const size_t n = dst.size();
    switch (type) {
    case TensorType::F32:
        if (n)
            std::memcpy(y, p, n * sizeof(float));
        return {};
    case TensorType::F16:
        for (size_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, p + 2 * i, 2);
            y[i] = fp16ToFp32(h);
        }
        return {};
    case TensorType::BF16:
        for (size_t i = 0; i < n; ++i) {
            uint16_t h;
            std::memcpy(&h, p + 2 * i, 2);
            y[i] = bf16ToFp32(h);
        }
        return {};
    default:
        break;
    }
    const BlockFn fn = blockFunction(type);
    const size_t blocks = n / info->blockSize;
    for (size_t b = 0; b < blocks; ++b)
        fn(p + b * info->bytesPerBlock, y + b * info->blockSize);
    return {};
}

} // namespace parlo::quant
