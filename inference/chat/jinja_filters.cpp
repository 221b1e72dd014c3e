// jinja2's built-in filters plus transformers' tojson, with jinja2 3.1's argument names,
// defaults and quirks (indent's first/blank rules, case-insensitive sort/unique, ...).
#include "chat/jinja_interpreter.h"

#include "chat/py_string.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace parlo::chat::jinja {

namespace {

using FilterFn = Value (*)(Interpreter &, const Value &, const CallArgs &);

const Value *arg(const CallArgs &args, size_t index, std::string_view name) { return args.get(index, name); }

std::string strArg(const CallArgs &args, size_t index, std::string_view name, std::string def)
{
    const Value *v = arg(args, index, name);
    return v && !v->isNone() ? toStr(*v) : def;
}

int64_t intArg(const CallArgs &args, size_t index, std::string_view name, int64_t def)
{
    const Value *v = arg(args, index, name);
    if (!v || v->isNone())
        return def;
    if (!v->isNumber())
        fail("'" + std::string(name) + "' must be a number, not " + typeName(*v));
    return v->asInt();
}

bool boolArg(const CallArgs &args, size_t index, std::string_view name, bool def)
{
    const Value *v = arg(args, index, name);
    return v ? truthy(*v) : def;
}

std::string text(const Value &v)
{
    if (v.isUndefined())
        return {};
    return toStr(v);
}

std::vector<Value> items(const Value &v)
{
    if (v.isNone())
        fail("'NoneType' object is not iterable");
    return iterate(v);
}

// jinja2's make_attrgetter: "a.b.0" walks attributes and items.
Value attrPath(Interpreter &in, const Value &item, const Value &attribute)
{
    if (attribute.isIntegral())
        return in.getItem(item, attribute);
    Value current = item;
    for (const std::string &part : py::split(toStr(attribute), std::string("."), -1)) {
        int64_t index = 0;
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
        if (ec == std::errc() && ptr == part.data() + part.size())
            current = in.getItem(current, Value::integer(index));
        else
            current = in.getItem(current, Value::string(part));
        if (current.isUndefined())
            break;
    }
    return current;
}

Value ignoreCase(const Value &v) { return v.isString() ? Value::string(py::lower(v.str())) : v; }

Value fTrim(Interpreter &, const Value &v, const CallArgs &a)
{
    const Value *chars = arg(a, 0, "chars");
    return Value::string(py::strip(text(v), chars && !chars->isNone() ? std::optional<std::string>(toStr(*chars)) : std::nullopt));
}

Value fLength(Interpreter &, const Value &v, const CallArgs &) { return Value::integer(lengthOf(v)); }
Value fUpper(Interpreter &, const Value &v, const CallArgs &) { return Value::string(py::upper(text(v))); }
Value fLower(Interpreter &, const Value &v, const CallArgs &) { return Value::string(py::lower(text(v))); }
Value fCapitalize(Interpreter &, const Value &v, const CallArgs &) { return Value::string(py::capitalize(text(v))); }
Value fSafe(Interpreter &, const Value &v, const CallArgs &) { return v; }
Value fString(Interpreter &, const Value &v, const CallArgs &) { return Value::string(text(v)); }

Value fTitle(Interpreter &, const Value &v, const CallArgs &)
{
    // jinja2 splits before runs of '-', whitespace and opening brackets, then capitalizes each piece.
    const std::u32string u = py::decode(text(v));
    auto isBoundary = [](char32_t c) { return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || py::isSpace(c); };
    std::string out;
    size_t k = 0;
    while (k < u.size()) {
        size_t e = k;
        const bool boundary = isBoundary(u[k]);
        while (e < u.size() && isBoundary(u[e]) == boundary)
            ++e;
        const std::u32string piece = u.substr(k, e - k);
        out += boundary ? py::encode(piece) : py::upper(py::encode(piece.substr(0, 1))) + py::lower(py::encode(piece.substr(1)));
        k = e;
    }
    return Value::string(out);
}

Value fDefault(Interpreter &, const Value &v, const CallArgs &a)
{
    const Value *def = arg(a, 0, "default_value");
    const bool boolean = boolArg(a, 1, "boolean", false);
    if (v.isUndefined() || (boolean && !truthy(v)))
        return def ? *def : Value::string("");
    return v;
}

Value fFirst(Interpreter &, const Value &v, const CallArgs &)
{
    std::vector<Value> all = items(v);
    return all.empty() ? Value::undefined("No first item, sequence was empty.") : all.front();
}

Value fLast(Interpreter &, const Value &v, const CallArgs &)
{
    std::vector<Value> all = items(v);
    return all.empty() ? Value::undefined("No last item, sequence was empty.") : all.back();
}

Value fJoin(Interpreter &in, const Value &v, const CallArgs &a)
{
    const std::string sep = strArg(a, 0, "d", "");
    const Value *attribute = arg(a, 1, "attribute");
    std::string out;
    bool first = true;
    for (const Value &item : items(v)) {
        if (!first)
            out += sep;
        first = false;
        out += text(attribute ? attrPath(in, item, *attribute) : item);
        in.checkStringSize(out.size());
    }
    return Value::string(std::move(out));
}

Value fReplace(Interpreter &in, const Value &v, const CallArgs &a)
{
    const Value *from = arg(a, 0, "old");
    const Value *to = arg(a, 1, "new");
    if (!from || !to)
        fail("replace() needs the old and new strings");
    const std::string s = text(v), f = toStr(*from), t = toStr(*to);
    const int64_t count = intArg(a, 2, "count", -1);
    // Bound the result before building it.
    if (!f.empty() && t.size() > f.size())
        in.checkStringSize(s.size() + size_t(py::count(s, f)) * (t.size() - f.size()));
    else if (f.empty())
        in.checkStringSize(s.size() + (py::length(s) + 1) * t.size());
    return Value::string(py::replace(s, f, t, count));
}

Value fItems(Interpreter &, const Value &v, const CallArgs &)
{
    if (v.isUndefined())
        return Value::makeList();
    if (!v.isDict() || v.dict->flavor != DictFlavor::Dict)
        fail("Can only get item pairs from a mapping.");
    std::vector<Value> pairs;
    for (const auto &[key, value] : v.dict->items)
        pairs.push_back(Value::makeList({key, value}, true));
    return Value::makeList(std::move(pairs));
}

Value fList(Interpreter &, const Value &v, const CallArgs &) { return Value::makeList(items(v)); }

Value fToJson(Interpreter &in, const Value &v, const CallArgs &a)
{
    if (v.isUndefined())
        fail("Object of type Undefined is not JSON serializable");
    json::WriteOptions options;
    options.ensureAscii = boolArg(a, 0, "ensure_ascii", false);
    if (const Value *indent = arg(a, 1, "indent"); indent && !indent->isNone()) {
        if (indent->isString())
            fail("tojson: a string indent is not supported");
        options.indent = int(std::clamp<int64_t>(indent->asInt(), 0, 64));
    }
    if (const Value *sep = arg(a, 2, "separators"); sep && !sep->isNone()) {
        if (!sep->isList() || sep->list->items.size() != 2)
            fail("tojson: separators must be a pair of strings");
        options.itemSeparator = toStr(sep->list->items[0]);
        options.keySeparator = toStr(sep->list->items[1]);
    }
    options.sortKeys = boolArg(a, 3, "sort_keys", false);
    std::string out = json::serialize(toJson(v), options);
    in.checkStringSize(out.size());
    return Value::string(std::move(out));
}

Value fIndent(Interpreter &in, const Value &v, const CallArgs &a)
{
    std::string indention;
    if (const Value *w = arg(a, 0, "width"); w && w->isString())
        indention = w->str();
    else
        indention = std::string(size_t(std::clamp<int64_t>(intArg(a, 0, "width", 4), 0, 1024)), ' ');
    const bool first = boolArg(a, 1, "first", false);
    const bool blank = boolArg(a, 2, "blank", false);
    const std::vector<std::string> lines = py::splitlines(text(v) + "\n");
    std::string out;
    for (size_t k = 0; k < lines.size(); ++k) {
        if (k > 0) {
            out += '\n';
            if (blank || !lines[k].empty())
                out += indention;
        }
        out += lines[k];
        in.checkStringSize(out.size());
    }
    if (first)
        out = indention + out;
    return Value::string(std::move(out));
}

Value fInt(Interpreter &, const Value &v, const CallArgs &a)
{
    const int64_t def = intArg(a, 0, "default", 0);
    const int64_t base = intArg(a, 1, "base", 10);
    if (v.isUndefined())
        raiseUndefined(v);
    if (v.isIntegral())
        return Value::integer(v.asInt());
    if (v.kind == Kind::Float) {
        if (!std::isfinite(v.f) || std::fabs(v.f) >= 9.2e18)
            return Value::integer(def);
        return Value::integer(int64_t(v.f));
    }
    if (v.isString()) {
        std::string s = py::strip(v.str(), std::nullopt);
        std::string clean;
        for (char c : s)
            if (c != '_')
                clean += c;
        if (!clean.empty() && clean[0] == '+')
            clean.erase(0, 1);
        int64_t out = 0;
        if (base >= 2 && base <= 36) {
            auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), out, int(base));
            if (ec == std::errc() && ptr == clean.data() + clean.size() && !clean.empty())
                return Value::integer(out);
        }
        double d = 0;
        auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), d);
        if (ec == std::errc() && ptr == clean.data() + clean.size() && std::isfinite(d) && std::fabs(d) < 9.2e18)
            return Value::integer(int64_t(d));
    }
    return Value::integer(def);
}

Value fFloat(Interpreter &, const Value &v, const CallArgs &a)
{
    const Value *defV = arg(a, 0, "default");
    const double def = defV && defV->isNumber() ? defV->asDouble() : 0.0;
    if (v.isUndefined())
        raiseUndefined(v);
    if (v.isNumber())
        return Value::number(v.asDouble());
    if (v.isString()) {
        std::string s = py::lower(py::strip(v.str(), std::nullopt));
        if (!s.empty() && s[0] == '+')
            s.erase(0, 1);
        if (s == "inf" || s == "infinity" || s == "-inf" || s == "-infinity")
            return Value::number(s[0] == '-' ? -HUGE_VAL : HUGE_VAL);
        if (s == "nan" || s == "-nan")
            return Value::number(NAN);
        double d = 0;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty())
            return Value::number(d);
    }
    return Value::number(def);
}

Value fAbs(Interpreter &, const Value &v, const CallArgs &)
{
    if (!v.isNumber())
        fail("bad operand type for abs(): '" + typeName(v) + "'");
    if (v.kind == Kind::Float)
        return Value::number(std::fabs(v.f));
    if (v.asInt() == INT64_MIN)
        fail("integer overflow");
    return Value::integer(std::llabs(v.asInt()));
}

Value fRound(Interpreter &, const Value &v, const CallArgs &a)
{
    const int64_t precision = std::clamp<int64_t>(intArg(a, 0, "precision", 0), -20, 20);
    const std::string method = strArg(a, 1, "method", "common");
    if (!v.isNumber())
        fail("round: expected a number, got " + typeName(v));
    if (method != "common" && method != "ceil" && method != "floor")
        fail("method must be common, ceil or floor");
    if (method == "common") {
        if (v.isIntegral())
            return Value::integer(v.asInt()); // Python: round(int, n) stays an int
        if (!std::isfinite(v.f))
            return v;
        if (precision >= 0) {
            // printf rounds the exact binary value half-to-even, as Python's round() does.
            char buf[512];
            std::snprintf(buf, sizeof buf, "%.*f", int(precision), v.f);
            double d = 0;
            std::from_chars(buf, buf + std::char_traits<char>::length(buf), d);
            return Value::number(d);
        }
        const double scale = std::pow(10.0, double(-precision));
        return Value::number(std::nearbyint(v.f / scale) * scale);
    }
    const double scale = std::pow(10.0, double(precision));
    const double x = v.asDouble() * scale;
    return Value::number((method == "ceil" ? std::ceil(x) : std::floor(x)) / scale);
}

Value fReverse(Interpreter &, const Value &v, const CallArgs &)
{
    if (v.isString()) {
        std::u32string u = py::decode(v.str());
        std::reverse(u.begin(), u.end());
        return Value::string(py::encode(u));
    }
    std::vector<Value> all = items(v);
    std::reverse(all.begin(), all.end());
    return Value::makeList(std::move(all));
}

std::vector<Value> sortedItems(Interpreter &in, std::vector<Value> all, bool reverse, bool caseSensitive, const Value *attribute)
{
    std::vector<std::pair<Value, size_t>> keyed;
    for (size_t k = 0; k < all.size(); ++k) {
        Value key = attribute ? attrPath(in, all[k], *attribute) : all[k];
        keyed.emplace_back(caseSensitive ? key : ignoreCase(key), k);
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto &x, const auto &y) {
        return reverse ? compare(y.first, x.first, "<") < 0 : compare(x.first, y.first, "<") < 0;
    });
    std::vector<Value> out;
    for (const auto &[key, index] : keyed)
        out.push_back(all[index]);
    return out;
}

Value fSort(Interpreter &in, const Value &v, const CallArgs &a)
{
    return Value::makeList(sortedItems(in, items(v), boolArg(a, 0, "reverse", false), boolArg(a, 1, "case_sensitive", false),
                                       arg(a, 2, "attribute")));
}

Value fDictsort(Interpreter &in, const Value &v, const CallArgs &a)
{
    const bool caseSensitive = boolArg(a, 0, "case_sensitive", false);
    const std::string by = strArg(a, 1, "by", "key");
    const bool reverse = boolArg(a, 2, "reverse", false);
    if (by != "key" && by != "value")
        fail("You can only sort by either \"key\" or \"value\"");
    const Value pairs = fItems(in, v, {});
    const Value position = Value::integer(by == "key" ? 0 : 1);
    return Value::makeList(sortedItems(in, pairs.list->items, reverse, caseSensitive, &position));
}

Value fUnique(Interpreter &in, const Value &v, const CallArgs &a)
{
    const bool caseSensitive = boolArg(a, 0, "case_sensitive", false);
    const Value *attribute = arg(a, 1, "attribute");
    std::vector<Value> out, seen;
    for (const Value &item : items(v)) {
        in.tick();
        Value key = attribute ? attrPath(in, item, *attribute) : item;
        if (!caseSensitive)
            key = ignoreCase(key);
        if (std::none_of(seen.begin(), seen.end(), [&](const Value &s) { return equals(s, key); })) {
            seen.push_back(key);
            out.push_back(item);
        }
    }
    return Value::makeList(std::move(out));
}

Value minMax(Interpreter &in, const Value &v, const CallArgs &a, bool max)
{
    const bool caseSensitive = boolArg(a, 0, "case_sensitive", false);
    const Value *attribute = arg(a, 1, "attribute");
    std::vector<Value> all = items(v);
    if (all.empty())
        return Value::undefined(std::string("No aggregated item, sequence was empty."));
    size_t best = 0;
    auto key = [&](const Value &item) {
        Value k = attribute ? attrPath(in, item, *attribute) : item;
        return caseSensitive ? k : ignoreCase(k);
    };
    for (size_t k = 1; k < all.size(); ++k) {
        const int c = compare(key(all[k]), key(all[best]), "<");
        if (max ? c > 0 : c < 0)
            best = k;
    }
    return all[best];
}

Value fMax(Interpreter &in, const Value &v, const CallArgs &a) { return minMax(in, v, a, true); }
Value fMin(Interpreter &in, const Value &v, const CallArgs &a) { return minMax(in, v, a, false); }

Value fSum(Interpreter &in, const Value &v, const CallArgs &a)
{
    const Value *attribute = arg(a, 0, "attribute");
    const Value *start = arg(a, 1, "start");
    Value total = start ? *start : Value::integer(0);
    for (const Value &item : items(v)) {
        const Value x = attribute ? attrPath(in, item, *attribute) : item;
        if (!x.isNumber() || !total.isNumber())
            fail("unsupported operand type(s) for +: '" + typeName(total) + "' and '" + typeName(x) + "'");
        if (total.isIntegral() && x.isIntegral()) {
            int64_t r = 0;
            if (__builtin_add_overflow(total.asInt(), x.asInt(), &r))
                fail("integer overflow");
            total = Value::integer(r);
        } else {
            total = Value::number(total.asDouble() + x.asDouble());
        }
    }
    return total;
}

Value fEscape(Interpreter &, const Value &v, const CallArgs &)
{
    std::string out;
    for (char c : text(v)) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&#34;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return Value::string(std::move(out));
}

Value fWordcount(Interpreter &, const Value &v, const CallArgs &)
{
    int64_t words = 0;
    bool inWord = false;
    for (char32_t c : py::decode(text(v))) {
        const bool w = py::isAlnum(c) || c == '_';
        if (w && !inWord)
            ++words;
        inWord = w;
    }
    return Value::integer(words);
}

Value fCenter(Interpreter &in, const Value &v, const CallArgs &a)
{
    const std::string s = text(v);
    const int64_t width = intArg(a, 0, "width", 80);
    const int64_t n = int64_t(py::length(s));
    if (width <= n)
        return Value::string(s);
    in.checkStringSize(size_t(width));
    const int64_t pad = width - n;
    const int64_t left = pad / 2 + (pad & width & 1);
    return Value::string(std::string(size_t(left), ' ') + s + std::string(size_t(pad - left), ' '));
}

Value fTruncate(Interpreter &, const Value &v, const CallArgs &a)
{
    const std::string s = text(v);
    const int64_t length = intArg(a, 0, "length", 255);
    const bool killwords = boolArg(a, 1, "killwords", false);
    const std::string end = strArg(a, 2, "end", "...");
    const int64_t leeway = intArg(a, 3, "leeway", 5);
    const std::u32string u = py::decode(s);
    if (int64_t(u.size()) <= length + leeway)
        return Value::string(s);
    const int64_t keep = std::max<int64_t>(0, length - int64_t(py::length(end)));
    std::string head = py::encode(std::u32string_view(u).substr(0, size_t(keep)));
    if (!killwords) {
        const size_t space = head.rfind(' ');
        if (space != std::string::npos)
            head.resize(space);
    }
    return Value::string(head + end);
}

Value fBatch(Interpreter &in, const Value &v, const CallArgs &a)
{
    const int64_t count = intArg(a, 0, "linecount", 1);
    if (count <= 0)
        fail("batch size must be positive");
    const Value *fill = arg(a, 1, "fill_with");
    // Filling pads the last batch to `count` items: refuse a count no list may have.
    if (fill && !fill->isNone())
        in.checkCollectionSize(size_t(count));
    std::vector<Value> out, current;
    for (const Value &item : items(v)) {
        if (int64_t(current.size()) == count) {
            out.push_back(Value::makeList(std::move(current)));
            current.clear();
        }
        current.push_back(item);
    }
    if (!current.empty()) {
        if (fill && !fill->isNone())
            while (int64_t(current.size()) < count)
                current.push_back(*fill);
        out.push_back(Value::makeList(std::move(current)));
    }
    return Value::makeList(std::move(out));
}

Value fFormat(Interpreter &in, const Value &v, const CallArgs &a)
{
    if (!a.named.empty()) {
        Value d = Value::makeDict();
        for (const auto &[key, value] : a.named)
            d.dict->set(Value::string(key), value);
        return Value::string(percentFormat(in, text(v), d));
    }
    return Value::string(percentFormat(in, text(v), Value::makeList(a.positional, true)));
}

Value fAttr(Interpreter &in, const Value &v, const CallArgs &a)
{
    const std::string name = strArg(a, 0, "name", "");
    if (v.isDict() && v.dict->flavor == DictFlavor::Dict) {
        Value method = methodOf(in, v, name);
        return method.isUndefined() ? Value::undefined("'dict object' has no attribute " + py::repr(name)) : method;
    }
    return in.getAttr(v, name);
}

// select/reject and selectattr/rejectattr share jinja2's select_or_reject.
Value selectOrReject(Interpreter &in, const Value &v, const CallArgs &a, bool lookupAttr, bool select)
{
    size_t next = 0;
    Value attribute;
    if (lookupAttr) {
        if (a.positional.empty())
            fail("Missing parameter for attribute name");
        attribute = a.positional[0];
        next = 1;
    }
    std::string testName;
    CallArgs testArgs;
    if (a.positional.size() > next) {
        testName = toStr(a.positional[next]);
        testArgs.positional.assign(a.positional.begin() + long(next) + 1, a.positional.end());
        testArgs.named = a.named;
    }
    std::vector<Value> out;
    if (!truthy(v))
        return Value::makeList(); // jinja2 skips falsy input (none, empty) instead of iterating it
    for (const Value &item : items(v)) {
        in.tick();
        const Value x = lookupAttr ? attrPath(in, item, attribute) : item;
        const bool passed = testName.empty() ? truthy(x) : applyTest(in, testName, x, testArgs);
        if (passed == select)
            out.push_back(item);
    }
    return Value::makeList(std::move(out));
}

Value fSelect(Interpreter &in, const Value &v, const CallArgs &a) { return selectOrReject(in, v, a, false, true); }
Value fReject(Interpreter &in, const Value &v, const CallArgs &a) { return selectOrReject(in, v, a, false, false); }
Value fSelectattr(Interpreter &in, const Value &v, const CallArgs &a) { return selectOrReject(in, v, a, true, true); }
Value fRejectattr(Interpreter &in, const Value &v, const CallArgs &a) { return selectOrReject(in, v, a, true, false); }

Value fMap(Interpreter &in, const Value &v, const CallArgs &a)
{
    std::vector<Value> out;
    if (!truthy(v))
        return Value::makeList();
    if (const Value *attribute = arg(a, 99, "attribute"); attribute && a.positional.empty()) {
        const Value *def = arg(a, 99, "default");
        for (const Value &item : items(v)) {
            Value x = attrPath(in, item, *attribute);
            out.push_back(x.isUndefined() && def ? *def : x);
        }
        return Value::makeList(std::move(out));
    }
    if (a.positional.empty())
        fail("map requires a filter argument");
    const std::string filter = toStr(a.positional[0]);
    CallArgs rest;
    rest.positional.assign(a.positional.begin() + 1, a.positional.end());
    rest.named = a.named;
    for (const Value &item : items(v)) {
        in.tick();
        out.push_back(applyFilter(in, filter, item, rest));
    }
    return Value::makeList(std::move(out));
}

const std::unordered_map<std::string, FilterFn> &filters()
{
    static const std::unordered_map<std::string, FilterFn> table = {
        {"trim", fTrim},          {"length", fLength},        {"count", fLength},        {"upper", fUpper},
        {"lower", fLower},        {"capitalize", fCapitalize}, {"title", fTitle},         {"default", fDefault},
        {"d", fDefault},          {"first", fFirst},          {"last", fLast},           {"join", fJoin},
        {"replace", fReplace},    {"items", fItems},          {"list", fList},           {"string", fString},
        {"tojson", fToJson},      {"indent", fIndent},        {"int", fInt},             {"float", fFloat},
        {"abs", fAbs},            {"round", fRound},          {"reverse", fReverse},     {"sort", fSort},
        {"dictsort", fDictsort},  {"unique", fUnique},        {"max", fMax},             {"min", fMin},
        {"sum", fSum},            {"safe", fSafe},            {"e", fEscape},            {"escape", fEscape},
        {"forceescape", fEscape}, {"wordcount", fWordcount},  {"center", fCenter},       {"truncate", fTruncate},
        {"batch", fBatch},        {"format", fFormat},        {"attr", fAttr},           {"select", fSelect},
        {"reject", fReject},      {"selectattr", fSelectattr}, {"rejectattr", fRejectattr}, {"map", fMap},
    };
    return table;
}

} // namespace

Value applyFilter(Interpreter &in, const std::string &name, const Value &value, const CallArgs &args)
{
    const auto &table = filters();
    const auto it = table.find(name);
    if (it == table.end())
        fail("No filter named " + py::repr(name) + ".");
    // Filters go through their input (and string arguments) once or a few times: charge that as
    // work, so a loop cannot make a cheap-looking filter call burn minutes on a huge string.
    chargeCall(value, args);
    return it->second(in, value, args);
}

bool hasFilter(const std::string &name) { return filters().count(name) != 0; }

} // namespace parlo::chat::jinja
