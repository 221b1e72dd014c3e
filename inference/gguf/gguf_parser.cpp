#include "gguf/gguf_parser.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <numeric>

namespace parlo::gguf {
namespace {

static_assert(std::endian::native == std::endian::little, "GGUF is read as little-endian");

std::string quoted(std::string_view s)
{
    // Names come from the file: keep messages printable and short.
    std::string out = "'";
    for (char c : s.substr(0, 96))
        out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    if (s.size() > 96)
        out += "...";
    return out + "'";
}

// Smallest encoding of one value of `type`, used to bound counts before allocating.
uint64_t minEncodedSize(ValueType type)
{
    switch (type) {
    case ValueType::UInt8:
    case ValueType::Int8:
    case ValueType::Bool:
        return 1;
    case ValueType::UInt16:
    case ValueType::Int16:
        return 2;
    case ValueType::UInt32:
    case ValueType::Int32:
    case ValueType::Float32:
        return 4;
    case ValueType::UInt64:
    case ValueType::Int64:
    case ValueType::Float64:
    case ValueType::String:
        return 8;
    case ValueType::Array:
        return 12;
    }
    return 1;
}

bool isKnownValueType(uint32_t raw) { return raw <= uint32_t(ValueType::Float64); }

class Reader
{
public:
    explicit Reader(std::span<const std::byte> bytes) : m_bytes(bytes) {}

    size_t pos() const { return m_pos; }
    uint64_t remaining() const { return m_bytes.size() - m_pos; }

    Result<void> need(uint64_t n, const std::string &what) const
    {
        if (n > remaining())
            return makeError("file is truncated: " + what + " needs " + std::to_string(n) + " bytes at offset " +
                             std::to_string(m_pos) + ", but the file has " + std::to_string(m_bytes.size()) +
                             " bytes");
        return {};
    }

    template<typename T>
    Result<T> read(const std::string &what)
    {
        PARLO_TRY(need(sizeof(T), what));
        T value;
        std::memcpy(&value, m_bytes.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return value;
    }

    Result<std::string_view> string(const std::string &what)
    {
        auto length = read<uint64_t>(what + " (length)");
        if (!length)
            return length.error();
        if (*length > remaining())
            return makeError("file is truncated or corrupt: " + what + " claims " + std::to_string(*length) +
                             " bytes at offset " +
                             std::to_string(m_pos) + ", past the end of the file (" +
                             std::to_string(m_bytes.size()) + " bytes)");
        std::string_view s(reinterpret_cast<const char *>(m_bytes.data() + m_pos), size_t(*length));
        m_pos += size_t(*length);
        return s;
    }

private:
    std::span<const std::byte> m_bytes;
    size_t m_pos = 0;
};

class Parser
{
public:
    explicit Parser(std::span<const std::byte> bytes) : m_reader(bytes), m_size(bytes.size()) {}

    Result<ParsedGguf> run()
    {
        PARLO_TRY(header());
        PARLO_TRY(keyValues());
        PARLO_TRY(tensorInfos());
        PARLO_TRY(placeData());
        return std::move(m_out);
    }

private:
    Result<void> header()
    {
        auto magic = m_reader.read<uint32_t>("the GGUF magic");
        if (!magic)
            return makeError("not a GGUF file: it is shorter than the 4-byte magic");
        if (*magic != 0x46554747u) // "GGUF"
            return makeError("not a GGUF file: it does not start with the bytes \"GGUF\"");
        auto version = m_reader.read<uint32_t>("the version");
        if (!version)
            return version.error();
        const uint32_t v = *version;
        if ((v & 0xffffu) == 0 && (__builtin_bswap32(v) == 2 || __builtin_bswap32(v) == 3))
            return makeError("big-endian GGUF files are not supported");
        if (v == 1)
            return makeError("GGUF version 1 is obsolete and not supported; convert the model again with a "
                             "current llama.cpp");
        if (v != 2 && v != 3)
            return makeError("unsupported GGUF version " + std::to_string(v) + " (Parlo reads versions 2 and 3)");
        m_out.version = v;
        auto tensorCount = m_reader.read<uint64_t>("the tensor count");
        if (!tensorCount)
            return tensorCount.error();
        auto kvCount = m_reader.read<uint64_t>("the metadata count");
        if (!kvCount)
            return kvCount.error();
        // A key/value takes at least 13 bytes and a tensor info at least 33, so larger counts
        // cannot fit in the file: reject them before reserving anything.
        if (*kvCount > m_reader.remaining() / 13)
            return makeError("metadata count " + std::to_string(*kvCount) + " cannot fit in a file of " +
                             std::to_string(m_size) + " bytes (truncated or corrupt file)");
        if (*tensorCount > m_reader.remaining() / 33)
            return makeError("tensor count " + std::to_string(*tensorCount) + " cannot fit in a file of " +
                             std::to_string(m_size) + " bytes (truncated or corrupt file)");
        m_tensorCount = *tensorCount;
        m_kvCount = *kvCount;
        return {};
    }

    Result<void> keyValues()
    {
        m_out.metadata.reserve(size_t(m_kvCount));
        for (uint64_t n = 0; n < m_kvCount; ++n) {
            const std::string what = "metadata entry " + std::to_string(n);
            auto key = m_reader.string("the key of " + what);
            if (!key)
                return key.error();
            if (key->empty())
                return makeError(what + " has an empty key");
            const std::string where = "metadata key " + quoted(*key);
            auto rawType = m_reader.read<uint32_t>("the type of " + where);
            if (!rawType)
                return rawType.error();
            KeyValue kv;
            kv.key = *key;
            auto parsed = value(*rawType, kv.value, 0, where);
            if (!parsed)
                return parsed.error();
            if (!m_out.keyIndex.emplace(kv.key, m_out.metadata.size()).second)
                return makeError("duplicate metadata key " + quoted(kv.key));
            if (kv.key == "general.alignment")
                PARLO_TRY(alignment(kv.value));
            m_out.metadata.push_back(std::move(kv));
        }
        return {};
    }

    Result<void> alignment(const Value &value)
    {
        const auto a = value.asUInt();
        if (!a)
            return makeError("general.alignment must be an unsigned integer, not " +
                             std::string(valueTypeName(value.type)));
        if (*a == 0 || !std::has_single_bit(*a))
            return makeError("general.alignment is " + std::to_string(*a) + "; it must be a power of two");
        m_out.alignment = *a;
        return {};
    }

    Result<void> value(uint32_t rawType, Value &out, uint32_t depth, const std::string &where)
    {
        if (!isKnownValueType(rawType))
            return makeError(where + " has unknown value type " + std::to_string(rawType));
        out.type = ValueType(rawType);
        switch (out.type) {
        case ValueType::UInt8:
            return scalar<uint8_t>(out.u, where);
        case ValueType::UInt16:
            return scalar<uint16_t>(out.u, where);
        case ValueType::UInt32:
            return scalar<uint32_t>(out.u, where);
        case ValueType::UInt64:
            return scalar<uint64_t>(out.u, where);
        case ValueType::Bool: {
            PARLO_TRY(scalar<uint8_t>(out.u, where));
            out.u = out.u != 0;
            return {};
        }
        case ValueType::Int8:
            return scalar<int8_t>(out.i, where);
        case ValueType::Int16:
            return scalar<int16_t>(out.i, where);
        case ValueType::Int32:
            return scalar<int32_t>(out.i, where);
        case ValueType::Int64:
            return scalar<int64_t>(out.i, where);
        case ValueType::Float32:
            return scalar<float>(out.f, where);
        case ValueType::Float64:
            return scalar<double>(out.f, where);
        case ValueType::String: {
            auto s = m_reader.string(where);
            if (!s)
                return s.error();
            out.str = *s;
            return {};
        }
        case ValueType::Array:
            return array(out, depth, where);
        }
        return {};
    }

    template<typename T, typename Dst>
    Result<void> scalar(Dst &dst, const std::string &where)
    {
        auto v = m_reader.read<T>(where);
        if (!v)
            return v.error();
        dst = Dst(*v);
        return {};
    }

    Result<void> array(Value &out, uint32_t depth, const std::string &where)
    {
        if (depth >= k_maxArrayDepth)
            return makeError(where + " nests arrays deeper than " + std::to_string(k_maxArrayDepth) + " levels");
        auto rawElementType = m_reader.read<uint32_t>("the element type of " + where);
        if (!rawElementType)
            return rawElementType.error();
        if (!isKnownValueType(*rawElementType))
            return makeError(where + " is an array of unknown value type " + std::to_string(*rawElementType));
        out.elementType = ValueType(*rawElementType);
        auto count = m_reader.read<uint64_t>("the element count of " + where);
        if (!count)
            return count.error();
        if (*count > m_reader.remaining() / minEncodedSize(out.elementType))
            return makeError(where + " claims " + std::to_string(*count) + " elements of type " +
                             std::string(valueTypeName(out.elementType)) + ", more than the rest of the file holds (truncated or corrupt file)");
        if (*count > k_maxArrayElements - m_arrayElements)
            return makeError(where + " brings the metadata past " + std::to_string(k_maxArrayElements) +
                             " array elements, far more than any real model has");
        m_arrayElements += *count;
        out.elements.resize(size_t(*count));
        for (uint64_t n = 0; n < *count; ++n) {
            auto parsed = value(*rawElementType, out.elements[size_t(n)], depth + 1, where);
            if (!parsed)
                return parsed.error();
        }
        return {};
    }

    Result<void> tensorInfos()
    {
        m_out.tensors.reserve(size_t(m_tensorCount));
        for (uint64_t n = 0; n < m_tensorCount; ++n) {
            auto name = m_reader.string("the name of tensor " + std::to_string(n));
            if (!name)
                return name.error();
            if (name->empty())
                return makeError("tensor " + std::to_string(n) + " has an empty name");
            const std::string where = "tensor " + quoted(*name);
            TensorInfo t;
            t.name = *name;
            auto nDims = m_reader.read<uint32_t>("the dimension count of " + where);
            if (!nDims)
                return nDims.error();
            if (*nDims == 0 || *nDims > k_maxTensorDims)
                return makeError(where + " has " + std::to_string(*nDims) + " dimensions (1 to " +
                                 std::to_string(k_maxTensorDims) + " are allowed)");
            uint64_t elements = 1;
            for (uint32_t d = 0; d < *nDims; ++d) {
                auto dim = m_reader.read<uint64_t>("a dimension of " + where);
                if (!dim)
                    return dim.error();
                if (*dim == 0)
                    return makeError(where + " has a zero dimension");
                // ggml counts elements in int64_t.
                if (*dim > uint64_t(std::numeric_limits<int64_t>::max()) / elements)
                    return makeError(where + " has so many elements that the count overflows");
                elements *= *dim;
                t.shape.push_back(*dim);
            }
            auto typeId = m_reader.read<uint32_t>("the type of " + where);
            if (!typeId)
                return typeId.error();
            t.typeId = *typeId;
            const auto info = tensorTypeInfo(*typeId);
            if (!info)
                return makeError(where + " has unknown tensor type id " + std::to_string(*typeId));
            t.type = info->type;
            if (t.shape[0] % info->blockSize != 0)
                return makeError(where + " has rows of " + std::to_string(t.shape[0]) + " values, not a multiple of " +
                                 std::to_string(info->blockSize) + " as type " + std::string(info->name) + " needs");
            const auto bytes = tensorBytes(t.type, elements);
            if (!bytes)
                return makeError(where + " is too large");
            t.byteSize = *bytes;
            auto offset = m_reader.read<uint64_t>("the data offset of " + where);
            if (!offset)
                return offset.error();
            t.offset = *offset;
            if (!m_out.tensorIndex.emplace(t.name, m_out.tensors.size()).second)
                return makeError("duplicate tensor name " + quoted(t.name));
            m_out.tensors.push_back(std::move(t));
        }
        return {};
    }

    Result<void> placeData()
    {
        const uint64_t a = m_out.alignment;
        const uint64_t end = m_reader.pos();
        if (end > std::numeric_limits<uint64_t>::max() - (a - 1))
            return makeError("data section offset overflows");
        m_out.dataOffset = (end + a - 1) / a * a;
        if (m_out.tensors.empty())
            return {}; // vocabulary-only files may end right after the header
        if (m_out.dataOffset > m_size)
            return makeError("file is truncated: the tensor data section would start at offset " +
                             std::to_string(m_out.dataOffset) + ", but the file has " + std::to_string(m_size) +
                             " bytes");
        const uint64_t dataSize = m_size - m_out.dataOffset;
        for (const TensorInfo &t : m_out.tensors) {
            const std::string where = "tensor " + quoted(t.name);
            if (t.offset % a != 0)
                return makeError(where + " has data offset " + std::to_string(t.offset) +
                                 ", which is not a multiple of the alignment " + std::to_string(a));
            if (t.offset > dataSize || t.byteSize > dataSize - t.offset)
                return makeError(where + " lies outside the file: its " + std::to_string(t.byteSize) +
                                 " bytes at data offset " + std::to_string(t.offset) + " end past the " +
                                 std::to_string(dataSize) + " bytes of tensor data (file truncated?)");
        }
        std::vector<size_t> order(m_out.tensors.size());
        std::iota(order.begin(), order.end(), size_t(0));
        std::sort(order.begin(), order.end(),
                  [&](size_t x, size_t y) { return m_out.tensors[x].offset < m_out.tensors[y].offset; });
        for (size_t n = 1; n < order.size(); ++n) {
            const TensorInfo &prev = m_out.tensors[order[n - 1]];
            const TensorInfo &cur = m_out.tensors[order[n]];
            if (prev.offset + prev.byteSize > cur.offset)
                return makeError("tensor " + quoted(cur.name) + " overlaps tensor " + quoted(prev.name));
        }
        return {};
    }

    Reader m_reader;
    uint64_t m_size;
    uint64_t m_tensorCount = 0;
    uint64_t m_kvCount = 0;
    uint64_t m_arrayElements = 0;
    ParsedGguf m_out;
};

} // namespace

Result<ParsedGguf> parseGguf(std::span<const std::byte> bytes) { return Parser(bytes).run(); }

} // namespace parlo::gguf
