// ggml tensor types as stored in GGUF: ids, names and block geometry.
// The dequantize references and kernels for each type live in inference/core/quant/.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace parlo {

// Values are ggml's type ids, exactly as written in a GGUF tensor info.
enum class TensorType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
};

struct TensorTypeInfo
{
    TensorType type;
    std::string_view name;   // "Q4_K", as llama.cpp prints it
    uint32_t blockSize;      // elements per block (1 for plain types)
    uint32_t bytesPerBlock;  // bytes per block
    bool supported;          // Parlo can dequantize and compute with it
};

// Geometry of a known type id, or nullopt for ids that ggml never defined or has removed.
std::optional<TensorTypeInfo> tensorTypeInfo(uint32_t typeId);
inline std::optional<TensorTypeInfo> tensorTypeInfo(TensorType type) { return tensorTypeInfo(uint32_t(type)); }

// "Q4_K", or "type 31" for an unknown id.
std::string tensorTypeName(uint32_t typeId);

// Bytes that `elements` values of `type` occupy; nullopt when the type is unknown or
// `elements` is not a whole number of blocks, or on overflow.
std::optional<uint64_t> tensorBytes(TensorType type, uint64_t elements);

} // namespace parlo
