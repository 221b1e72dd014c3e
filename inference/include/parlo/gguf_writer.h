// GGUF v3 writer: builds a file from metadata and tensors, laid out exactly as llama.cpp's
// gguf writer does (header, key/values, tensor infos, padding to general.alignment, data).
// Used by test-model makers and tests; everything it writes reads back through gguf::File.
//
//   parlo::gguf::Writer w;
//   w.setString("general.architecture", "llama");
//   w.setUInt32("llama.block_count", 2);
//   PARLO_TRY(w.addTensor("token_embd.weight", {256, 512}, TensorType::F32, bytes));
//   PARLO_TRY(w.writeFile("model.gguf"));
#pragma once

#include "parlo/gguf.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parlo::gguf {

class Writer
{
public:
    Writer();
    ~Writer();
    Writer(Writer &&) noexcept;
    Writer &operator=(Writer &&) noexcept;

    // Setting a key again replaces its value but keeps its position.
    void setUInt8(std::string_view key, uint8_t v);
    void setInt8(std::string_view key, int8_t v);
    void setUInt16(std::string_view key, uint16_t v);
    void setInt16(std::string_view key, int16_t v);
    void setUInt32(std::string_view key, uint32_t v);
    void setInt32(std::string_view key, int32_t v);
    void setUInt64(std::string_view key, uint64_t v);
    void setInt64(std::string_view key, int64_t v);
    void setFloat32(std::string_view key, float v);
    void setFloat64(std::string_view key, double v);
    void setBool(std::string_view key, bool v);
    void setString(std::string_view key, std::string_view v);
    void setStringArray(std::string_view key, std::span<const std::string> v);
    void setFloat32Array(std::string_view key, std::span<const float> v);
    void setInt32Array(std::string_view key, std::span<const int32_t> v);
    // Any parsed value, arrays (nested too) included: copies metadata from another file.
    void setValue(std::string_view key, const Value &v);
    // general.alignment (default 32); must be a power of two.
    Result<void> setAlignment(uint32_t alignment);

    // `shape` is in ggml order (shape[0] = row length). `data` must hold exactly the tensor's
    // bytes for `type`; it is copied.
    Result<void> addTensor(std::string_view name, std::span<const uint64_t> shape, TensorType type,
                           std::span<const std::byte> data);
    Result<void> addTensor(std::string_view name, std::initializer_list<uint64_t> shape, TensorType type,
                           std::span<const std::byte> data)
    {
        return addTensor(name, std::span<const uint64_t>(shape.begin(), shape.size()), type, data);
    }

    std::vector<std::byte> toBytes() const;
    // Writes to `path` through a temporary file and rename(), so a reader never sees half a file.
    Result<void> writeFile(const std::string &path) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace parlo::gguf
