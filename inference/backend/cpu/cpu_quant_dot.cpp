#include "cpu_quant_dot.h"

#include "cpu_simd.h"
#include "core/quant/blocks.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#define PARLO_X86 1
#endif

namespace parlo::cpu {

namespace {

// Byte sizes of one block as stored: Q8_0 (F16 d, 32 int8), Q4_0 (F16 d, 16 bytes of nibbles),
// Q4_K (144 bytes per 256), Q6_K (210 bytes per 256).
constexpr size_t k_q8_0Bytes = 34, k_q4_0Bytes = 18, k_q4_kBytes = 144, k_q6_kBytes = 210;

float loadHalf(const uint8_t *p)
{
    uint16_t h;
    std::memcpy(&h, p, 2);
    return halfToFloat(h);
}

} // namespace

bool quantDotSupported(TensorType type, size_t n_cols)
{
    switch (type) {
    case TensorType::Q8_0:
    case TensorType::Q4_0:
        return n_cols % 32 == 0;
    case TensorType::Q4_K:
    case TensorType::Q6_K:
        return n_cols % 256 == 0;
    default:
        return false;
    }
}

void quantizeActivations(TensorType weightType, const float *x, size_t n, ActBlock *out)
{
    const bool kQuant = weightType == TensorType::Q4_K || weightType == TensorType::Q6_K;
    const size_t group = kQuant && n % 256 == 0 ? 8 : 1; // blocks sharing one scale
    for (size_t g = 0; g < n / 32; g += group, x += 32 * group) {
        float amax = 0.0f;
        for (size_t i = 0; i < 32 * group; ++i)
            amax = std::max(amax, std::fabs(x[i]));
        const float d = amax / 127.0f;
        const float inv = d > 0.0f ? 1.0f / d : 0.0f;
        for (size_t b = 0; b < group; ++b) {
            ActBlock &block = out[g + b];
            int32_t sum = 0;
            for (int i = 0; i < 32; ++i) {
                const int q = int(std::nearbyint(x[32 * b + i] * inv));
                block.q[i] = int8_t(std::clamp(q, -127, 127));
                sum += block.q[i];
            }
            block.d = d;
            block.sum = sum;
        }
    }
}

namespace scalar {

namespace {

float dotQ8_0(const uint8_t *w, const ActBlock *x, size_t n)
{
    float total = 0.0f;
    for (size_t b = 0; b < n / 32; ++b, w += k_q8_0Bytes) {
        const auto *q = reinterpret_cast<const int8_t *>(w + 2);
        int32_t s = 0;
        for (int i = 0; i < 32; ++i)
            s += int32_t(q[i]) * x[b].q[i];
        total += loadHalf(w) * x[b].d * float(s);
    }
    return total;
}

float dotQ4_0(const uint8_t *w, const ActBlock *x, size_t n)
{
    float total = 0.0f;
    for (size_t b = 0; b < n / 32; ++b, w += k_q4_0Bytes) {
        const uint8_t *qs = w + 2;
        int32_t s = 0;
        for (int i = 0; i < 16; ++i)
            s += (int32_t(qs[i] & 15) - 8) * x[b].q[i] + (int32_t(qs[i] >> 4) - 8) * x[b].q[i + 16];
        total += loadHalf(w) * x[b].d * float(s);
    }
    return total;
}

float dotQ4_K(const uint8_t *w, const ActBlock *x, size_t n)
{
    float total = 0.0f;
    for (size_t sb = 0; sb < n / 256; ++sb, w += k_q4_kBytes, x += 8) {
        const float d = loadHalf(w), dmin = loadHalf(w + 2);
        const uint8_t *scales = w + 4, *qs = w + 16;
        for (int j = 0; j < 4; ++j, qs += 32) {
            uint8_t sc1, m1, sc2, m2;
            quant::unpackScaleMinK4(2 * j, scales, sc1, m1);
            quant::unpackScaleMinK4(2 * j + 1, scales, sc2, m2);
            const ActBlock &lo = x[2 * j], &hi = x[2 * j + 1];
            int32_t slo = 0, shi = 0;
            for (int i = 0; i < 32; ++i) {
                slo += int32_t(qs[i] & 15) * lo.q[i];
                shi += int32_t(qs[i] >> 4) * hi.q[i];
            }
            total += d * (float(sc1) * lo.d * float(slo) + float(sc2) * hi.d * float(shi));
            total -= dmin * (float(m1) * lo.d * float(lo.sum) + float(m2) * hi.d * float(hi.sum));
        }
    }
    return total;
}

float dotQ6_K(const uint8_t *w, const ActBlock *x, size_t n)
{
    float total = 0.0f;
    for (size_t sb = 0; sb < n / 256; ++sb, w += k_q6_kBytes) {
        const float d = loadHalf(w + 208);
        for (int half = 0; half < 2; ++half) {
            const uint8_t *ql = w + 64 * half, *qh = w + 128 + 32 * half;
            const auto *sc = reinterpret_cast<const int8_t *>(w + 192 + 8 * half);
            const ActBlock *xb = x + sb * 8 + 4 * half; // four blocks of 32: +0, +32, +64, +96
            for (int part = 0; part < 4; ++part) {
                int32_t s[2] = {0, 0};
                for (int l = 0; l < 32; ++l) {
                    const uint8_t lowByte = ql[l + (part & 1) * 32];
                    const int low = part < 2 ? (lowByte & 15) : (lowByte >> 4);
                    const int high = (qh[l] >> (2 * part)) & 3;
                    s[l / 16] += (int32_t(low | (high << 4)) - 32) * xb[part].q[l];
                }
                total += d * xb[part].d * float(sc[2 * part] * s[0] + sc[2 * part + 1] * s[1]);
            }
        }
    }
    return total;
}

} // namespace

float quantDot(TensorType type, const void *row, const ActBlock *x, size_t n)
{
    const auto *w = static_cast<const uint8_t *>(row);
    switch (type) {
    case TensorType::Q8_0:
        return dotQ8_0(w, x, n);
    case TensorType::Q4_0:
        return dotQ4_0(w, x, n);
    case TensorType::Q4_K:
        return dotQ4_K(w, x, n);
    case TensorType::Q6_K:
        return dotQ6_K(w, x, n);
    default:
        return 0.0f;
    }
}

} // namespace scalar

#ifdef PARLO_X86
namespace {

#define PARLO_AVX2 __attribute__((target("avx2,fma,f16c")))

PARLO_AVX2 inline float hsum(__m256 v)
{
    __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

// Σ u8 × s8 over 32 bytes as eight int32 lanes (pairs summed in int16: no overflow for the
// value ranges used here, |u| ≤ 128 and |s| ≤ 127).
PARLO_AVX2 inline __m256i dotU8S8(__m256i u, __m256i s)
{
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

PARLO_AVX2 inline __m256i loadX(const ActBlock &b) { return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(b.q)); }

PARLO_AVX2 inline __m256i loadNibbles(const uint8_t *qs) // 16 bytes → low nibbles, then high nibbles
{
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i *>(qs));
    const __m256i both = _mm256_inserti128_si256(_mm256_castsi128_si256(raw), _mm_srli_epi16(raw, 4), 1);
    return _mm256_and_si256(both, _mm256_set1_epi8(15));
}

PARLO_AVX2 float dotQ8_0Avx2(const uint8_t *w, const ActBlock *x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    for (size_t b = 0; b < n / 32; ++b, w += k_q8_0Bytes) {
        const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w + 2));
        const __m256i xq = loadX(x[b]);
        // maddubs wants one unsigned side: move q's sign onto x.
        const __m256i p = dotU8S8(_mm256_sign_epi8(q, q), _mm256_sign_epi8(xq, q));
        uint16_t dh;
        std::memcpy(&dh, w, 2);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(dh) * x[b].d), _mm256_cvtepi32_ps(p), acc);
    }
    return hsum(acc);
}

PARLO_AVX2 float dotQ4_0Avx2(const uint8_t *w, const ActBlock *x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    const __m256i eight = _mm256_set1_epi8(8);
    for (size_t b = 0; b < n / 32; ++b, w += k_q4_0Bytes) {
        const __m256i xq = loadX(x[b]);
        // (nib − 8)·x = nib·x − 8·x, both in int16 pairs before widening.
        const __m256i pairs = _mm256_sub_epi16(_mm256_maddubs_epi16(loadNibbles(w + 2), xq), _mm256_maddubs_epi16(eight, xq));
        const __m256i p = _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
        uint16_t dh;
        std::memcpy(&dh, w, 2);
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(dh) * x[b].d), _mm256_cvtepi32_ps(p), acc);
    }
    return hsum(acc);
}

// Activations share one scale per super-block (see quantizeActivations), so the eight
// sub-block products are weighted by their 6-bit scales in integers (madd with the scale)
// and converted to float once per 256 values. Bounds: nibble × |x| ≤ 15 × 127, two per int16
// lane; times a scale ≤ 63 and summed over 8 sub-blocks stays far inside int32.
PARLO_AVX2 float dotQ4_KAvx2(const uint8_t *w, const ActBlock *x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    float minTotal = 0.0f;
    const __m256i mask = _mm256_set1_epi8(15);
    for (size_t sb = 0; sb < n / 256; ++sb, w += k_q4_kBytes, x += 8) {
        uint16_t dh, mh;
        std::memcpy(&dh, w, 2);
        std::memcpy(&mh, w + 2, 2);
        const float d = _cvtsh_ss(dh), dmin = _cvtsh_ss(mh);
        const uint8_t *scales = w + 4, *qs = w + 16;
        __m256i sums = _mm256_setzero_si256();
        int32_t minSum = 0;
        for (int j = 0; j < 4; ++j, qs += 32) {
            uint8_t sc1, m1, sc2, m2;
            quant::unpackScaleMinK4(2 * j, scales, sc1, m1);
            quant::unpackScaleMinK4(2 * j + 1, scales, sc2, m2);
            const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(qs));
            const __m256i plo = _mm256_maddubs_epi16(_mm256_and_si256(raw, mask), loadX(x[2 * j]));
            const __m256i phi = _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(raw, 4), mask), loadX(x[2 * j + 1]));
            sums = _mm256_add_epi32(sums, _mm256_madd_epi16(plo, _mm256_set1_epi16(sc1)));
            sums = _mm256_add_epi32(sums, _mm256_madd_epi16(phi, _mm256_set1_epi16(sc2)));
            minSum += int32_t(m1) * x[2 * j].sum + int32_t(m2) * x[2 * j + 1].sum;
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d * x[0].d), _mm256_cvtepi32_ps(sums), acc);
        minTotal += dmin * x[0].d * float(minSum);
    }
    return hsum(acc) - minTotal;
}

PARLO_AVX2 float dotQ6_KAvx2(const uint8_t *w, const ActBlock *x, size_t n)
{
    __m256 acc = _mm256_setzero_ps();
    const __m256i low4 = _mm256_set1_epi8(15), low2 = _mm256_set1_epi8(3), bias = _mm256_set1_epi8(32);
    for (size_t sb = 0; sb < n / 256; ++sb, w += k_q6_kBytes) {
        uint16_t dh;
        std::memcpy(&dh, w + 208, 2);
        const float d = _cvtsh_ss(dh);
        __m256i sums = _mm256_setzero_si256();
        for (int half = 0; half < 2; ++half) {
            const uint8_t *ql = w + 64 * half, *qh = w + 128 + 32 * half;
            const auto *sc = reinterpret_cast<const int8_t *>(w + 192 + 8 * half);
            const ActBlock *xb = x + sb * 8 + 4 * half;
            const __m256i l0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(ql));
            const __m256i l1 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(ql + 32));
            const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(qh));
            const __m256i q[4] = {
                _mm256_or_si256(_mm256_and_si256(l0, low4), _mm256_slli_epi16(_mm256_and_si256(h, low2), 4)),
                _mm256_or_si256(_mm256_and_si256(l1, low4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), low2), 4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), low2), 4)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), low2), 4)),
            };
            for (int part = 0; part < 4; ++part) {
                const __m256i xq = loadX(xb[part]);
                // (q − 32)·x as int16 pairs; pairs 0..7 are values 0..15 (first scale), 8..15 the rest.
                const __m256i pairs = _mm256_sub_epi16(_mm256_maddubs_epi16(q[part], xq), _mm256_maddubs_epi16(bias, xq));
                const __m256i scale = _mm256_setr_m128i(_mm_set1_epi16(sc[2 * part]), _mm_set1_epi16(sc[2 * part + 1]));
                sums = _mm256_add_epi32(sums, _mm256_madd_epi16(pairs, scale));
            }
        }
        // One scale for the super-block's activations: one conversion per 256 values.
        // |(q − 32)·x| pairs ≤ 2 × 32 × 127, × |scale| ≤ 128, over 8 parts: inside int32.
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d * x[sb * 8].d), _mm256_cvtepi32_ps(sums), acc);
    }
    return hsum(acc);
}

} // namespace
#endif

float quantDot(TensorType type, const void *row, const ActBlock *x, size_t n)
{
#ifdef PARLO_X86
    if (hasAvx2Fma()) {
        const auto *w = static_cast<const uint8_t *>(row);
        switch (type) {
        case TensorType::Q8_0:
            return dotQ8_0Avx2(w, x, n);
        case TensorType::Q4_0:
            return dotQ4_0Avx2(w, x, n);
        case TensorType::Q4_K:
            return dotQ4_KAvx2(w, x, n);
        case TensorType::Q6_K:
            return dotQ6_KAvx2(w, x, n);
        default:
            break;
        }
    }
#endif
    return scalar::quantDot(type, row, x, n);
}

} // namespace parlo::cpu
