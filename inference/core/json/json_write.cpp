// Serializer that reproduces Python's json.dumps byte for byte: chat templates call tojson, and
// the prompt a model sees must be the one it was trained on.
#include "parlo/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace parlo::json {

std::string formatDouble(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v < 0 ? "-inf" : "inf";
    if (v == 0)
        return std::signbit(v) ? "-0.0" : "0.0";
    // Shortest round-trip digits, then Python's float_repr_style 'r' layout.
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    if (ec != std::errc())
        return "nan";
    std::string_view sci(buf, size_t(end - buf));
    std::string out;
    size_t p = 0;
    if (sci[0] == '-') {
        out += '-';
        p = 1;
    }
    const size_t ePos = sci.find('e');
    std::string digits;
    for (size_t i = p; i < ePos; ++i)
        if (sci[i] != '.')
            digits += sci[i];
    int exponent = 0;
    std::from_chars(sci.data() + ePos + 1 + (sci[ePos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
    // Python switches to scientific below 1e-4 (repr(0.0001) == '0.0001', repr(0.00001) == '1e-05').
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out += "0.";
            out.append(size_t(-exponent - 1), '0');
            out += digits;
        } else if (size_t(exponent) + 1 >= digits.size()) {
            out += digits;
            out.append(size_t(exponent) + 1 - digits.size(), '0');
            out += ".0";
        } else {
            out += digits.substr(0, size_t(exponent) + 1);
            out += '.';
            out += digits.substr(size_t(exponent) + 1);
        }
        return out;
    }
    out += digits[0];
    if (digits.size() > 1) {
        out += '.';
        out += digits.substr(1);
    }
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
    out += e;
    return out;
}

void appendQuoted(std::string &out, std::string_view s, bool ensureAscii)
{
    static const char *hex = "0123456789abcdef";
    auto appendU = [&](uint32_t u) {
        out += "\\u";
        out += hex[(u >> 12) & 15];
        out += hex[(u >> 8) & 15];
        out += hex[(u >> 4) & 15];
        out += hex[u & 15];
    };
    out += '"';
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = uint8_t(s[i]);
        switch (c) {
        case '"': out += "\\\""; continue;
        case '\\': out += "\\\\"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        default: break;
        }
        if (c < 0x20) {
            appendU(c);
        } else if (c < 0x7F || (c == 0x7F && !ensureAscii)) {
            out += char(c);
        } else if (c == 0x7F) {
            appendU(c);
        } else if (!ensureAscii) {
            out += char(c);
        } else {
            // Decode one UTF-8 sequence; invalid bytes are escaped as themselves (U+00XX).
            uint32_t cp = c;
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (len > 1 && i + len <= s.size()) {
                cp = c & (0x7F >> len);
                for (size_t k = 1; k < len; ++k)
                    cp = (cp << 6) | (uint8_t(s[i + k]) & 0x3F);
                i += len - 1;
            }
            if (cp >= 0x10000) {
                cp -= 0x10000;
                appendU(0xD800 + (cp >> 10));
                appendU(0xDC00 + (cp & 0x3FF));
            } else {
                appendU(cp);
            }
        }
    }
    out += '"';
}

namespace {

struct Writer
{
    const WriteOptions &options;
    std::string itemSep;
    std::string keySep;
    std::string out;

    void newline(int level)
    {
        out += '\n';
        out.append(size_t(options.indent) * size_t(level), ' ');
    }

    void write(const Value &v, int level)
    {
        switch (v.type()) {
        case Type::Null: out += "null"; break;
        case Type::Bool: out += v.toBool() ? "true" : "false"; break;
        case Type::Int: out += std::to_string(v.toInt()); break;
        case Type::Double: {
            const double d = v.toDouble();
            if (std::isnan(d))
                out += "NaN";
            else if (std::isinf(d))
                out += d < 0 ? "-Infinity" : "Infinity";
            else
                out += formatDouble(d);
            break;
        }
        case Type::String: appendQuoted(out, v.toString(), options.ensureAscii); break;
        case Type::Array: {
            const auto &a = v.toArray();
            if (a.empty()) {
                out += "[]";
                break;
            }
            out += '[';
            for (size_t i = 0; i < a.size(); ++i) {
                if (i)
                    out += itemSep;
                if (options.indent >= 0)
                    newline(level + 1);
                write(a[i], level + 1);
            }
            if (options.indent >= 0)
                newline(level);
            out += ']';
            break;
        }
        case Type::Object: {
            const auto &o = v.toObject();
            if (o.empty()) {
                out += "{}";
                break;
            }
            std::vector<const Value::Member *> members;
            for (const auto &m : o)
                members.push_back(&m);
            if (options.sortKeys)
                std::stable_sort(members.begin(), members.end(),
                                 [](const Value::Member *a, const Value::Member *b) { return a->first < b->first; });
            out += '{';
            for (size_t i = 0; i < members.size(); ++i) {
                if (i)
                    out += itemSep;
                if (options.indent >= 0)
                    newline(level + 1);
                appendQuoted(out, members[i]->first, options.ensureAscii);
                out += keySep;
                write(members[i]->second, level + 1);
            }
            if (options.indent >= 0)
                newline(level);
            out += '}';
            break;
        }
        }
    }
};

} // namespace

std::string serialize(const Value &value, const WriteOptions &options)
{
    Writer w{options, options.itemSeparator, options.keySeparator, {}};
    if (w.itemSep.empty() && w.keySep.empty()) {
        w.itemSep = options.indent >= 0 ? "," : ", ";
        w.keySep = ": ";
    }
    w.write(value, 0);
    return std::move(w.out);
}

} // namespace parlo::json
