// Vector primitives of the CPU backend: dot products and conversions in F32 and F16.
// Each has a scalar version (the reference) and an AVX2/FMA/F16C version chosen at run time,
// so one binary runs on any x86-64 and uses what the processor has.
#pragma once

#include <cstddef>
#include <cstdint>

namespace parlo::cpu {

bool hasAvx2Fma();

float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);

float dotF32(const float *a, const float *b, size_t n);
float dotF16F32(const uint16_t *a, const float *b, size_t n);
// out[r] = dot(rows[r], x) for four rows at once: x is loaded once for all four (prefill).
void dot4F32(const float *const rows[4], const float *x, size_t n, float out[4]);
void halfToFloatRow(const uint16_t *src, float *dst, size_t n);
void floatToHalfRow(const float *src, uint16_t *dst, size_t n);
// Q8_0 blocks (F16 scale, 32 int8) · float, n a multiple of 32: the mat-vec hot loop, fused
// so no row is ever expanded to floats in memory.
float dotQ8_0F32(const void *blocks, const float *x, size_t n);
// Q4_K super-blocks (256 values: F16 d and dmin, 12 bytes of 6-bit scales and mins, 128 bytes
// of nibbles) · float, n a multiple of 256. Each 32-value sub-block contributes
// d*scale*Σq·x − dmin*min*Σx. AVX2 only; false when unavailable.
bool dotQ4_KF32(const void *blocks, const float *x, size_t n, float &result);
// Q6_K super-blocks (256 values: 128 bytes low nibbles, 64 bytes high bits, 16 int8 scales,
// F16 d) · float, n a multiple of 256. AVX2 only; false when unavailable.
bool dotQ6_KF32(const void *blocks, const float *x, size_t n, float &result);
// y += a * x
void axpyF32(float a, const float *x, float *y, size_t n);
void axpyF16(float a, const uint16_t *x, float *y, size_t n);

namespace scalar {
float dotF32(const float *a, const float *b, size_t n);
float dotF16F32(const uint16_t *a, const float *b, size_t n);
// out[r] = dot(rows[r], x) for four rows at once: x is loaded once for all four (prefill).
void dot4F32(const float *const rows[4], const float *x, size_t n, float out[4]);
} // namespace scalar

} // namespace parlo::cpu
