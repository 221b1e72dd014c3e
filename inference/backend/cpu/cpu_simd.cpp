#include "cpu_simd.h"

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
