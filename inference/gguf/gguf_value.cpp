// gguf::Value accessors and type names.
#include "parlo/gguf.h"

#include <limits>

namespace parlo::gguf {

std::string_view valueTypeName(ValueType type)
{
    switch (type) {
    case ValueType::UInt8:
        return "uint8";
    case ValueType::Int8:
        return "int8";
    case ValueType::UInt16:
        return "uint16";
    case ValueType::Int16:
        return "int16";
    case ValueType::UInt32:
        return "uint32";
    case ValueType::Int32:
        return "int32";
    case ValueType::Float32:
        return "float32";
    case ValueType::Bool:
        return "bool";
    case ValueType::String:
        return "string";
    case ValueType::Array:
        return "array";
    case ValueType::UInt64:
        return "uint64";
    case ValueType::Int64:
        return "int64";
    case ValueType::Float64:
        return "float64";
    }
    return "unknown";
}

namespace {
bool isUnsignedType(ValueType t)
{
    return t == ValueType::UInt8 || t == ValueType::UInt16 || t == ValueType::UInt32 || t == ValueType::UInt64;
}
bool isSignedType(ValueType t)
{
    return t == ValueType::Int8 || t == ValueType::Int16 || t == ValueType::Int32 || t == ValueType::Int64;
}
} // namespace

bool Value::isInteger() const { return isUnsignedType(type) || isSignedType(type); }

bool Value::isFloat() const { return type == ValueType::Float32 || type == ValueType::Float64; }

std::optional<uint64_t> Value::asUInt() const
{
    if (isUnsignedType(type))
        return u;
    if (isSignedType(type) && i >= 0)
        return uint64_t(i);
    return std::nullopt;
}

std::optional<int64_t> Value::asInt() const
{
    if (isSignedType(type))
        return i;
    if (isUnsignedType(type) && u <= uint64_t(std::numeric_limits<int64_t>::max()))
        return int64_t(u);
    return std::nullopt;
}

std::optional<double> Value::asDouble() const
{
    if (isFloat())
        return f;
    if (isUnsignedType(type))
        return double(u);
    if (isSignedType(type))
        return double(i);
    return std::nullopt;
}

std::optional<bool> Value::asBool() const
{
    if (type == ValueType::Bool)
        return u != 0;
    return std::nullopt;
}

std::optional<std::string_view> Value::asString() const
{
    if (type == ValueType::String)
        return str;
    return std::nullopt;
}

} // namespace parlo::gguf
