// jinja2's built-in tests (`x is defined`, `x is divisibleby 3`, ...).
#include "chat/jinja_interpreter.h"

#include "chat/py_string.h"

#include <cmath>
#include <unordered_map>

namespace parlo::chat::jinja {

namespace {

using TestFn = bool (*)(Interpreter &, const Value &, const CallArgs &);

const Value &required(const CallArgs &a, const char *name)
{
    const Value *v = a.get(0, name);
    if (!v)
        fail(std::string("test needs an argument '") + name + "'");
    return *v;
}

int64_t intOf(const Value &v)
{
    if (v.isUndefined())
        raiseUndefined(v);
    if (!v.isNumber())
        fail("unsupported operand type(s) for %: '" + typeName(v) + "' and 'int'");
    return v.kind == Kind::Float ? int64_t(std::fmod(v.f, 1e18)) : v.asInt();
}

bool tDefined(Interpreter &, const Value &v, const CallArgs &) { return !v.isUndefined(); }
bool tUndefined(Interpreter &, const Value &v, const CallArgs &) { return v.isUndefined(); }
bool tNone(Interpreter &, const Value &v, const CallArgs &) { return v.isNone(); }
bool tString(Interpreter &, const Value &v, const CallArgs &) { return v.isString(); }
bool tNumber(Interpreter &, const Value &v, const CallArgs &) { return v.isNumber(); }
bool tInteger(Interpreter &, const Value &v, const CallArgs &) { return v.kind == Kind::Int; }
bool tFloat(Interpreter &, const Value &v, const CallArgs &) { return v.kind == Kind::Float; }
bool tBoolean(Interpreter &, const Value &v, const CallArgs &) { return v.kind == Kind::Bool; }
bool tTrue(Interpreter &, const Value &v, const CallArgs &) { return v.kind == Kind::Bool && v.b; }
bool tFalse(Interpreter &, const Value &v, const CallArgs &) { return v.kind == Kind::Bool && !v.b; }
bool tMapping(Interpreter &, const Value &v, const CallArgs &) { return v.isDict() && v.dict->flavor == DictFlavor::Dict; }
bool tCallable(Interpreter &, const Value &v, const CallArgs &) { return v.kind == Kind::Callable; }
bool tEscaped(Interpreter &, const Value &, const CallArgs &) { return false; }

bool tIterable(Interpreter &, const Value &v, const CallArgs &)
{
    return v.isUndefined() || v.isString() || v.isList() || (v.isDict() && v.dict->flavor == DictFlavor::Dict);
}

bool tSequence(Interpreter &in, const Value &v, const CallArgs &a) { return tIterable(in, v, a); }
bool tEven(Interpreter &, const Value &v, const CallArgs &) { return intOf(v) % 2 == 0; }
bool tOdd(Interpreter &, const Value &v, const CallArgs &) { return intOf(v) % 2 != 0; }

bool tDivisibleBy(Interpreter &, const Value &v, const CallArgs &a)
{
    const int64_t d = intOf(required(a, "num"));
    if (d == 0)
        fail("integer division or modulo by zero");
    return d == -1 || intOf(v) % d == 0;
}

bool tEq(Interpreter &, const Value &v, const CallArgs &a) { return equals(v, required(a, "other")); }
bool tNe(Interpreter &, const Value &v, const CallArgs &a) { return !equals(v, required(a, "other")); }
bool tLt(Interpreter &, const Value &v, const CallArgs &a) { return compare(v, required(a, "other"), "<") < 0; }
bool tLe(Interpreter &, const Value &v, const CallArgs &a) { return compare(v, required(a, "other"), "<=") <= 0; }
bool tGt(Interpreter &, const Value &v, const CallArgs &a) { return compare(v, required(a, "other"), ">") > 0; }
bool tGe(Interpreter &, const Value &v, const CallArgs &a) { return compare(v, required(a, "other"), ">=") >= 0; }

bool tIn(Interpreter &, const Value &v, const CallArgs &a)
{
    const Value &seq = required(a, "seq");
    if (seq.isString())
        return v.isString() && seq.str().find(v.str()) != std::string::npos;
    for (const Value &item : iterate(seq))
        if (equals(item, v))
            return true;
    return false;
}

bool tSameAs(Interpreter &, const Value &v, const CallArgs &a)
{
    const Value &other = required(a, "other");
    if (v.kind != other.kind)
        return false;
    switch (v.kind) {
    case Kind::List: return v.list == other.list;
    case Kind::Dict: return v.dict == other.dict;
    case Kind::Callable: return v.callable == other.callable;
    default: return equals(v, other);
    }
}

bool tLower(Interpreter &, const Value &v, const CallArgs &)
{
    const std::string s = toStr(v);
    bool cased = false;
    for (char32_t c : py::decode(s)) {
        if (py::isUpperCase(c))
            return false;
        cased = cased || py::isLowerCase(c);
    }
    return cased;
}

bool tUpper(Interpreter &, const Value &v, const CallArgs &)
{
    const std::string s = toStr(v);
    bool cased = false;
    for (char32_t c : py::decode(s)) {
        if (py::isLowerCase(c))
            return false;
        cased = cased || py::isUpperCase(c);
    }
    return cased;
}

bool tFilter(Interpreter &, const Value &v, const CallArgs &) { return v.isString() && hasFilter(v.str()); }
bool tTest(Interpreter &, const Value &v, const CallArgs &) { return v.isString() && hasTest(v.str()); }

const std::unordered_map<std::string, TestFn> &tests()
{
    static const std::unordered_map<std::string, TestFn> table = {
        {"defined", tDefined},   {"undefined", tUndefined}, {"none", tNone},         {"string", tString},
        {"number", tNumber},     {"integer", tInteger},     {"float", tFloat},       {"boolean", tBoolean},
        {"true", tTrue},         {"false", tFalse},         {"mapping", tMapping},   {"callable", tCallable},
        {"escaped", tEscaped},   {"iterable", tIterable},   {"sequence", tSequence}, {"even", tEven},
        {"odd", tOdd},           {"divisibleby", tDivisibleBy}, {"eq", tEq},         {"equalto", tEq},
        {"==", tEq},             {"ne", tNe},               {"!=", tNe},             {"lt", tLt},
        {"lessthan", tLt},       {"<", tLt},                {"le", tLe},             {"<=", tLe},
        {"gt", tGt},             {"greaterthan", tGt},      {">", tGt},              {"ge", tGe},
        {">=", tGe},             {"in", tIn},               {"sameas", tSameAs},     {"lower", tLower},
        {"upper", tUpper},       {"filter", tFilter},       {"test", tTest},
    };
    return table;
}

} // namespace

bool applyTest(Interpreter &in, const std::string &name, const Value &value, const CallArgs &args)
{
    const auto &table = tests();
    const auto it = table.find(name);
    if (it == table.end())
        fail("No test named " + py::repr(name) + ".");
    return it->second(in, value, args);
}

bool hasTest(const std::string &name) { return tests().count(name) != 0; }

} // namespace parlo::chat::jinja
