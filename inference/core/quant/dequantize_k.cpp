// Dequantization of the 256-value super-block formats: Q2_K..Q6_K and IQ4_XS.
#include "core/quant/dequantize_k.h"

#include "core/quant/blocks.h"
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
} // namespace

void dequantizeBlockQ2_K(const std::byte *p, float *y)
{
    const auto b = load<BlockQ2_K>(p);
    const float d = fp16ToFp32(b.d);
    const float dmin = fp16ToFp32(b.dmin);
    // Each 128-value half uses 32 bytes of qs; four 2-bit planes, each plane two sub-blocks of 16.
    int sub = 0;
    for (int half = 0; half < 2; ++half) {
        const uint8_t *q = b.qs + 32 * half;
        for (int plane = 0; plane < 4; ++plane) {
            const int shift = 2 * plane;
            for (int group = 0; group < 2; ++group, ++sub) {
                const float dl = d * float(b.scales[sub] & 0x0f);
                const float ml = dmin * float(b.scales[sub] >> 4);
                for (int l = 0; l < 16; ++l)
                    *y++ = dl * float((q[16 * group + l] >> shift) & 3) - ml;
            }
        }
    }
}

void dequantizeBlockQ3_K(const std::byte *p, float *y)
{
    const auto b = load<BlockQ3_K>(p);
    const float d = fp16ToFp32(b.d);
    // 16 six-bit scales: low nibbles from bytes 0-7 (low then high nibble), top two bits from
    // bytes 8-11, two bits per sub-block group of four.
    int scales[16];
    for (int i = 0; i < 16; ++i) {
        const int low = i < 8 ? (b.scales[i] & 0x0f) : (b.scales[i - 8] >> 4);
        const int high = (b.scales[8 + i % 4] >> (2 * (i / 4))) & 3;
        scales[i] = (low | (high << 4)) - 32;
    }
    int sub = 0;
    uint8_t hbit = 1; // one hmask bit per (half, plane): 8 in all
    for (int half = 0; half < 2; ++half) {
        const uint8_t *q = b.qs + 32 * half;
        for (int plane = 0; plane < 4; ++plane, hbit = uint8_t(hbit << 1)) {
            const int shift = 2 * plane;
            for (int group = 0; group < 2; ++group, ++sub) {
                const float dl = d * float(scales[sub]);
                for (int l = 0; l < 16; ++l) {
                    const int idx = 16 * group + l;
                    const int code = int((q[idx] >> shift) & 3) - ((b.hmask[idx] & hbit) ? 0 : 4);
                    *y++ = dl * float(code);
                }
            }
        }
    }
}

void dequantizeBlockQ4_K(const std::byte *p, float *y)
{
    const auto b = load<BlockQ4_K>(p);
    const float d = fp16ToFp32(b.d);
    const float dmin = fp16ToFp32(b.dmin);
    // 32 bytes of qs per 64 values: low nibbles are sub-block 2k, high nibbles sub-block 2k+1.
    for (int pair = 0; pair < 4; ++pair) {
        const uint8_t *q = b.qs + 32 * pair;
        uint8_t sc, mn;
        unpackScaleMinK4(2 * pair, b.scales, sc, mn);
        const float d1 = d * float(sc), m1 = dmin * float(mn);
        unpackScaleMinK4(2 * pair + 1, b.scales, sc, mn);
        const float d2 = d * float(sc), m2 = dmin * float(mn);
        for (int l = 0; l < 32; ++l)
            *y++ = d1 * float(q[l] & 0x0f) - m1;
        for (int l = 0; l < 32; ++l)
            *y++ = d2 * float(q[l] >> 4) - m2;
    }
}

void dequantizeBlockQ5_K(const std::byte *p, float *y)
{
    const auto b = load<BlockQ5_K>(p);
    const float d = fp16ToFp32(b.d);
    const float dmin = fp16ToFp32(b.dmin);
    // Like Q4_K; the fifth bit of value l of sub-block s is bit s of qh[l].
    for (int pair = 0; pair < 4; ++pair) {
        const uint8_t *q = b.qs + 32 * pair;
        const uint8_t bitLo = uint8_t(1u << (2 * pair));
        const uint8_t bitHi = uint8_t(2u << (2 * pair));
        uint8_t sc, mn;
        unpackScaleMinK4(2 * pair, b.scales, sc, mn);
        const float d1 = d * float(sc), m1 = dmin * float(mn);
        unpackScaleMinK4(2 * pair + 1, b.scales, sc, mn);
        const float d2 = d * float(sc), m2 = dmin * float(mn);
        for (int l = 0; l < 32; ++l)
            *y++ = d1 * float((q[l] & 0x0f) + ((b.qh[l] & bitLo) ? 16 : 0)) - m1;
        for (int l = 0; l < 32; ++l)
            *y++ = d2 * float((q[l] >> 4) + ((b.qh[l] & bitHi) ? 16 : 0)) - m2;
    }
}

void dequantizeBlockQ6_K(const std::byte *p, float *y)
{
    const auto b = load<BlockQ6_K>(p);
    const float d = fp16ToFp32(b.d);
    // Per 128 values: 64 bytes of ql, 32 of qh, 8 scales. Value l + 32k takes ql's low (k even)
    // or high (k odd) nibble from ql[l] (k < 2) or ql[l + 32], and bits 2k..2k+1 of qh[l].
    for (int half = 0; half < 2; ++half) {
        const uint8_t *ql = b.ql + 64 * half;
        const uint8_t *qh = b.qh + 32 * half;
        const int8_t *sc = b.scales + 8 * half;
        for (int l = 0; l < 32; ++l) {
            const int s = l / 16;
            const int q1 = int((ql[l] & 0x0f) | (((qh[l] >> 0) & 3) << 4)) - 32;
            const int q2 = int((ql[l + 32] & 0x0f) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q3 = int((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q4 = int((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            y[l] = d * float(sc[s] * q1);
            y[l + 32] = d * float(sc[s + 2] * q2);
            y[l + 64] = d * float(sc[s + 4] * q3);
            y[l + 96] = d * float(sc[s + 6] * q4);
        }
        y += 128;
    }
}

void dequantizeBlockIQ4_XS(const std::byte *p, float *y)
{
    const auto b = load<BlockIQ4_XS>(p);
    const float d = fp16ToFp32(b.d);
    for (int sub = 0; sub < 8; ++sub) {
        const int low = (b.scales_l[sub / 2] >> (4 * (sub % 2))) & 0x0f;
        const int high = (b.scales_h >> (2 * sub)) & 3;
        const float dl = d * float((low | (high << 4)) - 32);
        const uint8_t *q = b.qs + 16 * sub;
        for (int j = 0; j < 16; ++j) {
            y[j] = dl * float(k_iq4nlValues[q[j] & 0x0f]);
            y[j + 16] = dl * float(k_iq4nlValues[q[j] >> 4]);
        }
        y += 32;
    }
}

} // namespace parlo::quant
