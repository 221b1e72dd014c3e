#include "cpu_simd.h"

#include "core/quant/blocks.h"
#include "core/quant/half.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define PARLO_X86 1
#endif

namespace parlo::cpu {

float halfToFloat(uint16_t h) { return quant::fp16ToFp32(h); }

uint16_t floatToHalf(float f) { return quant::fp32ToFp16(f); }

namespace scalar {

float dotF32(const float *a, const float *b, size_t n)
{
    float sum = 0.0f;
    for (size_t i = 0; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

float dotF16F32(const uint16_t *a, const float *b, size_t n)
{
    float sum = 0.0f;
    for (size_t i = 0; i < n; ++i)
        sum += halfToFloat(a[i]) * b[i];
    return sum;
}

} // namespace scalar

#ifdef PARLO_X86
namespace {

#define PARLO_AVX2 __attribute__((target("avx2,fma,f16c")))

PARLO_AVX2 inline float hsum(__m256 v)
{
    __m128 lo = _mm256_castps256_ps128(v);
    __m128 hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

PARLO_AVX2 float dotF32Avx2(const float *a, const float *b, size_t n)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8)
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    float sum = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; ++i)
        sum += a[i] * b[i];
    return sum;
}

PARLO_AVX2 void dot4F32Avx2(const float *const rows[4], const float *x, size_t n, float out[4])
{
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    const float *r0 = rows[0], *r1 = rows[1], *r2 = rows[2], *r3 = rows[3];
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 xv = _mm256_loadu_ps(x + i);
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + i), xv, s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + i), xv, s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + i), xv, s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + i), xv, s3);
    }
    out[0] = hsum(s0);
    out[1] = hsum(s1);
    out[2] = hsum(s2);
    out[3] = hsum(s3);
    for (; i < n; ++i) {
        out[0] += r0[i] * x[i];
        out[1] += r1[i] * x[i];
        out[2] += r2[i] * x[i];
        out[3] += r3[i] * x[i];
    }
}

PARLO_AVX2 inline __m256 loadHalf8(const uint16_t *p)
{
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
}

PARLO_AVX2 float dotF16F32Avx2(const uint16_t *a, const float *b, size_t n)
{
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(loadHalf8(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(loadHalf8(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
        s2 = _mm256_fmadd_ps(loadHalf8(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
        s3 = _mm256_fmadd_ps(loadHalf8(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8)
        s0 = _mm256_fmadd_ps(loadHalf8(a + i), _mm256_loadu_ps(b + i), s0);
    float sum = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; ++i)
        sum += _cvtsh_ss(a[i]) * b[i];
    return sum;
}

PARLO_AVX2 void halfToFloatRowAvx2(const uint16_t *src, float *dst, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dst + i, loadHalf8(src + i));
    for (; i < n; ++i)
        dst[i] = _cvtsh_ss(src[i]);
}

PARLO_AVX2 void floatToHalfRowAvx2(const float *src, uint16_t *dst, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; ++i)
        dst[i] = floatToHalf(src[i]);
}

PARLO_AVX2 void axpyF32Avx2(float a, const float *x, float *y, size_t n)
{
    const __m256 va = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i)
        y[i] += a * x[i];
}

PARLO_AVX2 void axpyF16Avx2(float a, const uint16_t *x, float *y, size_t n)
{
    const __m256 va = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, loadHalf8(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i)
        y[i] += a * _cvtsh_ss(x[i]);
}

PARLO_AVX2 inline __m256 loadInt8x8(const int8_t *p)
{
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(p))));
}

PARLO_AVX2 float dotQ8_0F32Avx2(const void *blocks, const float *x, size_t n)
{
    const auto *b = static_cast<const uint8_t *>(blocks);
    __m256 acc = _mm256_setzero_ps();
    for (size_t i = 0; i < n; i += 32, b += 34) {
        uint16_t dh;
        __builtin_memcpy(&dh, b, 2);
        const auto *q = reinterpret_cast<const int8_t *>(b + 2);
        __m256 s = _mm256_mul_ps(loadInt8x8(q), _mm256_loadu_ps(x + i));
        s = _mm256_fmadd_ps(loadInt8x8(q + 8), _mm256_loadu_ps(x + i + 8), s);
        s = _mm256_fmadd_ps(loadInt8x8(q + 16), _mm256_loadu_ps(x + i + 16), s);
        s = _mm256_fmadd_ps(loadInt8x8(q + 24), _mm256_loadu_ps(x + i + 24), s);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(dh)), s, acc);
    }
    return hsum(acc);
}

PARLO_AVX2 inline __m256 nibblesToFloat(__m128i bytes8)
{
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes8));
}

PARLO_AVX2 float dotQ4_KF32Avx2(const void *blocks, const float *x, size_t n)
{
    const auto *b = static_cast<const uint8_t *>(blocks);
    const __m128i lowMask = _mm_set1_epi8(0x0F);
    float total = 0.0f;
    for (size_t i = 0; i < n; i += 256, b += 144) {
        uint16_t dh, mh;
        __builtin_memcpy(&dh, b, 2);
        __builtin_memcpy(&mh, b + 2, 2);
        const float d = _cvtsh_ss(dh), dmin = _cvtsh_ss(mh);
        const uint8_t *scales = b + 4;
        const uint8_t *qs = b + 16;
        const float *xb = x + i;
        __m256 acc = _mm256_setzero_ps();
        float minSum = 0.0f;
        for (int chunk = 0; chunk < 4; ++chunk, qs += 32, xb += 64) {
            uint8_t sc1, m1, sc2, m2;
            quant::unpackScaleMinK4(2 * chunk, scales, sc1, m1);
            quant::unpackScaleMinK4(2 * chunk + 1, scales, sc2, m2);
            __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps(), xlo = _mm256_setzero_ps(), xhi = _mm256_setzero_ps();
            for (int k = 0; k < 32; k += 16) {
                const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i *>(qs + k));
                const __m128i l = _mm_and_si128(raw, lowMask);
                const __m128i h = _mm_and_si128(_mm_srli_epi16(raw, 4), lowMask);
                const __m256 xl0 = _mm256_loadu_ps(xb + k), xl1 = _mm256_loadu_ps(xb + k + 8);
                const __m256 xh0 = _mm256_loadu_ps(xb + 32 + k), xh1 = _mm256_loadu_ps(xb + 32 + k + 8);
                lo = _mm256_fmadd_ps(nibblesToFloat(l), xl0, lo);
                lo = _mm256_fmadd_ps(nibblesToFloat(_mm_srli_si128(l, 8)), xl1, lo);
                hi = _mm256_fmadd_ps(nibblesToFloat(h), xh0, hi);
                hi = _mm256_fmadd_ps(nibblesToFloat(_mm_srli_si128(h, 8)), xh1, hi);
                xlo = _mm256_add_ps(xlo, _mm256_add_ps(xl0, xl1));
                xhi = _mm256_add_ps(xhi, _mm256_add_ps(xh0, xh1));
            }
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d * sc1), lo, acc);
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d * sc2), hi, acc);
            minSum += dmin * (float(m1) * hsum(xlo) + float(m2) * hsum(xhi));
        }
        total += hsum(acc) - minSum;
    }
    return total;
}

PARLO_AVX2 float dotQ6_KF32Avx2(const void *blocks, const float *x, size_t n)
{
    const auto *b = static_cast<const uint8_t *>(blocks);
    const __m256i low4 = _mm256_set1_epi32(0xF), low2 = _mm256_set1_epi32(3), bias = _mm256_set1_epi32(32);
    __m256 acc = _mm256_setzero_ps();
    for (size_t i = 0; i < n; i += 256, b += 210) {
        const uint8_t *ql = b, *qh = b + 128;
        const auto *sc = reinterpret_cast<const int8_t *>(b + 192);
        uint16_t dh;
        __builtin_memcpy(&dh, b + 208, 2);
        const float d = _cvtsh_ss(dh);
        const float *xb = x + i;
        for (int half = 0; half < 2; ++half, ql += 64, qh += 32, sc += 8, xb += 128) {
            for (int l = 0; l < 32; l += 8) {
                const int is = l / 16;
                const __m256i a = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(ql + l)));
                const __m256i c = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(ql + l + 32)));
                const __m256i h = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(qh + l)));
                const __m256i q1 = _mm256_sub_epi32(_mm256_or_si256(_mm256_and_si256(a, low4), _mm256_slli_epi32(_mm256_and_si256(h, low2), 4)), bias);
                const __m256i q2 = _mm256_sub_epi32(_mm256_or_si256(_mm256_and_si256(c, low4), _mm256_slli_epi32(_mm256_and_si256(_mm256_srli_epi32(h, 2), low2), 4)), bias);
                const __m256i q3 = _mm256_sub_epi32(_mm256_or_si256(_mm256_srli_epi32(a, 4), _mm256_slli_epi32(_mm256_and_si256(_mm256_srli_epi32(h, 4), low2), 4)), bias);
                const __m256i q4 = _mm256_sub_epi32(_mm256_or_si256(_mm256_srli_epi32(c, 4), _mm256_slli_epi32(_mm256_and_si256(_mm256_srli_epi32(h, 6), low2), 4)), bias);
                acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(d * sc[is]), _mm256_cvtepi32_ps(q1)), _mm256_loadu_ps(xb + l), acc);
                acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(d * sc[is + 2]), _mm256_cvtepi32_ps(q2)), _mm256_loadu_ps(xb + l + 32), acc);
                acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(d * sc[is + 4]), _mm256_cvtepi32_ps(q3)), _mm256_loadu_ps(xb + l + 64), acc);
                acc = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(d * sc[is + 6]), _mm256_cvtepi32_ps(q4)), _mm256_loadu_ps(xb + l + 96), acc);
            }
        }
    }
    return hsum(acc);
}

} // namespace
#endif

bool hasAvx2Fma()
{
#ifdef PARLO_X86
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    return has;
#else
    return false;
#endif
}

float dotF32(const float *a, const float *b, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return dotF32Avx2(a, b, n);
#endif
    return scalar::dotF32(a, b, n);
}

float dotF16F32(const uint16_t *a, const float *b, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return dotF16F32Avx2(a, b, n);
#endif
    return scalar::dotF16F32(a, b, n);
}

void dot4F32(const float *const rows[4], const float *x, size_t n, float out[4])
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return dot4F32Avx2(rows, x, n, out);
#endif
    for (int r = 0; r < 4; ++r)
        out[r] = scalar::dotF32(rows[r], x, n);
}

void halfToFloatRow(const uint16_t *src, float *dst, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return halfToFloatRowAvx2(src, dst, n);
#endif
    for (size_t i = 0; i < n; ++i)
        dst[i] = halfToFloat(src[i]);
}

void floatToHalfRow(const float *src, uint16_t *dst, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return floatToHalfRowAvx2(src, dst, n);
#endif
    for (size_t i = 0; i < n; ++i)
        dst[i] = floatToHalf(src[i]);
}

float dotQ8_0F32(const void *blocks, const float *x, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return dotQ8_0F32Avx2(blocks, x, n);
#endif
    const auto *b = static_cast<const uint8_t *>(blocks);
    float sum = 0.0f;
    for (size_t i = 0; i < n; i += 32, b += 34) {
        uint16_t dh;
        __builtin_memcpy(&dh, b, 2);
        const auto *q = reinterpret_cast<const int8_t *>(b + 2);
        float s = 0.0f;
        for (int j = 0; j < 32; ++j)
            s += float(q[j]) * x[i + j];
        sum += halfToFloat(dh) * s;
    }
    return sum;
}

bool dotQ4_KF32(const void *blocks, const float *x, size_t n, float &result)
{
#ifdef PARLO_X86
    if (hasAvx2Fma()) {
        result = dotQ4_KF32Avx2(blocks, x, n);
        return true;
    }
#endif
    (void)blocks;
    (void)x;
    (void)n;
    (void)result;
    return false;
}

bool dotQ6_KF32(const void *blocks, const float *x, size_t n, float &result)
{
#ifdef PARLO_X86
    if (hasAvx2Fma()) {
        result = dotQ6_KF32Avx2(blocks, x, n);
        return true;
    }
#endif
    (void)blocks;
    (void)x;
    (void)n;
    (void)result;
    return false;
}

void axpyF32(float a, const float *x, float *y, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return axpyF32Avx2(a, x, y, n);
#endif
    for (size_t i = 0; i < n; ++i)
        y[i] += a * x[i];
}

void axpyF16(float a, const uint16_t *x, float *y, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma())
        return axpyF16Avx2(a, x, y, n);
#endif
    for (size_t i = 0; i < n; ++i)
        y[i] += a * halfToFloat(x[i]);
}

} // namespace parlo::cpu
