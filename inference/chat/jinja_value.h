// Runtime values of the Jinja interpreter, with Python's semantics (truthiness, str(), repr(),
// equality, ordering), because chat templates are written against jinja2 running on Python.
#pragma once

#include "parlo/json.h"

#include <algorithm>
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
    bool cancelled = false; // RenderBudget::cancel was set
};

[[noreturn]] void fail(std::string message);
[[noreturn]] void failLimit(std::string message);
[[noreturn]] void failTooDeep();

// What one render may still consume. The interpreter installs it for the calling thread while
// it renders, so that code without an Interpreter at hand (value constructors, repr, equality)
// charges the same budget. Memory is charged when a string, list or dict is made and given back
// when it dies: the limit is on what is alive at once, not on what was ever allocated, so the
// usual "accumulate in a namespace" templates are not punished for their garbage.
struct RenderBudget
{
    size_t maxMemory = 64u << 20;
    uint64_t maxWork = 1ull << 30;
    int maxNesting = 256;
    int64_t deadlineNs = 0; // steady_clock; 0: none
    std::function<bool()> cancelled;
    int64_t lastCancelCheckNs = 0;

    size_t memory = 0;
    uint64_t work = 0;
    uint64_t polls = 0;

    // Each throws JinjaError (limit) when the budget is spent.
    void charge(size_t bytes);
    void release(size_t bytes) { memory -= std::min(memory, bytes); }
    void spend(uint64_t bytes);
    // Checks the clock and the cancel callback (cheaply: not on every call).
    void poll(bool now = false);

    static RenderBudget *current();
    // Installs `budget` for this thread for the guard's lifetime.
    struct Scope
    {
        explicit Scope(RenderBudget *budget);
        ~Scope();
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;
        RenderBudget *previous;
    };
};

// Charges the current render (if any); no-ops outside a render.
void chargeWork(uint64_t bytes);
int maxNesting();

struct CallArgs
{
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> named;

    // Positional argument `index`, else keyword `name`, else nullptr.
    const Value *get(size_t index, std::string_view name) const;
};

using NativeFunction = std::function<Value(Interpreter &, const CallArgs &)>;

// Storage charged to the render that made it; given back on destruction. Lists and plain
// dicts do not change after they are made, so their nesting depth is known then.
struct Charged
{
    RenderBudget *budget = nullptr;
    size_t bytes = 0;
    int depth = 1;

    Charged() = default;
    Charged(const Charged &) = delete;
    Charged &operator=(const Charged &) = delete;
    ~Charged()
    {
        if (budget)
            budget->release(bytes);
    }
    void charge(size_t more);
};

struct StringData : Charged
{
    std::string text;
};

struct ListData : Charged
{
    std::vector<Value> items;
    bool tuple = false;
};

enum class DictFlavor { Dict, Namespace, Loop };

struct DictData : Charged
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
    std::shared_ptr<const StringData> text; // String text; for Undefined, the error its use raises
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

    // Strings are immutable and shared, as in Python: copying a Value never copies its text.
    const std::string &str() const;

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

// How deeply lists and dicts nest inside v (0 for scalars; a namespace counts 1, as its
// contents can change after it is made).
int depthOf(const Value &v);

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
