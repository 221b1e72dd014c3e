// IEEE binary16 (F16) and bfloat16 (BF16) conversions, bit-exact and portable (no F16C needed).
// Both directions round to nearest, ties to even, as ggml's converters do; NaN stays NaN.
#pragma once

#include <bit>
#include <cstdint>

namespace parlo::quant {

// F16 bits -> float. Every half value, subnormals and infinities included, is exact in float.
inline float fp16ToFp32(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    const uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24 is exact in float.
        const float magnitude = float(mantissa) * (1.0f / 16777216.0f);
        return std::bit_cast<float>(sign | std::bit_cast<uint32_t>(magnitude));
    }
    if (exponent == 31)
        return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
    return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

// float -> F16 bits. Values beyond the F16 range become infinity.
inline uint16_t fp32ToFp16(float f)
{
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    const uint16_t sign = uint16_t((bits >> 16) & 0x8000u);
    uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) // NaN: keep it quiet and keep the top payload bits
        return uint16_t(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
    if (magnitude >= 0x477ff000u) // >= 65520 rounds past the largest half (65504)
        return uint16_t(sign | 0x7c00u);
    if (magnitude < 0x38800000u) {
        // Below the smallest normal half (2^-14). Adding 0.5 puts the value's bits at the
        // float ulp of 0.5, which is 2^-24 = the half subnormal step, so the float adder does
        // the round-to-nearest-even for us.
        const float shifted = std::bit_cast<float>(magnitude) + 0.5f;
        return uint16_t(sign | (std::bit_cast<uint32_t>(shifted) - 0x3f000000u));
    }
    // Normal: rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits to even.
    // A carry out of the mantissa correctly bumps the exponent.
    const uint32_t odd = (magnitude >> 13) & 1u;
    magnitude += 0xc8000000u + 0xfffu + odd;
    return uint16_t(sign | (magnitude >> 13));
}

inline float bf16ToFp32(uint16_t h) { return std::bit_cast<float>(uint32_t(h) << 16); }

inline uint16_t fp32ToBf16(float f)
{
    const uint32_t bits = std::bit_cast<uint32_t>(f);
    if ((bits & 0x7fffffffu) > 0x7f800000u)
        return uint16_t((bits >> 16) | 0x40u); // quiet NaN
    return uint16_t((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

} // namespace parlo::quant
