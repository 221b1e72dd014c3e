// GGUF v2/v3 reader over a memory-mapped file. Every length, count, offset and dimension is
// checked against the file size, and for overflow, before use; a hostile file gets an Error,
// never a crash. Strings and tensor data are views into the mapping, valid while the
// GgufFile lives.
//
// API contract (implementation: inference/gguf/). Other subsystems (tokenizer, chat
// templates, model loader, `parlo-cli info`) read models only through this header.
// Related: parlo/gguf_writer.h (build files), parlo/gguf_summary.h (what `info` prints),
// parlo/gguf_keys.h (key names); dequantizers in inference/core/quant/.
//
// Limits: at most 4 dimensions per tensor (as ggml), arrays nested at most 8 deep, and at
// most 2^23 array elements over the whole file (real vocabularies use under 1M). Tensors of
// a known but unsupported type (IQ2_XXS …) parse; the loader refuses them by name.
//
// A mapped file is a snapshot only as long as nobody rewrites it: if another process
// truncates the file while a File maps it, reading the lost pages raises SIGBUS, and an
// in-place rewrite changes bytes under us. Parse once, copy or upload tensor data at load
// time, and replace model files by rename() (gguf::Writer::writeFile does), never in place.
#pragma once

#include "parlo/result.h"
#include "parlo/tensor_type.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parlo::gguf {

// GGUF metadata value types, as numbered in the file.
enum class ValueType : uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
};
std::string_view valueTypeName(ValueType type);

// One metadata value. Arrays may nest (arrays of arrays).
struct Value
{
    ValueType type = ValueType::UInt8;
    // Scalars: exactly one of these is meaningful, per `type`.
    uint64_t u = 0;   // UInt8..UInt64, Bool (0/1)
    int64_t i = 0;    // Int8..Int64
    double f = 0.0;   // Float32, Float64
    std::string_view str; // String (view into the mapping; not NUL-terminated)
    // Array
    ValueType elementType = ValueType::UInt8;
    std::vector<Value> elements;

    bool isInteger() const;
    bool isFloat() const;
    // Converting accessors: any integer type to the wider form, ints/floats to double.
    std::optional<uint64_t> asUInt() const; // fails for negative ints
    std::optional<int64_t> asInt() const;   // fails for u64 > INT64_MAX
    std::optional<double> asDouble() const;
    std::optional<bool> asBool() const;
    std::optional<std::string_view> asString() const;
};

struct KeyValue
{
    std::string_view key;
    Value value;
};

struct TensorInfo
{
    std::string_view name;
    std::vector<uint64_t> shape; // ggml order: shape[0] is the row length (contiguous dimension)
    uint32_t typeId = 0;         // raw id from the file; see tensorTypeInfo()
    TensorType type = TensorType::F32; // valid when typeId is a known type
    uint64_t offset = 0;         // relative to the data section, aligned
    uint64_t byteSize = 0;       // from the type's block geometry
    uint64_t elementCount() const;
    uint64_t rows() const;       // product of shape[1..]
};

class File
{
public:
    // Maps `path` read-only and parses it. The error names the path and the problem.
    static Result<std::unique_ptr<File>> open(const std::string &path);
    // Parses a copy of `bytes` (for tests and fuzzing).
    static Result<std::unique_ptr<File>> fromBytes(std::span<const std::byte> bytes);
    ~File();
    File(const File &) = delete;
    File &operator=(const File &) = delete;

    const std::string &path() const;
    uint32_t version() const;
    uint64_t alignment() const;  // general.alignment, default 32
    uint64_t dataOffset() const; // where the tensor data section starts in the file
    uint64_t fileSize() const;
    // True once the mapped file was truncated or rewritten under us and a lost page was
    // replaced by zeros (see core/mapping_guard.h): nothing read from it can be trusted.
    bool mappingLost() const;

    const std::vector<KeyValue> &metadata() const;
    const Value *find(std::string_view key) const;

    // Typed getters: nullopt when the key is missing or holds an incompatible type.
    std::optional<std::string_view> getString(std::string_view key) const;
    std::optional<uint64_t> getUInt(std::string_view key) const;
    std::optional<int64_t> getInt(std::string_view key) const;
    std::optional<double> getFloat(std::string_view key) const;
    std::optional<bool> getBool(std::string_view key) const;
    std::optional<std::vector<std::string_view>> getStringArray(std::string_view key) const;
    std::optional<std::vector<float>> getFloatArray(std::string_view key) const;
    std::optional<std::vector<int64_t>> getIntArray(std::string_view key) const;

    const std::vector<TensorInfo> &tensors() const;
    const TensorInfo *findTensor(std::string_view name) const;
    // The tensor's bytes inside the mapping (byteSize long).
    std::span<const std::byte> tensorData(const TensorInfo &tensor) const;

    // The architecture ("llama", "qwen2" …) from general.architecture, or empty.
    std::string_view architecture() const;

private:
    File();
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace parlo::gguf
