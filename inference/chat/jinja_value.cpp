// Python semantics for Jinja values.
#include "chat/jinja_value.h"

#include "chat/py_string.h"

#include <chrono>
#include <cmath>

namespace parlo::chat::jinja {

void fail(std::string message) { throw JinjaError{std::move(message)}; }

void failLimit(std::string message)
{
    JinjaError e{std::move(message)};
    e.limit = true;
    throw e;
}

void failTooDeep() { failLimit("template nests too deeply (more than " + std::to_string(maxNesting()) + " levels)"); }

namespace {

thread_local RenderBudget *t_budget = nullptr;

std::string mib(size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

} // namespace

RenderBudget *RenderBudget::current() { return t_budget; }

RenderBudget::Scope::Scope(RenderBudget *budget) : previous(t_budget) { t_budget = budget; }

RenderBudget::Scope::~Scope() { t_budget = previous; }

void RenderBudget::charge(size_t bytes)
{
    if (bytes > maxMemory || memory > maxMemory - bytes)
        failLimit("template uses too much memory (more than " + mib(maxMemory) + " alive at once)");
    memory += bytes;
}

void RenderBudget::spend(uint64_t bytes)
{
    work += bytes;
    if (work > maxWork)
        failLimit("template does too much work (more than " + std::to_string(maxWork >> 20) +
                  " MiB of text went through its string operations)");
    poll(bytes >= (1u << 16));
}

void RenderBudget::poll(bool now)
{
    // The clock costs tens of nanoseconds; steps cost about as much, so look every 256th time.
    if (!now && (++polls & 255) != 0)
        return;
    if (deadlineNs == 0 && !cancelled)
        return;
    const int64_t t =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (deadlineNs != 0 && t > deadlineNs)
        failLimit("template took too long to render (time limit reached)");
    if (cancelled && (now || t - lastCancelCheckNs >= 20'000'000)) {
        lastCancelCheckNs = t;
        if (cancelled()) {
            JinjaError e{"rendering the chat template was cancelled"};
            e.cancelled = true;
            throw e;
        }
    }
}

void chargeWork(uint64_t bytes)
{
    if (t_budget)
        t_budget->spend(bytes);
}

int maxNesting() { return t_budget ? t_budget->maxNesting : 256; }

void Charged::charge(size_t more)
{
    if (!budget)
        budget = t_budget;
    if (budget) {
        budget->charge(more);
        bytes += more;
    }
}

const std::string &Value::str() const
{
    static const std::string empty;
    return text ? text->text : empty;
}

int depthOf(const Value &v)
{
    if (v.kind == Kind::List)
        return v.list->depth;
    if (v.kind == Kind::Dict)
        return v.dict->flavor == DictFlavor::Namespace ? 1 : v.dict->depth;
    return 0;
}

const Value *CallArgs::get(size_t index, std::string_view name) const
{
    if (index < positional.size())
        return &positional[index];
    for (const auto &[key, value] : named)
        if (key == name)
            return &value;
    return nullptr;
}

const Value *DictData::find(const Value &key) const
{
    chargeWork(items.size()); // a linear scan: big dicts looked up in a loop are real work
    for (const auto &item : items)
        if (equals(item.first, key))
            return &item.second;
    return nullptr;
}

const Value *DictData::find(std::string_view key) const
{
    for (const auto &item : items)
        if (item.first.kind == Kind::String && item.first.str() == key)
            return &item.second;
    return nullptr;
}

void DictData::set(Value key, Value value)
{
    // A namespace may come to contain itself; its depth is not tracked (see depthOf).
    if (flavor != DictFlavor::Namespace) {
        const int d = 1 + std::max(depthOf(key), depthOf(value));
        if (d > maxNesting())
            failTooDeep();
        depth = std::max(depth, d);
    }
    chargeWork(items.size());
    for (auto &item : items) {
        if (equals(item.first, key)) {
            item.second = std::move(value);
            return;
        }
    }
    charge(sizeof(items[0]));
    items.emplace_back(std::move(key), std::move(value));
}

namespace {

std::shared_ptr<const StringData> makeText(std::string x)
{
    if (x.empty())
        return nullptr;
    auto data = std::make_shared<StringData>();
    data->charge(x.capacity() + sizeof(StringData));
    data->text = std::move(x);
    return data;
}

} // namespace

Value Value::undefined(std::string message)
{
    Value v;
    v.text = makeText(std::move(message));
    return v;
}

Value Value::undefinedName(std::string_view name) { return undefined(py::repr(name) + " is undefined"); }

Value Value::none()
{
    Value v;
    v.kind = Kind::None;
    return v;
}

Value Value::boolean(bool x)
{
    Value v;
    v.kind = Kind::Bool;
    v.b = x;
    return v;
}

Value Value::integer(int64_t x)
{
    Value v;
    v.kind = Kind::Int;
    v.i = x;
    return v;
}

Value Value::number(double x)
{
    Value v;
    v.kind = Kind::Float;
    v.f = x;
    return v;
}

Value Value::string(std::string x)
{
    Value v;
    v.kind = Kind::String;
    v.text = makeText(std::move(x));
    return v;
}

Value Value::makeList(std::vector<Value> items, bool tuple)
{
    Value v;
    v.kind = Kind::List;
    v.list = std::make_shared<ListData>();
    int depth = 0;
    for (const Value &item : items)
        depth = std::max(depth, depthOf(item));
    if (depth + 1 > maxNesting())
        failTooDeep();
    v.list->depth = depth + 1;
    v.list->charge(items.capacity() * sizeof(Value) + sizeof(ListData));
    v.list->items = std::move(items);
    v.list->tuple = tuple;
    return v;
}

Value Value::makeDict(DictFlavor flavor)
{
    Value v;
    v.kind = Kind::Dict;
    v.dict = std::make_shared<DictData>();
    v.dict->charge(sizeof(DictData));
    v.dict->flavor = flavor;
    return v;
}

Value Value::function(std::string name, NativeFunction fn)
{
    Value v;
    v.kind = Kind::Callable;
    v.callable = std::make_shared<CallableData>(CallableData{std::move(name), std::move(fn)});
    return v;
}

void raiseUndefined(const Value &v) { fail(v.str().empty() ? std::string("value is undefined") : v.str()); }

bool truthy(const Value &v)
{
    switch (v.kind) {
    case Kind::Undefined:
    case Kind::None: return false;
    case Kind::Bool: return v.b;
    case Kind::Int: return v.i != 0;
    case Kind::Float: return v.f != 0.0;
    case Kind::String: return !v.str().empty();
    case Kind::List: return !v.list->items.empty();
    case Kind::Dict: return v.dict->flavor != DictFlavor::Dict || !v.dict->items.empty();
    case Kind::Callable: return true;
    }
    return false;
}

std::string toStr(const Value &v)
{
    switch (v.kind) {
    case Kind::Undefined: return {};
    case Kind::String: return v.str();
    default: return repr(v);
    }
}

namespace {

// repr() of nested values. Lists and plain dicts are bounded in depth when made, but namespaces
// can contain each other or themselves: as Python does, a dict already being printed prints as
// {...} (a namespace's attributes are such a dict), and the depth is counted so that a long
// chain of namespaces ends with an error instead of exhausting the stack.
void reprInto(std::string &out, const Value &v, std::vector<const void *> &open);

// The text grows with every item: it may not outgrow what the memory budget has left.
void checkGrowth(const std::string &out)
{
    if (RenderBudget *b = RenderBudget::current()) {
        b->charge(out.size());
        b->release(out.size());
    }
}

void reprInto(std::string &out, const Value &v, std::vector<const void *> &open)
{
    if (int(open.size()) > maxNesting())
        failTooDeep();
    switch (v.kind) {
    case Kind::Undefined: out += "Undefined"; return;
    case Kind::None: out += "None"; return;
    case Kind::Bool: out += v.b ? "True" : "False"; return;
    case Kind::Int: out += std::to_string(v.i); return;
    case Kind::Float: out += json::formatDouble(v.f); return;
    case Kind::String:
        chargeWork(v.str().size());
        out += py::repr(v.str());
        checkGrowth(out);
        return;
    case Kind::List: {
        open.push_back(v.list.get());
        out += v.list->tuple ? "(" : "[";
        for (size_t k = 0; k < v.list->items.size(); ++k) {
            if (k)
                out += ", ";
            reprInto(out, v.list->items[k], open);
        }
        if (v.list->tuple && v.list->items.size() == 1)
            out += ',';
        out += v.list->tuple ? ")" : "]";
        open.pop_back();
        break;
    }
    case Kind::Dict: {
        const bool ns = v.dict->flavor == DictFlavor::Namespace;
        if (std::find(open.begin(), open.end(), v.dict.get()) != open.end()) {
            out += ns ? "<Namespace {...}>" : "{...}";
            return;
        }
        open.push_back(v.dict.get());
        out += ns ? "<Namespace {" : "{";
        for (size_t k = 0; k < v.dict->items.size(); ++k) {
            if (k)
                out += ", ";
            reprInto(out, v.dict->items[k].first, open);
            out += ": ";
            reprInto(out, v.dict->items[k].second, open);
        }
        out += ns ? "}>" : "}";
        open.pop_back();
        break;
    }
    case Kind::Callable: out += "<function " + v.callable->name + ">"; return;
    }
    checkGrowth(out);
}

} // namespace

std::string repr(const Value &v)
{
    std::string out;
    std::vector<const void *> open;
    reprInto(out, v, open);
    return out;
}

std::string typeName(const Value &v)
{
    switch (v.kind) {
    case Kind::Undefined: return "Undefined";
    case Kind::None: return "NoneType";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::List: return v.list->tuple ? "tuple" : "list";
    case Kind::Dict:
        return v.dict->flavor == DictFlavor::Namespace ? "Namespace" : v.dict->flavor == DictFlavor::Loop ? "LoopContext" : "dict";
    case Kind::Callable: return "function";
    }
    return "object";
}

std::string objectTypeRepr(const Value &v)
{
    if (v.kind == Kind::None)
        return "None";
    return typeName(v) + " object";
}

bool equals(const Value &a, const Value &b)
{
    if (a.isNumber() && b.isNumber()) {
        if (a.kind == Kind::Float || b.kind == Kind::Float)
            return a.asDouble() == b.asDouble();
        return a.asInt() == b.asInt();
    }
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case Kind::Undefined:
    case Kind::None: return true;
    case Kind::String: chargeWork(std::min(a.str().size(), b.str().size())); return a.str() == b.str();
    case Kind::List:
        if (a.list->tuple != b.list->tuple || a.list->items.size() != b.list->items.size())
            return false;
        for (size_t k = 0; k < a.list->items.size(); ++k)
            if (!equals(a.list->items[k], b.list->items[k]))
                return false;
        return true;
    case Kind::Dict:
        if (a.dict->flavor != DictFlavor::Dict || b.dict->flavor != DictFlavor::Dict)
            return a.dict == b.dict;
        if (a.dict->items.size() != b.dict->items.size())
            return false;
        for (const auto &[key, value] : a.dict->items) {
            const Value *other = b.dict->find(key);
            if (!other || !equals(value, *other))
                return false;
        }
        return true;
    case Kind::Callable: return a.callable == b.callable;
    default: return false;
    }
}

int compare(const Value &a, const Value &b, std::string_view op)
{
    if (a.isUndefined())
        raiseUndefined(a);
    if (b.isUndefined())
        raiseUndefined(b);
    if (a.isNumber() && b.isNumber()) {
        if (a.kind == Kind::Float || b.kind == Kind::Float) {
            const double x = a.asDouble(), y = b.asDouble();
            return x < y ? -1 : x > y ? 1 : 0;
        }
        const int64_t x = a.asInt(), y = b.asInt();
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a.kind == Kind::String && b.kind == Kind::String) {
        chargeWork(std::min(a.str().size(), b.str().size()));
        const int c = a.str().compare(b.str()); // UTF-8 byte order is code point order
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    if (a.kind == Kind::List && b.kind == Kind::List && a.list->tuple == b.list->tuple) {
        const auto &x = a.list->items, &y = b.list->items;
        for (size_t k = 0; k < x.size() && k < y.size(); ++k) {
            if (!equals(x[k], y[k]))
                return compare(x[k], y[k], op);
        }
        return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
    }
    fail("'" + std::string(op) + "' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
}

std::vector<Value> iterate(const Value &v)
{
    switch (v.kind) {
    case Kind::Undefined: return {};
    case Kind::List: return v.list->items;
    case Kind::Dict: {
        if (v.dict->flavor != DictFlavor::Dict)
            break;
        std::vector<Value> keys;
        keys.reserve(v.dict->items.size());
        for (const auto &item : v.dict->items)
            keys.push_back(item.first);
        return keys;
    }
    case Kind::String: {
        std::vector<Value> chars;
        // A Value per character: make sure the budget can hold them before making them.
        if (RenderBudget *b = RenderBudget::current()) {
            b->charge(v.str().size() * sizeof(Value));
            b->release(v.str().size() * sizeof(Value));
        }
        for (char32_t c : py::decode(v.str())) {
            std::string one;
            py::appendUtf8(one, c);
            chars.push_back(Value::string(std::move(one)));
        }
        return chars;
    }
    default: break;
    }
    fail("'" + typeName(v) + "' object is not iterable");
}

int64_t lengthOf(const Value &v)
{
    switch (v.kind) {
    case Kind::Undefined: return 0;
    case Kind::String: chargeWork(v.str().size()); return int64_t(py::length(v.str()));
    case Kind::List: return int64_t(v.list->items.size());
    case Kind::Dict:
        if (v.dict->flavor == DictFlavor::Dict)
            return int64_t(v.dict->items.size());
        break;
    default: break;
    }
    fail("object of type '" + typeName(v) + "' has no len()");
}

Value fromJson(const json::Value &v)
{
    switch (v.type()) {
    case json::Type::Null: return Value::none();
    case json::Type::Bool: return Value::boolean(v.toBool());
    case json::Type::Int: return Value::integer(v.toInt());
    case json::Type::Double: return Value::number(v.toDouble());
    case json::Type::String: return Value::string(v.toString());
    case json::Type::Array: {
        std::vector<Value> items;
        items.reserve(v.size());
        for (const auto &item : v.toArray())
            items.push_back(fromJson(item));
        return Value::makeList(std::move(items));
    }
    case json::Type::Object: {
        Value d = Value::makeDict();
        d.dict->items.reserve(v.size());
        for (const auto &[key, item] : v.toObject())
            d.dict->items.emplace_back(Value::string(key), fromJson(item));
        return d;
    }
    }
    return Value::none();
}

json::Value toJson(const Value &v)
{
    switch (v.kind) {
    case Kind::None: return json::Value();
    case Kind::Bool: return json::Value(v.b);
    case Kind::Int: return json::Value(v.i);
    case Kind::Float: return json::Value(v.f);
    case Kind::String: return json::Value(v.str());
    case Kind::List: {
        json::Value::Array items;
        for (const auto &item : v.list->items)
            items.push_back(toJson(item));
        return json::Value(std::move(items));
    }
    case Kind::Dict: {
        if (v.dict->flavor != DictFlavor::Dict)
            break;
        json::Value::Object members;
        for (const auto &[key, item] : v.dict->items) {
            std::string name;
            switch (key.kind) {
            case Kind::String: name = key.str(); break;
            case Kind::Bool: name = key.b ? "true" : "false"; break;
            case Kind::None: name = "null"; break;
            case Kind::Int:
            case Kind::Float: name = repr(key); break;
            default: fail("keys must be str, int, float, bool or None, not " + typeName(key));
            }
            members.emplace_back(std::move(name), toJson(item));
        }
        return json::Value(std::move(members));
    }
    default: break;
    }
    fail("Object of type " + typeName(v) + " is not JSON serializable");
}

} // namespace parlo::chat::jinja
