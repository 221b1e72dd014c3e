// The bounds-checked GGUF parser behind gguf::File. Internal to inference/.
#pragma once

#include "parlo/gguf.h"

#include <cstddef>
#include <span>
#include <unordered_map>

namespace parlo::gguf {

// Limits that keep a hostile header from making us allocate or recurse without bound. Real
// models stay far below them: the largest vocabularies (Gemma's 262,144 tokens, with scores
// and types) hold under a million array elements in total.
inline constexpr uint32_t k_maxArrayDepth = 8;
inline constexpr uint64_t k_maxArrayElements = uint64_t(1) << 23; // over all arrays of a file
inline constexpr uint32_t k_maxTensorDims = 4;                    // GGML_MAX_DIMS
inline constexpr uint64_t k_defaultAlignment = 32;

struct ParsedGguf
{
    uint32_t version = 0;
    uint64_t alignment = k_defaultAlignment;
    uint64_t dataOffset = 0;
    std::vector<KeyValue> metadata;
    std::vector<TensorInfo> tensors;
    std::unordered_map<std::string_view, size_t> keyIndex;
    std::unordered_map<std::string_view, size_t> tensorIndex;
};

// Parses a whole GGUF image. Strings in the result point into `bytes`. Errors describe the
// problem without the path; the caller adds it.
Result<ParsedGguf> parseGguf(std::span<const std::byte> bytes);

} // namespace parlo::gguf
