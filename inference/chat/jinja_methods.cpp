// Python methods of str, dict and list that templates call (`content.strip()`,
// `message.get('x')`, `'{}'.format(x)`), and printf-style `%` formatting.
#include "chat/jinja_interpreter.h"

#include "chat/py_string.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace parlo::chat::jinja {

namespace {

std::optional<std::string> optStr(const CallArgs &a, size_t index, const char *name)
{
    const Value *v = a.get(index, name);
    if (!v || v->isNone())
        return std::nullopt;
    if (!v->isString())
        fail(std::string("argument '") + name + "' must be str or None, not " + typeName(*v));
    return v->str();
}

int64_t optInt(const CallArgs &a, size_t index, const char *name, int64_t def)
{
    const Value *v = a.get(index, name);
    if (!v || v->isNone())
        return def;
    if (!v->isIntegral())
        fail(std::string("argument '") + name + "' must be an integer");
    return v->asInt();
}

const std::string &needStr(const CallArgs &a, size_t index, const char *name)
{
    const Value *v = a.get(index, name);
    if (!v)
        fail(std::string("missing argument '") + name + "'");
    if (!v->isString())
        fail(std::string("argument '") + name + "' must be str, not " + typeName(*v));
    return v->str();
}

Value strList(const std::vector<std::string> &parts)
{
    std::vector<Value> items;
    items.reserve(parts.size());
    for (const auto &p : parts)
        items.push_back(Value::string(p));
    return Value::makeList(std::move(items));
}

bool affix(const std::string &s, const Value &what, bool prefix)
{
    auto one = [&](const Value &v) {
        if (!v.isString())
            fail(std::string(prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str");
        if (v.str().size() > s.size())
            return false;
        return prefix ? s.compare(0, v.str().size(), v.str()) == 0 : s.compare(s.size() - v.str().size(), v.str().size(), v.str()) == 0;
    };
    if (what.isList()) {
        for (const Value &v : what.list->items)
            if (one(v))
                return true;
        return false;
    }
    return one(what);
}

// A format spec [[fill]align][sign][width][.precision][type], applied to one value.
std::string applySpec(const Value &v, const std::string &spec)
{
    if (spec.empty())
        return toStr(v);
    size_t k = 0;
    char fill = ' ', align = '\0';
    if (spec.size() >= 2 && (spec[1] == '<' || spec[1] == '>' || spec[1] == '^')) {
        fill = spec[0];
        align = spec[1];
        k = 2;
    } else if (spec[0] == '<' || spec[0] == '>' || spec[0] == '^') {
        align = spec[0];
        k = 1;
    }
    if (k < spec.size() && spec[k] == '0' && !align) {
        fill = '0';
        align = '>';
    }
    size_t width = 0;
    while (k < spec.size() && std::isdigit(uint8_t(spec[k])))
        width = std::min<size_t>(width * 10 + size_t(spec[k++] - '0'), 4096);
    int precision = -1;
    if (k < spec.size() && spec[k] == '.') {
        precision = 0;
        ++k;
        while (k < spec.size() && std::isdigit(uint8_t(spec[k])))
            precision = std::min(precision * 10 + (spec[k++] - '0'), 100);
    }
    const char type = k < spec.size() ? spec[k] : '\0';
    std::string body;
    if (type == 'f' || type == 'F' || type == 'e' || type == 'g' || type == '%') {
        if (!v.isNumber())
            fail("Unknown format code '" + std::string(1, type) + "' for object of type '" + typeName(v) + "'");
        char buf[512];
        const double x = type == '%' ? v.asDouble() * 100 : v.asDouble();
        std::snprintf(buf, sizeof buf, type == 'e' ? "%.*e" : type == 'g' ? "%.*g" : "%.*f", precision < 0 ? 6 : precision, x);
        body = buf;
        if (type == '%')
            body += '%';
    } else if (type == 'd') {
        if (!v.isIntegral())
            fail("Unknown format code 'd' for object of type '" + typeName(v) + "'");
        body = std::to_string(v.asInt());
    } else {
        body = toStr(v);
        if (precision >= 0 && v.isString())
            body = py::encode(py::decode(body).substr(0, size_t(precision)));
    }
    const size_t n = py::length(body);
    if (n >= width)
        return body;
    if (!align)
        align = v.isNumber() ? '>' : '<';
    const size_t pad = width - n;
    if (align == '<')
        return body + std::string(pad, fill);
    if (align == '>')
        return std::string(pad, fill) + body;
    return std::string(pad / 2, fill) + body + std::string(pad - pad / 2, fill);
}

std::string strFormat(Interpreter &in, const std::string &format, const CallArgs &a)
{
    std::string out;
    size_t autoIndex = 0;
    for (size_t k = 0; k < format.size(); ++k) {
        const char c = format[k];
        if (c == '}' && k + 1 < format.size() && format[k + 1] == '}') {
            out += '}';
            ++k;
            continue;
        }
        if (c != '{') {
            out += c;
            continue;
        }
        if (k + 1 < format.size() && format[k + 1] == '{') {
            out += '{';
            ++k;
            continue;
        }
        const size_t close = format.find('}', k);
        if (close == std::string::npos)
            fail("Single '{' encountered in format string");
        std::string field = format.substr(k + 1, close - k - 1);
        k = close;
        std::string spec, conversion;
        if (const size_t colon = field.find(':'); colon != std::string::npos) {
            spec = field.substr(colon + 1);
            field.resize(colon);
        }
        if (const size_t bang = field.find('!'); bang != std::string::npos) {
            conversion = field.substr(bang + 1);
            field.resize(bang);
        }
        Value v;
        if (field.empty()) {
            if (autoIndex >= a.positional.size())
                fail("Replacement index " + std::to_string(autoIndex) + " out of range for positional args tuple");
            v = a.positional[autoIndex++];
        } else if (std::isdigit(uint8_t(field[0]))) {
            const size_t index = size_t(std::stoul(field.substr(0, 6)));
            if (index >= a.positional.size())
                fail("Replacement index " + std::to_string(index) + " out of range for positional args tuple");
            v = a.positional[index];
        } else {
            const Value *named = nullptr;
            for (const auto &[key, value] : a.named)
                if (key == field)
                    named = &value;
            if (!named)
                fail("KeyError: " + py::repr(field));
            v = *named;
        }
        out += conversion == "r" ? repr(v) : applySpec(v, spec);
        in.checkStringSize(out.size());
    }
    return out;
}

Value bind(const Value &self, const std::string &name, Value (*fn)(Interpreter &, const Value &, const CallArgs &))
{
    return Value::function(name, [self, fn](Interpreter &in, const CallArgs &a) {
        chargeCall(self, a); // s.count('b') on a huge string in a loop must run out of budget
        return fn(in, self, a);
    });
}

#define PARLO_STR_METHOD(id, body)                                                                                     \
    Value id(Interpreter &in, const Value &self, const CallArgs &a)                                                    \
    {                                                                                                                  \
        (void)in;                                                                                                      \
        (void)a;                                                                                                       \
        [[maybe_unused]] const std::string &s = self.str();                                                                \
        body                                                                                                           \
    }

PARLO_STR_METHOD(sStrip, return Value::string(py::strip(s, optStr(a, 0, "chars"), py::StripSide::Both));)
PARLO_STR_METHOD(sLstrip, return Value::string(py::strip(s, optStr(a, 0, "chars"), py::StripSide::Left));)
PARLO_STR_METHOD(sRstrip, return Value::string(py::strip(s, optStr(a, 0, "chars"), py::StripSide::Right));)
PARLO_STR_METHOD(sUpper, return Value::string(py::upper(s));)
PARLO_STR_METHOD(sLower, return Value::string(py::lower(s));)
PARLO_STR_METHOD(sTitle, return Value::string(py::titleStr(s));)
PARLO_STR_METHOD(sCapitalize, return Value::string(py::capitalize(s));)
PARLO_STR_METHOD(sSwapcase, return Value::string(py::swapcase(s));)
PARLO_STR_METHOD(sSplitlines, return strList(py::splitlines(s, a.get(0, "keepends") && truthy(*a.get(0, "keepends"))));)
PARLO_STR_METHOD(sFind, return Value::integer(py::find(s, needStr(a, 0, "sub")));)
PARLO_STR_METHOD(sRfind, return Value::integer(py::find(s, needStr(a, 0, "sub"), true));)
PARLO_STR_METHOD(sCount, return Value::integer(py::count(s, needStr(a, 0, "sub")));)
PARLO_STR_METHOD(sIsspace, {
    const auto u = py::decode(s);
    return Value::boolean(!u.empty() && std::all_of(u.begin(), u.end(), py::isSpace));
})
PARLO_STR_METHOD(sIsdigit, {
    const auto u = py::decode(s);
    return Value::boolean(!u.empty() && std::all_of(u.begin(), u.end(), py::isDigit));
})
PARLO_STR_METHOD(sIsalpha, {
    const auto u = py::decode(s);
    return Value::boolean(!u.empty() && std::all_of(u.begin(), u.end(), py::isAlpha));
})
PARLO_STR_METHOD(sIsalnum, {
    const auto u = py::decode(s);
    return Value::boolean(!u.empty() && std::all_of(u.begin(), u.end(), [](char32_t c) { return py::isAlnum(c); }));
})
PARLO_STR_METHOD(sIslower, return Value::boolean(applyTest(in, "lower", self, {}));)
PARLO_STR_METHOD(sIsupper, return Value::boolean(applyTest(in, "upper", self, {}));)
PARLO_STR_METHOD(sStartswith, {
    const Value *p = a.get(0, "prefix");
    if (!p)
        fail("startswith() takes at least 1 argument");
    return Value::boolean(affix(s, *p, true));
})
PARLO_STR_METHOD(sEndswith, {
    const Value *p = a.get(0, "suffix");
    if (!p)
        fail("endswith() takes at least 1 argument");
    return Value::boolean(affix(s, *p, false));
})
PARLO_STR_METHOD(sSplit, {
    const auto sep = optStr(a, 0, "sep");
    if (sep && sep->empty())
        fail("empty separator");
    return strList(py::split(s, sep, optInt(a, 1, "maxsplit", -1)));
})
PARLO_STR_METHOD(sRsplit, {
    const auto sep = optStr(a, 0, "sep");
    if (sep && sep->empty())
        fail("empty separator");
    return strList(py::rsplit(s, sep, optInt(a, 1, "maxsplit", -1)));
})
PARLO_STR_METHOD(sReplace, {
    const std::string &from = needStr(a, 0, "old");
    const std::string &to = needStr(a, 1, "new");
    if (to.size() > from.size())
        in.checkStringSize(s.size() + size_t(py::count(s, from)) * (to.size() - from.size() + 1));
    return Value::string(py::replace(s, from, to, optInt(a, 2, "count", -1)));
})
PARLO_STR_METHOD(sJoin, {
    const Value *seq = a.get(0, "iterable");
    if (!seq)
        fail("join() takes exactly one argument");
    std::string out;
    bool first = true;
    for (const Value &item : iterate(*seq)) {
        if (!item.isString())
            fail("sequence item: expected str instance, " + typeName(item) + " found");
        if (!first)
            out += s;
        first = false;
        out += item.str();
        in.checkStringSize(out.size());
    }
    return Value::string(std::move(out));
})
PARLO_STR_METHOD(sFormat, return Value::string(strFormat(in, s, a));)
PARLO_STR_METHOD(sPartition, {
    const std::string &sep = needStr(a, 0, "sep");
    const size_t hit = sep.empty() ? std::string::npos : s.find(sep);
    if (hit == std::string::npos)
        return Value::makeList({Value::string(s), Value::string(""), Value::string("")}, true);
    return Value::makeList({Value::string(s.substr(0, hit)), Value::string(sep), Value::string(s.substr(hit + sep.size()))}, true);
})
PARLO_STR_METHOD(sZfill, {
    const int64_t width = std::min<int64_t>(optInt(a, 0, "width", 0), 4096);
    const int64_t n = int64_t(py::length(s));
    if (n >= width)
        return Value::string(s);
    const bool sign = !s.empty() && (s[0] == '-' || s[0] == '+');
    return Value::string((sign ? s.substr(0, 1) : "") + std::string(size_t(width - n), '0') + (sign ? s.substr(1) : s));
})

Value dItems(Interpreter &, const Value &self, const CallArgs &)
{
    std::vector<Value> pairs;
    for (const auto &[key, value] : self.dict->items)
        pairs.push_back(Value::makeList({key, value}, true));
    return Value::makeList(std::move(pairs));
}

Value dKeys(Interpreter &, const Value &self, const CallArgs &)
{
    std::vector<Value> keys;
    for (const auto &item : self.dict->items)
        keys.push_back(item.first);
    return Value::makeList(std::move(keys));
}

Value dValues(Interpreter &, const Value &self, const CallArgs &)
{
    std::vector<Value> values;
    for (const auto &item : self.dict->items)
        values.push_back(item.second);
    return Value::makeList(std::move(values));
}

Value dGet(Interpreter &, const Value &self, const CallArgs &a)
{
    const Value *key = a.get(0, "key");
    if (!key)
        fail("get expected at least 1 argument, got 0");
    if (const Value *v = self.dict->find(*key))
        return *v;
    const Value *def = a.get(1, "default");
    return def ? *def : Value::none();
}

Value dCopy(Interpreter &, const Value &self, const CallArgs &)
{
    Value d = Value::makeDict();
    d.dict->items = self.dict->items;
    return d;
}

Value lIndex(Interpreter &, const Value &self, const CallArgs &a)
{
    const Value *x = a.get(0, "value");
    if (!x)
        fail("index expected 1 argument");
    for (size_t k = 0; k < self.list->items.size(); ++k)
        if (equals(self.list->items[k], *x))
            return Value::integer(int64_t(k));
    fail(repr(*x) + " is not in list");
}

Value lCount(Interpreter &, const Value &self, const CallArgs &a)
{
    const Value *x = a.get(0, "value");
    if (!x)
        fail("count expected 1 argument");
    int64_t n = 0;
    for (const Value &item : self.list->items)
        n += equals(item, *x) ? 1 : 0;
    return Value::integer(n);
}

} // namespace

Value methodOf(Interpreter &, const Value &obj, const std::string &name)
{
    using Fn = Value (*)(Interpreter &, const Value &, const CallArgs &);
    if (obj.isString()) {
        static const std::pair<const char *, Fn> table[] = {
            {"strip", sStrip},         {"lstrip", sLstrip},       {"rstrip", sRstrip},       {"upper", sUpper},
            {"lower", sLower},         {"title", sTitle},         {"capitalize", sCapitalize}, {"swapcase", sSwapcase},
            {"splitlines", sSplitlines}, {"find", sFind},         {"rfind", sRfind},         {"count", sCount},
            {"isspace", sIsspace},     {"isdigit", sIsdigit},     {"isalpha", sIsalpha},     {"isalnum", sIsalnum},
            {"islower", sIslower},     {"isupper", sIsupper},     {"startswith", sStartswith}, {"endswith", sEndswith},
            {"split", sSplit},         {"rsplit", sRsplit},       {"replace", sReplace},     {"join", sJoin},
            {"format", sFormat},       {"partition", sPartition}, {"zfill", sZfill},
        };
        for (const auto &[n, fn] : table)
            if (name == n)
                return bind(obj, name, fn);
    } else if (obj.isDict() && obj.dict->flavor == DictFlavor::Dict) {
        static const std::pair<const char *, Fn> table[] = {
            {"items", dItems}, {"keys", dKeys}, {"values", dValues}, {"get", dGet}, {"copy", dCopy},
        };
        for (const auto &[n, fn] : table)
            if (name == n)
                return bind(obj, name, fn);
    } else if (obj.isList()) {
        static const std::pair<const char *, Fn> table[] = {{"index", lIndex}, {"count", lCount}};
        for (const auto &[n, fn] : table)
            if (name == n)
                return bind(obj, name, fn);
    }
    return Value::undefined("'" + objectTypeRepr(obj) + "' has no attribute " + py::repr(name));
}

std::string percentFormat(Interpreter &in, const std::string &format, const Value &args)
{
    std::vector<Value> positional;
    const bool mapping = args.isDict();
    if (args.isTuple())
        positional = args.list->items;
    else if (!mapping)
        positional.push_back(args);
    size_t next = 0;
    std::string out;
    for (size_t k = 0; k < format.size(); ++k) {
        if (format[k] != '%') {
            out += format[k];
            continue;
        }
        if (++k >= format.size())
            fail("incomplete format");
        if (format[k] == '%') {
            out += '%';
            continue;
        }
        Value v;
        if (format[k] == '(') {
            const size_t close = format.find(')', k);
            if (close == std::string::npos || !mapping)
                fail("format requires a mapping");
            const Value *found = args.dict->find(std::string_view(format).substr(k + 1, close - k - 1));
            if (!found)
                fail("KeyError: " + py::repr(format.substr(k + 1, close - k - 1)));
            v = *found;
            k = close + 1;
        } else {
            if (next >= positional.size())
                fail("not enough arguments for format string");
            v = positional[next++];
        }
        std::string flags;
        while (k < format.size() && std::string_view("-+ 0#").find(format[k]) != std::string_view::npos)
            flags += format[k++];
        std::string width;
        while (k < format.size() && std::isdigit(uint8_t(format[k])))
            width += format[k++];
        std::string precision;
        if (k < format.size() && format[k] == '.') {
            ++k;
            while (k < format.size() && std::isdigit(uint8_t(format[k])))
                precision += format[k++];
        }
        if (k >= format.size())
            fail("incomplete format");
        const char type = format[k];
        if (width.size() > 4 || precision.size() > 3)
            fail("format width or precision too large");
        const std::string spec = "%" + flags + width + (precision.empty() && format[k - 1] != '.' ? std::string() : "." + precision);
        char buf[8192];
        switch (type) {
        case 's':
        case 'r': {
            const std::string s = type == 'r' ? repr(v) : toStr(v);
            const size_t w = width.empty() ? 0 : size_t(std::stoi(width));
            const size_t n = py::length(s);
            if (n < w)
                out += flags.find('-') != std::string::npos ? s + std::string(w - n, ' ') : std::string(w - n, ' ') + s;
            else
                out += s;
            break;
        }
        case 'd':
        case 'i':
        case 'x':
        case 'X':
        case 'o':
            if (!v.isNumber())
                fail("%" + std::string(1, type) + " format: a number is required, not " + typeName(v));
            std::snprintf(buf, sizeof buf, (spec + "ll" + (type == 'i' ? 'd' : type)).c_str(), (long long)v.asInt());
            out += buf;
            break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
            if (!v.isNumber())
                fail("must be real number, not " + typeName(v));
            std::snprintf(buf, sizeof buf, (spec + type).c_str(), v.asDouble());
            out += buf;
            break;
        default: fail("unsupported format character '" + std::string(1, type) + "'");
        }
        in.checkStringSize(out.size());
    }
    if (!mapping && next < positional.size())
        fail("not all arguments converted during string formatting");
    return out;
}

} // namespace parlo::chat::jinja
