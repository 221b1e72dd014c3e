// Runtime values of the Jinja interpreter, with Python's semantics (truthiness, str(), repr(),
// equality, ordering), because chat templates are written against jinja2 running on Python.
#pragma once

#include "parlo/json.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace parlo::chat::jinja {

class Interpreter;
struct Value;

enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Callable };

// Thrown inside the interpreter only; ChatTemplate catches it at the API boundary and returns
// it as a value. line/column 0 means "not yet known": the enclosing node fills them in.
struct JinjaError
{
    std::string message;
    int line = 0;
    int column = 0;
    bool raised = false; // raise_exception() from the template itself
    bool limit = false;  // a resource limit was hit
};

[[noreturn]] void fail(std::string message);
[[noreturn]] void failLimit(std::string message);

struct CallArgs
{
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> named;

    // Positional argument `index`, else keyword `name`, else nullptr.
    const Value *get(size_t index, std::string_view name) const;
};

using NativeFunction = std::function<Value(Interpreter &, const CallArgs &)>;

struct ListData
{
    std::vector<Value> items;
    bool tuple = false;
};

enum class DictFlavor { Dict, Namespace, Loop };

struct DictData
{
    std::vector<std::pair<Value, Value>> items; // insertion order, unique keys
    DictFlavor flavor = DictFlavor::Dict;

    const Value *find(const Value &key) const;
    const Value *find(std::string_view key) const;
    void set(Value key, Value value);
};

struct CallableData
{
    std::string name;
    NativeFunction function;
};

struct Value
{
    Kind kind = Kind::Undefined;
    bool b = false;
    int64_t i = 0;
    double f = 0.0;
    std::string s; // String text; for Undefined, the error its use raises
    std::shared_ptr<ListData> list;
    std::shared_ptr<DictData> dict;
    std::shared_ptr<CallableData> callable;

    static Value undefined(std::string message);
    static Value undefinedName(std::string_view name);
    static Value none();
    static Value boolean(bool v);
    static Value integer(int64_t v);
    static Value number(double v);
    static Value string(std::string v);
    static Value makeList(std::vector<Value> items = {}, bool tuple = false);
    static Value makeDict(DictFlavor flavor = DictFlavor::Dict);
    static Value function(std::string name, NativeFunction fn);

    bool isUndefined() const { return kind == Kind::Undefined; }
    bool isNone() const { return kind == Kind::None; }
    bool isString() const { return kind == Kind::String; }
    bool isList() const { return kind == Kind::List; }
    bool isTuple() const { return kind == Kind::List && list->tuple; }
    bool isDict() const { return kind == Kind::Dict; }
    bool isNamespace() const { return kind == Kind::Dict && dict->flavor == DictFlavor::Namespace; }
    bool isNumber() const { return kind == Kind::Int || kind == Kind::Float || kind == Kind::Bool; }
    bool isIntegral() const { return kind == Kind::Int || kind == Kind::Bool; }
    int64_t asInt() const { return kind == Kind::Bool ? int64_t(b) : kind == Kind::Float ? int64_t(f) : i; }
    double asDouble() const { return kind == Kind::Float ? f : double(asInt()); }
};

// Python's bool(), str(), repr() and type name.
bool truthy(const Value &v);
std::string toStr(const Value &v);
std::string repr(const Value &v);
std::string typeName(const Value &v);
// jinja2's object_type_repr: "dict object", "None", ...
std::string objectTypeRepr(const Value &v);
// Python ==, and ordering for <, <=, >, >= (throws a TypeError-like JinjaError when unorderable).
bool equals(const Value &a, const Value &b);
int compare(const Value &a, const Value &b, std::string_view op);
// Raises the error an Undefined carries.
[[noreturn]] void raiseUndefined(const Value &v);

// Python iteration: lists, tuples, dict keys, string characters, undefined (empty).
std::vector<Value> iterate(const Value &v);
int64_t lengthOf(const Value &v);

Value fromJson(const json::Value &v);
// json.dumps-compatible conversion (tuples become arrays, non-string keys are converted).
json::Value toJson(const Value &v);

} // namespace parlo::chat::jinja
