// One-super-block decoders of the 256-value formats (dequantize_k.cpp); internal to quant/.
// Each reads one block at `p` (any alignment) and writes 256 floats to `y`.
#pragma once

#include <cstddef>

namespace parlo::quant {

void dequantizeBlockQ2_K(const std::byte *p, float *y);
void dequantizeBlockQ3_K(const std::byte *p, float *y);
void dequantizeBlockQ4_K(const std::byte *p, float *y);
void dequantizeBlockQ5_K(const std::byte *p, float *y);
void dequantizeBlockQ6_K(const std::byte *p, float *y);
void dequantizeBlockIQ4_XS(const std::byte *p, float *y);

} // namespace parlo::quant
