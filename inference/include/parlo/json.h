// A small JSON value, parser and serializer (RFC 8259), for chat messages, tool schemas, model
// catalogs and reference files. No Qt, so the engine can use it too.
//
// Objects keep their members in insertion order, as Python's json module does, because chat
// templates print them back (tojson) and the order is part of the prompt. The serializer
// reproduces Python's json.dumps byte for byte (separators, indent, ensure_ascii, float repr).
//
// Hostile input: the parser bounds nesting depth, rejects invalid UTF-8 and lone surrogates,
// and turns integers beyond int64 into doubles (numbers beyond double range are an error).
#pragma once

#include "parlo/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace parlo::json {

enum class Type { Null, Bool, Int, Double, String, Array, Object };

class Value
{
public:
    using Array = std::vector<Value>;
    using Member = std::pair<std::string, Value>;
    using Object = std::vector<Member>; // insertion order, unique keys

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : m_data(b) {}
    Value(int v) : m_data(int64_t(v)) {}
    Value(int64_t v) : m_data(v) {}
    Value(double v) : m_data(v) {}
    Value(std::string s) : m_data(std::move(s)) {}
    Value(std::string_view s) : m_data(std::string(s)) {}
    Value(const char *s) : m_data(std::string(s)) {}
    Value(Array a) : m_data(std::move(a)) {}
    Value(Object o) : m_data(std::move(o)) {}

    static Value array() { return Value(Array{}); }
    static Value object() { return Value(Object{}); }

    Type type() const { return Type(m_data.index()); }
    bool isNull() const { return type() == Type::Null; }
    bool isBool() const { return type() == Type::Bool; }
    bool isInt() const { return type() == Type::Int; }
    bool isDouble() const { return type() == Type::Double; }
    bool isNumber() const { return isInt() || isDouble(); }
    bool isString() const { return type() == Type::String; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }

    // Accessors return a neutral value (false, 0, empty) when the type does not match.
    bool toBool() const;
    int64_t toInt() const;     // doubles are truncated
    double toDouble() const;   // ints are converted
    const std::string &toString() const;
    const Array &toArray() const;
    const Object &toObject() const;
    // Mutable access; converts this value to an empty array/object first when it is not one.
    Array &asArray();
    Object &asObject();

    // Object members (nullptr when missing or not an object).
    const Value *find(std::string_view key) const;
    Value *find(std::string_view key);
    // Replaces the member's value, or appends it; turns a non-object into an object first.
    void set(std::string key, Value value);
    // Appends to an array; turns a non-array into an array first.
    void push(Value value);
    // Element or member count; 0 for scalars.
    size_t size() const;

    bool operator==(const Value &other) const;

private:
    std::variant<std::monostate, bool, int64_t, double, std::string, Array, Object> m_data;
};

struct ParseOptions
{
    size_t maxDepth = 256;            // nested arrays/objects
    size_t maxBytes = 256u << 20;     // refuse documents larger than this
};

// Parses one JSON document (a leading UTF-8 BOM is skipped). Errors say "line L, column C: …".
Result<Value> parse(std::string_view text, const ParseOptions &options = {});

struct WriteOptions
{
    // -1: one line. >= 0: Python's indent (newline per element, that many spaces per level).
    int indent = -1;
    // Python's ensure_ascii: escape non-ASCII as \uXXXX (surrogate pairs beyond the BMP).
    bool ensureAscii = false;
    bool sortKeys = false;
    // Python's separators; empty means its default: (", ", ": ") on one line, (",", ": ") indented.
    std::string itemSeparator;
    std::string keySeparator;
};

// Serializes as Python's json.dumps(value, ...) does with the same options.
std::string serialize(const Value &value, const WriteOptions &options = {});

// Python's repr() of a float: shortest round-trip digits, "1.0", "1e+16", "1.5e-05", "inf", "nan".
std::string formatDouble(double v);
// Appends `s` as a quoted JSON string (json.dumps rules) to `out`.
void appendQuoted(std::string &out, std::string_view s, bool ensureAscii);

} // namespace parlo::json
