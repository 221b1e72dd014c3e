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
void halfToFloatRow(const uint16_t *src, float *dst, size_t n);
void floatToHalfRow(const float *src, uint16_t *dst, size_t n);
// y += a * x
void axpyF32(float a, const float *x, float *y, size_t n);
void axpyF16(float a, const uint16_t *x, float *y, size_t n);

namespace scalar {
float dotF32(const float *a, const float *b, size_t n);
float dotF16F32(const uint16_t *a, const float *b, size_t n);
} // namespace scalar

} // namespace parlo::cpu
