#include "parlo/gguf_writer.h"

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace parlo::gguf {
namespace {

class Bytes
{
public:
    explicit Bytes(std::vector<std::byte> &out) : m_out(out) {}
    template<typename T>
    void put(T v)
    {
        const auto *p = reinterpret_cast<const std::byte *>(&v);
        m_out.insert(m_out.end(), p, p + sizeof(T));
    }
    void str(std::string_view s)
    {
        put<uint64_t>(s.size());
        const auto *p = reinterpret_cast<const std::byte *>(s.data());
        m_out.insert(m_out.end(), p, p + s.size());
    }
    void padTo(uint64_t alignment)
    {
        while (m_out.size() % alignment)
            m_out.push_back(std::byte{0});
    }

private:
    std::vector<std::byte> &m_out;
};

void encodeValue(Bytes &b, const Value &v)
{
    switch (v.type) {
    case ValueType::UInt8:
        return b.put(uint8_t(v.u));
    case ValueType::Int8:
        return b.put(int8_t(v.i));
    case ValueType::UInt16:
        return b.put(uint16_t(v.u));
    case ValueType::Int16:
        return b.put(int16_t(v.i));
    case ValueType::UInt32:
        return b.put(uint32_t(v.u));
    case ValueType::Int32:
        return b.put(int32_t(v.i));
    case ValueType::UInt64:
        return b.put(uint64_t(v.u));
    case ValueType::Int64:
        return b.put(int64_t(v.i));
    case ValueType::Float32:
        return b.put(float(v.f));
    case ValueType::Float64:
        return b.put(double(v.f));
    case ValueType::Bool:
        return b.put(uint8_t(v.u != 0));
    case ValueType::String:
        return b.str(v.str);
    case ValueType::Array:
        b.put(uint32_t(v.elementType));
        b.put(uint64_t(v.elements.size()));
        for (const Value &e : v.elements)
            encodeValue(b, e);
        return;
    }
}

struct Entry
{
    std::string key;
    std::vector<std::byte> encoded; // type id + value
};

struct Tensor
{
    std::string name;
    std::vector<uint64_t> shape;
    TensorType type;
    std::vector<std::byte> data;
};

} // namespace

struct Writer::Impl
{
    std::vector<Entry> entries;
    std::vector<Tensor> tensors;
    uint64_t alignment = 32;

    // Keeps the layout in step when general.alignment is set through a generic setter.
    void noteAlignment(std::string_view key, std::optional<uint64_t> value)
    {
        if (key == "general.alignment" && value && *value > 0 && *value <= UINT32_MAX && std::has_single_bit(*value))
            alignment = *value;
    }

    template<typename T>
    void setScalar(std::string_view key, ValueType type, T v)
    {
        if constexpr (std::is_integral_v<T>) {
            if (v >= 0)
                noteAlignment(key, uint64_t(v));
        }
        std::vector<std::byte> enc;
        Bytes b(enc);
        b.put(uint32_t(type));
        b.put(v);
        set(key, std::move(enc));
    }
    void set(std::string_view key, std::vector<std::byte> encoded)
    {
        for (Entry &e : entries) {
            if (e.key == key) {
                e.encoded = std::move(encoded);
                return;
            }
        }
        entries.push_back({std::string(key), std::move(encoded)});
    }
};

Writer::Writer() : m(std::make_unique<Impl>()) {}
Writer::~Writer() = default;
Writer::Writer(Writer &&) noexcept = default;
Writer &Writer::operator=(Writer &&) noexcept = default;

void Writer::setUInt8(std::string_view key, uint8_t v) { m->setScalar(key, ValueType::UInt8, v); }
void Writer::setInt8(std::string_view key, int8_t v) { m->setScalar(key, ValueType::Int8, v); }
void Writer::setUInt16(std::string_view key, uint16_t v) { m->setScalar(key, ValueType::UInt16, v); }
void Writer::setInt16(std::string_view key, int16_t v) { m->setScalar(key, ValueType::Int16, v); }
void Writer::setUInt32(std::string_view key, uint32_t v) { m->setScalar(key, ValueType::UInt32, v); }
void Writer::setInt32(std::string_view key, int32_t v) { m->setScalar(key, ValueType::Int32, v); }
void Writer::setUInt64(std::string_view key, uint64_t v) { m->setScalar(key, ValueType::UInt64, v); }
void Writer::setInt64(std::string_view key, int64_t v) { m->setScalar(key, ValueType::Int64, v); }
void Writer::setFloat32(std::string_view key, float v) { m->setScalar(key, ValueType::Float32, v); }
void Writer::setFloat64(std::string_view key, double v) { m->setScalar(key, ValueType::Float64, v); }
void Writer::setBool(std::string_view key, bool v) { m->setScalar(key, ValueType::Bool, uint8_t(v)); }

void Writer::setString(std::string_view key, std::string_view v)
{
    std::vector<std::byte> enc;
    Bytes b(enc);
    b.put(uint32_t(ValueType::String));
    b.str(v);
    m->set(key, std::move(enc));
}

void Writer::setStringArray(std::string_view key, std::span<const std::string> v)
{
    std::vector<std::byte> enc;
    Bytes b(enc);
    b.put(uint32_t(ValueType::Array));
    b.put(uint32_t(ValueType::String));
    b.put(uint64_t(v.size()));
    for (const auto &s : v)
        b.str(s);
    m->set(key, std::move(enc));
}

void Writer::setFloat32Array(std::string_view key, std::span<const float> v)
{
    std::vector<std::byte> enc;
    Bytes b(enc);
    b.put(uint32_t(ValueType::Array));
    b.put(uint32_t(ValueType::Float32));
    b.put(uint64_t(v.size()));
    for (float f : v)
        b.put(f);
    m->set(key, std::move(enc));
}

void Writer::setInt32Array(std::string_view key, std::span<const int32_t> v)
{
    std::vector<std::byte> enc;
    Bytes b(enc);
    b.put(uint32_t(ValueType::Array));
    b.put(uint32_t(ValueType::Int32));
    b.put(uint64_t(v.size()));
    for (int32_t i : v)
        b.put(i);
    m->set(key, std::move(enc));
}

void Writer::setValue(std::string_view key, const Value &v)
{
    m->noteAlignment(key, v.asUInt());
    std::vector<std::byte> enc;
    Bytes b(enc);
    b.put(uint32_t(v.type));
    encodeValue(b, v);
    m->set(key, std::move(enc));
}

Result<void> Writer::setAlignment(uint32_t alignment)
{
    if (alignment == 0 || !std::has_single_bit(alignment))
        return makeError("alignment " + std::to_string(alignment) + " is not a power of two");
    m->alignment = alignment;
    setUInt32("general.alignment", alignment);
    return {};
}

Result<void> Writer::addTensor(std::string_view name, std::span<const uint64_t> shape, TensorType type,
                               std::span<const std::byte> data)
{
    const std::string where = "tensor '" + std::string(name) + "'";
    if (name.empty())
        return makeError("a tensor needs a name");
    for (const Tensor &t : m->tensors) {
        if (t.name == name)
            return makeError(where + " was already added");
    }
    if (shape.empty() || shape.size() > 4)
        return makeError(where + " needs 1 to 4 dimensions");
    uint64_t elements = 1;
    for (uint64_t d : shape) {
        if (d == 0 || d > UINT64_MAX / elements)
            return makeError(where + " has a zero or overflowing dimension");
        elements *= d;
    }
    const auto info = tensorTypeInfo(type);
    if (!info || shape[0] % info->blockSize != 0)
        return makeError(where + ": rows must be a multiple of the block size of " + tensorTypeName(uint32_t(type)));
    const auto bytes = tensorBytes(type, elements);
    if (!bytes || *bytes != data.size())
        return makeError(where + " of type " + std::string(info->name) + " needs " +
                         std::to_string(bytes.value_or(0)) + " bytes, got " + std::to_string(data.size()));
    m->tensors.push_back({std::string(name), {shape.begin(), shape.end()}, type, {data.begin(), data.end()}});
    return {};
}

std::vector<std::byte> Writer::toBytes() const
{
    std::vector<std::byte> out;
    Bytes b(out);
    b.put(uint32_t(0x46554747u)); // "GGUF"
    b.put(uint32_t(3));
    b.put(uint64_t(m->tensors.size()));
    b.put(uint64_t(m->entries.size()));
    for (const Entry &e : m->entries) {
        b.str(e.key);
        out.insert(out.end(), e.encoded.begin(), e.encoded.end());
    }
    uint64_t offset = 0;
    for (const Tensor &t : m->tensors) {
        b.str(t.name);
        b.put(uint32_t(t.shape.size()));
        for (uint64_t d : t.shape)
            b.put(d);
        b.put(uint32_t(t.type));
        b.put(offset);
        offset += (t.data.size() + m->alignment - 1) / m->alignment * m->alignment;
    }
    b.padTo(m->alignment);
    for (const Tensor &t : m->tensors) {
        out.insert(out.end(), t.data.begin(), t.data.end());
        b.padTo(m->alignment);
    }
    return out;
}

Result<void> Writer::writeFile(const std::string &path) const
{
    const std::vector<std::byte> bytes = toBytes();
    const std::string temp = path + ".part";
    std::FILE *f = std::fopen(temp.c_str(), "wb");
    if (!f)
        return makeError("cannot create " + temp + ": " + std::strerror(errno));
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    const bool closed = std::fclose(f) == 0;
    if (!written || !closed) {
        std::remove(temp.c_str());
        return makeError("cannot write " + path + " (disk full?)");
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        std::remove(temp.c_str());
        return makeError("cannot rename " + temp + " to " + path + ": " + std::strerror(err));
    }
    return {};
}

} // namespace parlo::gguf
