// ggml's quantized block layouts, byte for byte (ggml-common.h). A tensor row is a sequence of
// these blocks; `d`/`dmin`/`m` fields are F16 bits (see half.h). All fields are 1- or 2-byte
// types and every size is even, so the structs have no padding and a block at any even offset
// is correctly aligned; the dequantizers still memcpy blocks to stay clear of aliasing rules.
//
// Value formulas (q = stored code, j = position in the block):
//   Q4_0  x = d * (q4 - 8)            Q4_1  x = d * q4 + m
//   Q5_0  x = d * (q5 - 16)           Q5_1  x = d * q5 + m
//   Q8_0  x = d * q8 (signed)
//   Q2_K  x = d * sc4 * q2 - dmin * m4      (16 sub-blocks of 16)
//   Q3_K  x = d * (sc6 - 32) * (q3 - 4)     (16 sub-blocks of 16; high bit set = no -4)
//   Q4_K  x = d * sc6 * q4 - dmin * m6      (8 sub-blocks of 32)
//   Q5_K  x = d * sc6 * q5 - dmin * m6      (8 sub-blocks of 32)
//   Q6_K  x = d * sc8 * (q6 - 32)           (16 sub-blocks of 16)
//   IQ4_NL x = d * k_iq4nlValues[q4]        IQ4_XS x = d * (sc6 - 32) * k_iq4nlValues[q4]
#pragma once

#include <cstddef>
#include <cstdint>

namespace parlo::quant {

inline constexpr int k_qk = 32;   // elements per block of the legacy and IQ4_NL formats
inline constexpr int k_qkK = 256; // elements per super-block of the K and IQ4_XS formats
inline constexpr int k_kScaleBytes = 12;

// Low nibble of byte j holds element j, high nibble element j + 16.
struct BlockQ4_0
{
    uint16_t d;
    uint8_t qs[k_qk / 2];
};
struct BlockQ4_1
{
    uint16_t d;
    uint16_t m;
    uint8_t qs[k_qk / 2];
};
// qh bit j is the fifth bit of element j (little-endian 32-bit word).
struct BlockQ5_0
{
    uint16_t d;
    uint8_t qh[4];
    uint8_t qs[k_qk / 2];
};
struct BlockQ5_1
{
    uint16_t d;
    uint16_t m;
    uint8_t qh[4];
    uint8_t qs[k_qk / 2];
};
struct BlockQ8_0
{
    uint16_t d;
    int8_t qs[k_qk];
};
// scales[i]: low nibble = scale, high nibble = min of sub-block i.
struct BlockQ2_K
{
    uint8_t scales[k_qkK / 16];
    uint8_t qs[k_qkK / 4];
    uint16_t d;
    uint16_t dmin;
};
// hmask: the third bit of each code; scales: 16 six-bit values packed into 12 bytes.
struct BlockQ3_K
{
    uint8_t hmask[k_qkK / 8];
    uint8_t qs[k_qkK / 4];
    uint8_t scales[k_kScaleBytes];
    uint16_t d;
};
// scales: 8 six-bit scales and 8 six-bit mins packed into 12 bytes (see unpackScaleMinK4).
struct BlockQ4_K
{
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[k_kScaleBytes];
    uint8_t qs[k_qkK / 2];
};
struct BlockQ5_K
{
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[k_kScaleBytes];
    uint8_t qh[k_qkK / 8];
    uint8_t qs[k_qkK / 2];
};
// ql: low 4 bits, qh: high 2 bits of each 6-bit code.
struct BlockQ6_K
{
    uint8_t ql[k_qkK / 2];
    uint8_t qh[k_qkK / 4];
    int8_t scales[k_qkK / 16];
    uint16_t d;
};
struct BlockIQ4_NL
{
    uint16_t d;
    uint8_t qs[k_qk / 2];
};
// Sub-block scale i (6 bits) = low nibble from scales_l, high 2 bits from scales_h.
struct BlockIQ4_XS
{
    uint16_t d;
    uint16_t scales_h;
    uint8_t scales_l[k_qkK / 64];
    uint8_t qs[k_qkK / 2];
};

// Sizes as in inference/core/tensor_type.cpp (checked again at run time by the tests).
static_assert(sizeof(BlockQ4_0) == 18);
static_assert(sizeof(BlockQ4_1) == 20);
static_assert(sizeof(BlockQ5_0) == 22);
static_assert(sizeof(BlockQ5_1) == 24);
static_assert(sizeof(BlockQ8_0) == 34);
static_assert(sizeof(BlockQ2_K) == 84);
static_assert(sizeof(BlockQ3_K) == 110);
static_assert(sizeof(BlockQ4_K) == 144);
static_assert(sizeof(BlockQ5_K) == 176);
static_assert(sizeof(BlockQ6_K) == 210);
static_assert(sizeof(BlockIQ4_NL) == 18);
static_assert(sizeof(BlockIQ4_XS) == 136);

// The non-linear 4-bit codebook shared by IQ4_NL and IQ4_XS.
inline constexpr int8_t k_iq4nlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                             1,    13,   25,  38,  53,  69,  89,  113};

// Q4_K/Q5_K: scale and min of sub-block j (0..7) from the 12 packed bytes. Sub-blocks 0-3
// keep 6 bits in bytes 0-7; sub-blocks 4-7 take 4 bits from bytes 8-11 and their top 2 bits
// from the spare high bits of bytes 0-7.
inline void unpackScaleMinK4(int j, const uint8_t *q, uint8_t &scale, uint8_t &min)
{
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = uint8_t((q[j + 4] & 0x0f) | ((q[j - 4] >> 6) << 4));
        min = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

} // namespace parlo::quant
