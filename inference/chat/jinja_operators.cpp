// Attribute and item access, arithmetic, slicing and membership with Python's rules and
// jinja2's sandbox: underscore attributes and mutating methods are not reachable.
#include "chat/jinja_interpreter.h"

#include "chat/py_string.h"

#include <cmath>

namespace parlo::chat::jinja {

namespace {

bool isUnsafeMethod(const Value &obj, const std::string &name)
{
    static const char *listMutators[] = {"append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"};
    static const char *dictMutators[] = {"clear", "pop", "popitem", "setdefault", "update"};
    if (obj.isList() && !obj.isTuple())
        for (const char *m : listMutators)
            if (name == m)
                return true;
    if (obj.isDict())
        for (const char *m : dictMutators)
            if (name == m)
                return true;
    return false;
}

Value noAttribute(const Value &obj, const std::string &name)
{
    return Value::undefined("'" + objectTypeRepr(obj) + "' has no attribute " + py::repr(name));
}

Value noElement(const Value &obj, const Value &key)
{
    return Value::undefined(objectTypeRepr(obj) + " has no element " + repr(key));
}

using OverflowOp = bool (*)(int64_t, int64_t, int64_t *);

int64_t checked(OverflowOp op, int64_t x, int64_t y)
{
    int64_t r = 0;
    if (op(x, y, &r))
        fail("integer overflow");
    return r;
}

bool addOverflow(int64_t x, int64_t y, int64_t *r) { return __builtin_add_overflow(x, y, r); }
bool subOverflow(int64_t x, int64_t y, int64_t *r) { return __builtin_sub_overflow(x, y, r); }
bool mulOverflow(int64_t x, int64_t y, int64_t *r) { return __builtin_mul_overflow(x, y, r); }

int64_t floorDiv(int64_t a, int64_t b)
{
    if (a == INT64_MIN && b == -1)
        fail("integer overflow");
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

int64_t pyMod(int64_t a, int64_t b)
{
    if (b == -1)
        return 0;
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

} // namespace

void chargeCall(const Value &self, const CallArgs &args)
{
    const auto cost = [](const Value &v) -> uint64_t {
        switch (v.kind) {
        case Kind::String: return v.str().size();
        case Kind::List: return 8 * v.list->items.size();
        case Kind::Dict: return 16 * v.dict->items.size();
        default: return 1;
        }
    };
    uint64_t total = cost(self);
    for (const Value &v : args.positional)
        total += cost(v);
    for (const auto &[name, v] : args.named)
        total += cost(v);
    chargeWork(total);
}

Value Interpreter::getAttr(const Value &obj, const std::string &name)
{
    if (obj.isUndefined())
        raiseUndefined(obj);
    if (!name.empty() && name[0] == '_')
        return Value::undefined("access to attribute " + py::repr(name) + " of " + py::repr(typeName(obj)) + " object is unsafe.");
    if (isUnsafeMethod(obj, name))
        return Value::undefined("access to attribute " + py::repr(name) + " of " + py::repr(typeName(obj)) + " object is unsafe.");
    if (obj.kind == Kind::Dict) {
        if (obj.dict->flavor == DictFlavor::Dict) {
            Value method = methodOf(*this, obj, name);
            if (!method.isUndefined())
                return method;
        }
        if (const Value *v = obj.dict->find(std::string_view(name)))
            return *v;
        return noAttribute(obj, name);
    }
    if (obj.isString() || obj.isList()) {
        Value method = methodOf(*this, obj, name);
        if (!method.isUndefined())
            return method;
    }
    return noAttribute(obj, name);
}

Value Interpreter::getItem(const Value &obj, const Value &key)
{
    if (obj.isUndefined())
        raiseUndefined(obj);
    if (key.isUndefined())
        raiseUndefined(key);
    if (obj.kind == Kind::Dict && obj.dict->flavor == DictFlavor::Dict) {
        if (const Value *v = obj.dict->find(key))
            return *v;
    } else if ((obj.isList() || obj.isString()) && key.isIntegral()) {
        int64_t index = key.asInt();
        const int64_t n = obj.isList() ? int64_t(obj.list->items.size()) : lengthOf(obj);
        if (index < 0)
            index += n;
        if (index >= 0 && index < n) {
            if (obj.isList())
                return obj.list->items[size_t(index)];
            chargeWork(obj.str().size());
            if (obj.str().size() == size_t(n))
                return Value::string(obj.str().substr(size_t(index), 1));
            std::string one;
            py::appendUtf8(one, py::decode(obj.str())[size_t(index)]);
            return Value::string(one);
        }
        return noElement(obj, key);
    }
    if (key.isString())
        return getAttr(obj, key.str());
    return noElement(obj, key);
}

bool Interpreter::contains(const Value &container, const Value &item)
{
    switch (container.kind) {
    case Kind::Undefined: return false;
    case Kind::String:
        if (!item.isString()) {
            if (item.isUndefined())
                raiseUndefined(item);
            fail("'in <string>' requires string as left operand, not " + typeName(item));
        }
        chargeWork(container.str().size() + item.str().size());
        return container.str().find(item.str()) != std::string::npos;
    case Kind::List:
        chargeWork(container.list->items.size());
        for (const auto &x : container.list->items)
            if (equals(x, item))
                return true;
        return false;
    case Kind::Dict:
        if (container.dict->flavor != DictFlavor::Dict)
            break;
        chargeWork(container.dict->items.size());
        return container.dict->find(item) != nullptr;
    default: break;
    }
    fail("argument of type '" + typeName(container) + "' is not iterable");
}

Value Interpreter::slice(const Value &obj, const Value &startV, const Value &stopV, const Value &stepV)
{
    auto toIndex = [](const Value &v, const char *what) -> std::optional<int64_t> {
        if (v.isNone() || v.isUndefined())
            return std::nullopt;
        if (!v.isIntegral())
            fail(std::string("slice ") + what + " must be an integer or None");
        return v.asInt();
    };
    const auto start = toIndex(startV, "indices"), stop = toIndex(stopV, "indices");
    const int64_t step = toIndex(stepV, "indices").value_or(1);
    if (step == 0)
        fail("slice step cannot be zero");
    if (!obj.isList() && !obj.isString())
        fail("'" + typeName(obj) + "' object is not subscriptable");
    chargeWork(obj.isString() ? obj.str().size() : obj.list->items.size());
    const bool ascii = obj.isString() && py::length(obj.str()) == obj.str().size();
    std::u32string text;
    if (obj.isString() && !ascii)
        text = py::decode(obj.str());
    const int64_t n = obj.isList() ? int64_t(obj.list->items.size()) : ascii ? int64_t(obj.str().size()) : int64_t(text.size());
    // Python's PySlice_AdjustIndices.
    auto adjust = [&](std::optional<int64_t> v, int64_t def) {
        if (!v)
            return def;
        int64_t x = *v;
        if (x < 0) {
            x += n;
            if (x < 0)
                x = step < 0 ? -1 : 0;
        } else if (x >= n) {
            x = step < 0 ? n - 1 : n;
        }
        return x;
    };
    const int64_t b = adjust(start, step < 0 ? n - 1 : 0);
    const int64_t e = adjust(stop, step < 0 ? -1 : n);
    const auto forEachIndex = [&](auto &&visit) {
        for (int64_t k = b; step > 0 ? k < e : k > e;) {
            visit(k);
            if (__builtin_add_overflow(k, step, &k))
                break;
        }
    };
    if (obj.isList()) {
        std::vector<Value> items;
        forEachIndex([&](int64_t k) { items.push_back(obj.list->items[size_t(k)]); });
        return Value::makeList(std::move(items), obj.list->tuple);
    }
    std::string out;
    if (ascii) {
        if (step == 1)
            return Value::string(obj.str().substr(size_t(b), size_t(std::max<int64_t>(0, e - b))));
        forEachIndex([&](int64_t k) { out += obj.str()[size_t(k)]; });
    } else {
        forEachIndex([&](int64_t k) { py::appendUtf8(out, text[size_t(k)]); });
    }
    return Value::string(std::move(out));
}

Value Interpreter::binary(const std::string &op, const Value &a, const Value &b)
{
    if (op == "~") {
        std::string out = toStr(a);
        const std::string right = toStr(b);
        checkStringSize(out.size() + right.size());
        chargeWork(out.size() + right.size());
        return Value::string(out + right);
    }
    if (a.isUndefined())
        raiseUndefined(a);
    if (b.isUndefined())
        raiseUndefined(b);
    auto unsupported = [&]() -> Value {
        if (op == "+" && a.isString())
            fail("can only concatenate str (not \"" + typeName(b) + "\") to str");
        if (op == "+" && a.isList())
            fail("can only concatenate " + typeName(a) + " (not \"" + typeName(b) + "\") to " + typeName(a));
        fail("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    };
    if (a.isNumber() && b.isNumber()) {
        const bool integral = a.isIntegral() && b.isIntegral();
        const int64_t x = a.asInt(), y = b.asInt();
        const double fx = a.asDouble(), fy = b.asDouble();
        if (op == "+")
            return integral ? Value::integer(checked(addOverflow, x, y)) : Value::number(fx + fy);
        if (op == "-")
            return integral ? Value::integer(checked(subOverflow, x, y)) : Value::number(fx - fy);
        if (op == "*")
            return integral ? Value::integer(checked(mulOverflow, x, y)) : Value::number(fx * fy);
        if (op == "/") {
            if (fy == 0)
                fail("division by zero");
            return Value::number(fx / fy);
        }
        if (op == "//") {
            if (integral) {
                if (y == 0)
                    fail("integer division or modulo by zero");
                return Value::integer(floorDiv(x, y));
            }
            if (fy == 0)
                fail("float floor division by zero");
            return Value::number(std::floor(fx / fy));
        }
        if (op == "%") {
            if (integral) {
                if (y == 0)
                    fail("integer modulo by zero");
                return Value::integer(pyMod(x, y));
            }
            if (fy == 0)
                fail("float modulo");
            double m = std::fmod(fx, fy);
            if (m != 0 && ((m < 0) != (fy < 0)))
                m += fy;
            return Value::number(m);
        }
        if (op == "**") {
            if (integral && y >= 0) {
                int64_t result = 1, base = x, e = y;
                while (e > 0) {
                    if (e & 1)
                        result = checked(mulOverflow, result, base);
                    e >>= 1;
                    if (e > 0)
                        base = checked(mulOverflow, base, base);
                }
                return Value::integer(result);
            }
            if (fx == 0 && fy < 0)
                fail("0.0 cannot be raised to a negative power");
            return Value::number(std::pow(fx, fy));
        }
        return unsupported();
    }
    if (op == "+") {
        if (a.isString() && b.isString()) {
            checkStringSize(a.str().size() + b.str().size());
            chargeWork(a.str().size() + b.str().size());
            return Value::string(a.str() + b.str());
        }
        if (a.isList() && b.isList() && a.list->tuple == b.list->tuple) {
            checkCollectionSize(a.list->items.size() + b.list->items.size());
            chargeWork(a.list->items.size() + b.list->items.size());
            std::vector<Value> items = a.list->items;
            items.insert(items.end(), b.list->items.begin(), b.list->items.end());
            return Value::makeList(std::move(items), a.list->tuple);
        }
        return unsupported();
    }
    if (op == "*") {
        const Value *seq = a.isString() || a.isList() ? &a : b.isString() || b.isList() ? &b : nullptr;
        const Value *count = seq == &a ? &b : &a;
        if (!seq || !count->isIntegral())
            return unsupported();
        const int64_t times = std::max<int64_t>(0, count->asInt());
        if (seq->isString()) {
            if (times > 0 && seq->str().size() > 0)
                checkStringSize(size_t(times) > m_limits.maxOutputBytes ? m_limits.maxOutputBytes + 1 : seq->str().size() * size_t(times));
            chargeWork(seq->str().size() * size_t(times));
            std::string out;
            out.reserve(seq->str().size() * size_t(times));
            for (int64_t k = 0; k < times && !seq->str().empty(); ++k)
                out += seq->str();
            return Value::string(std::move(out));
        }
        if (times > 0 && !seq->list->items.empty())
            checkCollectionSize(size_t(times) > m_limits.maxCollectionSize ? m_limits.maxCollectionSize + 1
                                                                            : seq->list->items.size() * size_t(times));
        chargeWork(seq->list->items.size() * size_t(times));
        std::vector<Value> items;
        for (int64_t k = 0; k < times && !seq->list->items.empty(); ++k)
            items.insert(items.end(), seq->list->items.begin(), seq->list->items.end());
        return Value::makeList(std::move(items), seq->list->tuple);
    }
    if (op == "%" && a.isString()) {
        chargeWork(a.str().size());
        return Value::string(percentFormat(*this, a.str(), b));
    }
    return unsupported();
}

} // namespace parlo::chat::jinja
