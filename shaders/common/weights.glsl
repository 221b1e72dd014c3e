// Reading weight rows in their stored type, dequantized in registers.
//
// The includer declares the weight buffer as `uint wdata[]` (plain 32-bit words, so no 8- or
// 16-bit storage feature is needed and every vendor can run it) and defines one WEIGHT_<TYPE>.
// Addresses are in bytes: blocks of 18, 22 or 210 bytes are not word-aligned, so fields are
// extracted with shifts. The host pads each weight buffer by 16 bytes so that the second word
// of an unaligned read never falls outside it.
//
// Provides:
//   QK, BLOCK_BYTES          elements and bytes per block (1 and 2/4 for the float types)
//   vec4 dequant4(rowOff, i) elements i..i+3 of the row at byte rowOff; i % 4 == 0, all four in
//                            the row (the quantized formats share scales within such a group)
//   float dequant1(rowOff, i) one element, any i
//   FLOAT_WEIGHTS            defined for F32/F16/BF16, whose rows may end mid-group

uint wByte(uint off) { return (wdata[off >> 2] >> ((off & 3u) * 8u)) & 0xFFu; }
uint wU16(uint off) { return (wdata[off >> 2] >> ((off & 2u) * 8u)) & 0xFFFFu; } // off even
uint wU32(uint off)
{
    const uint s = (off & 3u) * 8u;
    const uint lo = wdata[off >> 2];
    return s == 0u ? lo : (lo >> s) | (wdata[(off >> 2) + 1u] << (32u - s));
}
float wF16(uint off) { return unpackHalf2x16(wU16(off)).x; }
vec4 bytes4(uint w) { return vec4(uvec4(w & 0xFFu, (w >> 8) & 0xFFu, (w >> 16) & 0xFFu, w >> 24)); }
vec4 sbytes4(uint w)
{
    const int v = int(w);
    return vec4(bitfieldExtract(v, 0, 8), bitfieldExtract(v, 8, 8), bitfieldExtract(v, 16, 8), bitfieldExtract(v, 24, 8));
}

#if defined(WEIGHT_IQ4_NL) || defined(WEIGHT_IQ4_XS)
// The non-linear 4-bit code book shared by IQ4_NL and IQ4_XS.
const float k_iq4nl[16] = float[16](-127.0, -104.0, -83.0, -65.0, -49.0, -35.0, -22.0, -10.0, 1.0, 13.0, 25.0, 38.0,
                                    53.0, 69.0, 89.0, 113.0);
vec4 iq4Lookup(uint q) // q: four 4-bit codes, one per byte
{
    return vec4(k_iq4nl[q & 0xFu], k_iq4nl[(q >> 8) & 0xFu], k_iq4nl[(q >> 16) & 0xFu], k_iq4nl[(q >> 24) & 0xFu]);
}
#endif

#if defined(WEIGHT_F32) || defined(WEIGHT_F16) || defined(WEIGHT_BF16)
#define FLOAT_WEIGHTS
#define QK 1
#if defined(WEIGHT_F32)
#define BLOCK_BYTES 4
float dequant1(uint rowOff, uint i) { return uintBitsToFloat(wdata[(rowOff >> 2) + i]); }
#elif defined(WEIGHT_F16)
#define BLOCK_BYTES 2
float dequant1(uint rowOff, uint i) { return wF16(rowOff + 2u * i); }
#else
#define BLOCK_BYTES 2
float dequant1(uint rowOff, uint i) { return uintBitsToFloat(wU16(rowOff + 2u * i) << 16); }
#endif
vec4 dequant4(uint rowOff, uint i)
{
#if defined(WEIGHT_F32)
    const uint w = (rowOff >> 2) + i;
    return vec4(uintBitsToFloat(wdata[w]), uintBitsToFloat(wdata[w + 1u]), uintBitsToFloat(wdata[w + 2u]),
                uintBitsToFloat(wdata[w + 3u]));
#else
    const uint off = rowOff + 2u * i;
    if ((off & 3u) == 0u) { // two whole words: the usual case, rows of an even length
        const uint a = wdata[off >> 2], b = wdata[(off >> 2) + 1u];
#if defined(WEIGHT_F16)
        return vec4(unpackHalf2x16(a), unpackHalf2x16(b));
#else
        return vec4(uintBitsToFloat(a << 16), uintBitsToFloat(a & 0xFFFF0000u), uintBitsToFloat(b << 16),
                    uintBitsToFloat(b & 0xFFFF0000u));
#endif
    }
    return vec4(dequant1(rowOff, i), dequant1(rowOff, i + 1u), dequant1(rowOff, i + 2u), dequant1(rowOff, i + 3u));
#endif
}

#else // quantized types: blocks of QK elements

#if defined(WEIGHT_Q4_0) || defined(WEIGHT_IQ4_NL)
#define QK 32
#define BLOCK_BYTES 18 // d f16, qs[16]: element j low nibble of qs[j], element j + 16 the high one
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint q = (wU32(b + 2u + (j & 15u)) >> (j >= 16u ? 4u : 0u)) & 0x0F0F0F0Fu;
#if defined(WEIGHT_Q4_0)
    return wF16(b) * (bytes4(q) - 8.0);
#else
    return wF16(b) * iq4Lookup(q);
#endif
}
#elif defined(WEIGHT_Q4_1)
#define QK 32
#define BLOCK_BYTES 20 // d, m f16, qs[16]
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint q = (wU32(b + 4u + (j & 15u)) >> (j >= 16u ? 4u : 0u)) & 0x0F0F0F0Fu;
    return wF16(b) * bytes4(q) + wF16(b + 2u);
}
#elif defined(WEIGHT_Q5_0) || defined(WEIGHT_Q5_1)
#define QK 32
#if defined(WEIGHT_Q5_0)
#define BLOCK_BYTES 22 // d f16, qh u32 (bit j: fifth bit of element j), qs[16]
#define Q5_QH 2u
#else
#define BLOCK_BYTES 24 // d, m f16, qh u32, qs[16]
#define Q5_QH 4u
#endif
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint qh = wU32(b + Q5_QH) >> j;
    const uint high = ((qh & 1u) | ((qh & 2u) << 7) | ((qh & 4u) << 14) | ((qh & 8u) << 21)) << 4;
    const uint q = ((wU32(b + Q5_QH + 4u + (j & 15u)) >> (j >= 16u ? 4u : 0u)) & 0x0F0F0F0Fu) | high;
#if defined(WEIGHT_Q5_0)
    return wF16(b) * (bytes4(q) - 16.0);
#else
    return wF16(b) * bytes4(q) + wF16(b + 2u);
#endif
}
#elif defined(WEIGHT_Q8_0)
#define QK 32
#define BLOCK_BYTES 34 // d f16, qs[32] int8
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    return wF16(b) * sbytes4(wU32(b + 2u + j));
}
#elif defined(WEIGHT_Q2_K)
#define QK 256
#define BLOCK_BYTES 84 // scales[16] (low nibble scale, high nibble min), qs[64], d, dmin f16
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint q = (wU32(b + 16u + 32u * (j / 128u) + (j % 32u)) >> (2u * ((j % 128u) / 32u))) & 0x03030303u;
    const uint sc = wByte(b + j / 16u);
    return wF16(b + 80u) * float(sc & 0xFu) * bytes4(q) - wF16(b + 82u) * float(sc >> 4);
}
#elif defined(WEIGHT_Q3_K)
#define QK 256
#define BLOCK_BYTES 110 // hmask[32], qs[64], scales[12] (16 six-bit values), d f16
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint n = j / 128u, sub = (j % 128u) / 32u, l = j % 32u;
    const uint q = (wU32(b + 32u + 32u * n + l) >> (2u * sub)) & 0x03030303u;
    const uint hm = (wU32(b + l) >> (4u * n + sub)) & 0x01010101u; // set: no offset; clear: minus 4
    const uint s = j / 16u;
    const uint low = s < 8u ? wByte(b + 96u + s) & 0xFu : wByte(b + 96u + s - 8u) >> 4;
    const uint high = (wByte(b + 104u + s % 4u) >> (2u * (s / 4u))) & 3u;
    const float scale = wF16(b + 108u) * float(int(low | (high << 4)) - 32);
    return scale * (bytes4(q) - 4.0 * (1.0 - bytes4(hm)));
}
#elif defined(WEIGHT_Q4_K) || defined(WEIGHT_Q5_K)
#define QK 256
#if defined(WEIGHT_Q4_K)
#define BLOCK_BYTES 144 // d, dmin f16, scales[12] (8 six-bit scale/min pairs), qs[128]
#define QS_AT 16u
#else
#define BLOCK_BYTES 176 // d, dmin f16, scales[12], qh[32], qs[128]
#define QS_AT 48u
#endif
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint sb = j / 32u; // sub-block with its own scale and min
    uint sc, m;
    if (sb < 4u) {
        sc = wByte(b + 4u + sb) & 63u;
        m = wByte(b + 8u + sb) & 63u;
    } else {
        sc = (wByte(b + 8u + sb) & 0xFu) | ((wByte(b + sb) >> 6) << 4);
        m = (wByte(b + 8u + sb) >> 4) | ((wByte(b + 4u + sb) >> 6) << 4);
    }
    uint q = (wU32(b + QS_AT + 32u * (j / 64u) + (j % 32u)) >> ((j % 64u) >= 32u ? 4u : 0u)) & 0x0F0F0F0Fu;
#if defined(WEIGHT_Q5_K)
    q |= ((wU32(b + 16u + (j % 32u)) >> sb) & 0x01010101u) << 4;
#endif
    return wF16(b) * float(sc) * bytes4(q) - wF16(b + 2u) * float(m);
}
#elif defined(WEIGHT_Q6_K)
#define QK 256
#define BLOCK_BYTES 210 // ql[128] low nibbles, qh[64] two high bits, scales[16] int8, d f16
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint n = j / 128u, qd = (j % 128u) / 32u, l = j % 32u;
    const uint ql = (wU32(b + 64u * n + l + (qd & 1u) * 32u) >> (qd >= 2u ? 4u : 0u)) & 0x0F0F0F0Fu;
    const uint qh = (wU32(b + 128u + 32u * n + l) >> (2u * qd)) & 0x03030303u;
    const int sc = bitfieldExtract(int(wByte(b + 192u + j / 16u)), 0, 8);
    return wF16(b + 208u) * float(sc) * (bytes4(ql | (qh << 4)) - 32.0);
}
#elif defined(WEIGHT_IQ4_XS)
#define QK 256
#define BLOCK_BYTES 136 // d f16, scales_h u16, scales_l[4], qs[128]: 8 sub-blocks of 32
vec4 dequant4(uint rowOff, uint i)
{
    const uint b = rowOff + (i / QK) * BLOCK_BYTES, j = i % QK;
    const uint ib = j / 32u, jj = j % 32u;
    const uint ls = ((wByte(b + 4u + ib / 2u) >> (4u * (ib % 2u))) & 0xFu) | (((wU16(b + 2u) >> (2u * ib)) & 3u) << 4);
    const uint q = (wU32(b + 8u + 16u * ib + (jj % 16u)) >> (jj >= 16u ? 4u : 0u)) & 0x0F0F0F0Fu;
    return wF16(b) * float(int(ls) - 32) * iq4Lookup(q);
}
#else
#error "define one WEIGHT_<TYPE>"
#endif

float dequant1(uint rowOff, uint i) { return dequant4(rowOff, i & ~3u)[i & 3u]; }

#endif
