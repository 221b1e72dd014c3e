// Strict RFC 8259 parser. Every failure names the line and column, so a user can fix the file.
#include "parlo/json.h"

#include <charconv>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include "core/utf8.h"

namespace parlo::json {

namespace {

class Parser
{
public:
    Parser(std::string_view text, const ParseOptions &options) : m_text(text), m_options(options) {}

    Result<Value> run()
    {
        if (m_text.size() > m_options.maxBytes)
            return makeError("JSON document is " + std::to_string(m_text.size()) + " bytes, more than the limit of " +
                             std::to_string(m_options.maxBytes));
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
            m_pos = 3;
        Value value;
        skipSpace();
        if (!parseValue(value, 0))
            return failure();
        skipSpace();
        if (m_pos != m_text.size()) {
            fail("unexpected data after the JSON value");
            return failure();
        }
        return value;
    }

private:
    std::string_view m_text;
    const ParseOptions &m_options;
    size_t m_pos = 0;
    size_t m_errorPos = 0;
    std::string m_error;

    bool fail(std::string message)
    {
        if (m_error.empty()) {
            m_error = std::move(message);
            m_errorPos = m_pos;
        }
        return false;
    }

    Error failure() const
    {
        size_t line = 1, column = 1;
        for (size_t i = 0; i < m_errorPos && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                column = 1;
            } else if ((uint8_t(m_text[i]) & 0xC0) != 0x80) {
                ++column;
            }
        }
        return makeError("JSON: line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + m_error);
    }

    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }

    void skipSpace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_pos;
    }

    bool literal(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return fail("invalid literal");
        m_pos += word.size();
        return true;
    }

    bool parseValue(Value &out, size_t depth)
    {
        if (atEnd())
            return fail("unexpected end of input");
        switch (peek()) {
        case '{':
            return parseObject(out, depth + 1);
        case '[':
            return parseArray(out, depth + 1);
        case '"': {
            std::string s;
            if (!parseString(s))
                return false;
            out = Value(std::move(s));
            return true;
        }
        case 't':
            out = Value(true);
            return literal("true");
        case 'f':
            out = Value(false);
            return literal("false");
        case 'n':
            out = Value();
            return literal("null");
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return parseNumber(out);
            return fail(std::string("unexpected character '") + peek() + "'");
        }
    }

    bool checkDepth(size_t depth)
    {
        if (depth > m_options.maxDepth)
            return fail("nesting deeper than " + std::to_string(m_options.maxDepth) + " levels");
        return true;
    }

    bool parseArray(Value &out, size_t depth)
    {
        if (!checkDepth(depth))
            return false;
        ++m_pos; // [
        Value::Array items;
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            out = Value(std::move(items));
            return true;
        }
        while (true) {
            skipSpace();
            Value item;
            if (!parseValue(item, depth))
                return false;
            items.push_back(std::move(item));
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == ']') {
                ++m_pos;
                out = Value(std::move(items));
                return true;
            }
            return fail(atEnd() ? "unexpected end of input in an array" : "expected ',' or ']' in an array");
        }
    }

    bool parseObject(Value &out, size_t depth)
    {
        if (!checkDepth(depth))
            return false;
        ++m_pos; // {
        Value::Object members;
        // Duplicate keys: the last value wins at the first key's position, as in Python.
        std::unordered_map<std::string, size_t> index;
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            out = Value(std::move(members));
            return true;
        }
        while (true) {
            skipSpace();
            if (peek() != '"')
                return fail(atEnd() ? "unexpected end of input in an object" : "expected a string key in an object");
            std::string key;
            if (!parseString(key))
                return false;
            skipSpace();
            if (peek() != ':')
                return fail("expected ':' after an object key");
            ++m_pos;
            skipSpace();
            Value item;
            if (!parseValue(item, depth))
                return false;
            auto [it, inserted] = index.emplace(key, members.size());
            if (inserted)
                members.emplace_back(std::move(key), std::move(item));
            else
                members[it->second].second = std::move(item);
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                out = Value(std::move(members));
                return true;
            }
            return fail(atEnd() ? "unexpected end of input in an object" : "expected ',' or '}' in an object");
        }
    }

    bool hex4(uint32_t &out)
    {
        if (m_pos + 4 > m_text.size())
            return fail("truncated \\u escape");
        out = 0;
        for (int i = 0; i < 4; ++i) {
            char c = m_text[m_pos + i];
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= uint32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= uint32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= uint32_t(c - 'A' + 10);
            else
                return fail("invalid \\u escape");
        }
        m_pos += 4;
        return true;
    }

    // Validates one UTF-8 sequence starting at m_pos and copies it.
    bool copyUtf8(std::string &out)
    {
        const auto b0 = uint8_t(m_text[m_pos]);
        size_t len = 0;
        uint32_t cp = 0;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            cp = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            cp = b0 & 0x07;
        } else {
            return fail("invalid UTF-8 byte in a string");
        }
        if (m_pos + len > m_text.size())
            return fail("truncated UTF-8 sequence in a string");
        for (size_t i = 1; i < len; ++i) {
            const auto b = uint8_t(m_text[m_pos + i]);
            if ((b & 0xC0) != 0x80)
                return fail("invalid UTF-8 sequence in a string");
            cp = (cp << 6) | (b & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return fail("invalid UTF-8 sequence in a string");
        out.append(m_text.substr(m_pos, len));
        m_pos += len;
        return true;
    }

    bool parseString(std::string &out)
    {
        ++m_pos; // opening quote
        while (true) {
            if (atEnd())
                return fail("unterminated string");
            const char c = m_text[m_pos];
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (uint8_t(c) < 0x20)
                return fail("control character in a string (escape it)");
            if (c != '\\') {
                if (uint8_t(c) < 0x80) {
                    out += c;
                    ++m_pos;
                } else if (!copyUtf8(out)) {
                    return false;
                }
                continue;
            }
            ++m_pos;
            if (atEnd())
                return fail("unterminated string");
            const char e = m_text[m_pos++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t low = 0;
                    if (m_text.substr(m_pos, 2) != "\\u")
                        return fail("lone surrogate in a \\u escape");
                    m_pos += 2;
                    if (!hex4(low))
                        return false;
                    if (low < 0xDC00 || low > 0xDFFF)
                        return fail("lone surrogate in a \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail("lone surrogate in a \\u escape");
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                --m_pos;
                return fail(std::string("invalid escape '\\") + e + "'");
            }
        }
    }

    bool parseNumber(Value &out)
    {
        const size_t start = m_pos;
        bool isFloat = false;
        if (peek() == '-')
            ++m_pos;
        if (peek() == '0') {
            ++m_pos;
        } else if (peek() >= '1' && peek() <= '9') {
            while (peek() >= '0' && peek() <= '9')
                ++m_pos;
        } else {
            return fail("invalid number");
        }
        if (peek() == '.') {
            isFloat = true;
            ++m_pos;
            if (!(peek() >= '0' && peek() <= '9'))
                return fail("invalid number: digits must follow '.'");
            while (peek() >= '0' && peek() <= '9')
                ++m_pos;
        }
        if (peek() == 'e' || peek() == 'E') {
            isFloat = true;
            ++m_pos;
            if (peek() == '+' || peek() == '-')
                ++m_pos;
            if (!(peek() >= '0' && peek() <= '9'))
                return fail("invalid number: digits must follow the exponent");
            while (peek() >= '0' && peek() <= '9')
                ++m_pos;
        }
        const char *first = m_text.data() + start;
        const char *last = m_text.data() + m_pos;
        if (!isFloat) {
            int64_t v = 0;
            auto [ptr, ec] = std::from_chars(first, last, v);
            if (ec == std::errc() && ptr == last) {
                out = Value(v);
                return true;
            }
            // Too large for int64: keep it as a double, as most JSON readers do.
        }
        double d = 0;
        auto [ptr, ec] = std::from_chars(first, last, d);
        if (ec == std::errc::result_out_of_range) {
            // Underflow to zero is harmless; overflow to infinity is not representable in JSON.
            const std::string_view digits(first, size_t(last - first));
            const size_t e = digits.find_first_of("eE");
            if (e != std::string_view::npos && e + 1 < digits.size() && digits[e + 1] == '-') {
                out = Value(0.0);
                return true;
            }
            m_pos = start;
            return fail("number out of range");
        }
        if (ec != std::errc() || ptr != last || !std::isfinite(d)) {
            m_pos = start;
            return fail("number out of range");
        }
        out = Value(d);
        return true;
    }
};

} // namespace

Result<Value> parse(std::string_view text, const ParseOptions &options) { return Parser(text, options).run(); }

} // namespace parlo::json
