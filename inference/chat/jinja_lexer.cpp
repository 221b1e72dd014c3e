// Follows jinja2 3.1's lexer rules (see the header); positions are 1-based lines and columns.
#include "chat/jinja_lexer.h"

#include "chat/py_string.h"

#include <charconv>
#include <cmath>

namespace parlo::chat::jinja {

namespace {

bool isAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

class Lexer
{
public:
    Lexer(std::string_view source, const LexOptions &options) : m_options(options)
    {
        // jinja2 normalises \r\n and \r to \n, and drops one trailing newline.
        m_src.reserve(source.size());
        for (size_t i = 0; i < source.size(); ++i) {
            if (source[i] == '\r') {
                m_src += '\n';
                if (i + 1 < source.size() && source[i + 1] == '\n')
                    ++i;
            } else {
                m_src += source[i];
            }
        }
        if (!m_src.empty() && m_src.back() == '\n')
            m_src.pop_back();
    }

    std::vector<Token> run()
    {
        bool lineStarting = true;
        while (m_pos < m_src.size()) {
            const size_t tag = findTagStart(m_pos);
            if (tag == std::string::npos) {
                emitData(m_src.substr(m_pos), m_pos);
                m_pos = m_src.size();
                break;
            }
            const char kind = m_src[tag + 1]; // '{', '%' or '#'
            const char sign = tag + 2 < m_src.size() ? m_src[tag + 2] : '\0';
            std::string text = m_src.substr(m_pos, tag - m_pos);
            const size_t textPos = m_pos;
            if (sign == '-') {
                text = rstripPython(text);
            } else if (sign != '+' && m_options.lstripBlocks && kind != '{') {
                const size_t lineStart = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
                if (lineStart > 0 || lineStarting) {
                    bool onlySpace = lineStart < text.size();
                    for (size_t k = lineStart; k < text.size(); ++k)
                        onlySpace = onlySpace && isAsciiSpace(text[k]);
                    if (onlySpace)
                        text.resize(lineStart);
                }
            }
            emitData(text, textPos);
            m_pos = tag + 2 + ((sign == '-' || sign == '+') ? 1 : 0);
            if (kind == '#')
                lineStarting = lexComment(tag);
            else if (kind == '%' && lexRaw(tag, lineStarting))
                continue;
            else
                lineStarting = lexTag(kind == '%', tag);
        }
        Token end;
        end.type = TokenType::End;
        setPosition(end, m_src.size());
        m_tokens.push_back(end);
        return std::move(m_tokens);
    }

private:
    std::string m_src;
    const LexOptions &m_options;
    size_t m_pos = 0;
    std::vector<Token> m_tokens;
    // Cached line/column computation.
    size_t m_posCache = 0;
    int m_lineCache = 1;
    int m_columnCache = 1;

    [[noreturn]] void error(const std::string &message, size_t at)
    {
        Token t;
        setPosition(t, at);
        throw JinjaError{message, t.line, t.column};
    }

    // Positions are computed incrementally (tokens arrive in order), so long lines stay linear.
    void setPosition(Token &t, size_t at)
    {
        if (at < m_posCache) {
            m_posCache = 0;
            m_lineCache = 1;
            m_columnCache = 1;
        }
        for (size_t k = m_posCache; k < at && k < m_src.size(); ++k) {
            if (m_src[k] == '\n') {
                ++m_lineCache;
                m_columnCache = 1;
            } else if ((uint8_t(m_src[k]) & 0xC0) != 0x80) {
                ++m_columnCache;
            }
        }
        m_posCache = at;
        t.line = m_lineCache;
        t.column = m_columnCache;
    }

    static std::string rstripPython(const std::string &text)
    {
        const std::u32string u = py::decode(text);
        size_t end = u.size();
        while (end > 0 && py::isSpace(u[end - 1]))
            --end;
        return py::encode(std::u32string_view(u).substr(0, end));
    }

    size_t skipPythonSpace(size_t at) const
    {
        while (at < m_src.size()) {
            char32_t cp = uint8_t(m_src[at]);
            size_t n = 1;
            if (cp >= 0x80) {
                const std::u32string one = py::decode(std::string_view(m_src).substr(at, 4));
                cp = one.empty() ? 0 : one[0];
                std::string enc;
                py::appendUtf8(enc, cp);
                n = enc.size();
            }
            if (!py::isSpace(cp))
                break;
            at += n;
        }
        return at;
    }

    size_t findTagStart(size_t from) const
    {
        for (size_t k = m_src.find('{', from); k != std::string::npos; k = m_src.find('{', k + 1)) {
            if (k + 1 < m_src.size() && (m_src[k + 1] == '{' || m_src[k + 1] == '%' || m_src[k + 1] == '#'))
                return k;
        }
        return std::string::npos;
    }

    void emitData(std::string text, size_t at)
    {
        if (text.empty())
            return;
        Token t;
        t.type = TokenType::Data;
        t.text = std::move(text);
        setPosition(t, at);
        m_tokens.push_back(std::move(t));
    }

    void push(TokenType type, std::string text, size_t at)
    {
        Token t;
        t.type = type;
        t.text = std::move(text);
        setPosition(t, at);
        m_tokens.push_back(std::move(t));
    }

    // Consumes an end marker ("+X}", "-X}\s*" or "X}\n?") at m_pos; returns whether the consumed
    // text ends with a newline (jinja2's line_starting for the next lstrip decision).
    bool consumeEnd(char marker, bool trimNewline)
    {
        const char c = m_src[m_pos];
        if (c == '+') {
            m_pos += 3;
            return false;
        }
        if (c == '-') {
            m_pos += 3;
            const size_t end = skipPythonSpace(m_pos);
            const bool nl = end > m_pos && m_src[end - 1] == '\n';
            m_pos = end;
            return nl;
        }
        (void)marker;
        m_pos += 2;
        if (trimNewline && m_pos < m_src.size() && m_src[m_pos] == '\n') {
            ++m_pos;
            return true;
        }
        return false;
    }

    bool lexComment(size_t tagStart)
    {
        const size_t close = m_src.find("#}", m_pos);
        if (close == std::string::npos)
            error("Missing end of comment tag", tagStart);
        // The lazy match stops at "-#}" or "+#}" when the marker precedes the closing "#}".
        size_t end = close;
        if (close > m_pos && (m_src[close - 1] == '-' || m_src[close - 1] == '+'))
            end = close - 1;
        m_pos = end;
        return consumeEnd('#', m_options.trimBlocks);
    }

    // {% raw %}...{% endraw %}: returns false when the block tag is not "raw".
    bool lexRaw(size_t tagStart, bool &lineStarting)
    {
        size_t p = skipPythonSpace(m_pos);
        if (m_src.compare(p, 3, "raw") != 0)
            return false;
        p = skipPythonSpace(p + 3);
        bool stripAfter = false;
        if (m_src.compare(p, 3, "-%}") == 0) {
            stripAfter = true;
            p += 3;
        } else if (m_src.compare(p, 2, "%}") == 0) {
            p += 2;
        } else {
            return false;
        }
        if (stripAfter)
            p = skipPythonSpace(p);
        // Find {%[-+]? endraw [-+]?%}
        for (size_t k = m_src.find("{%", p); k != std::string::npos; k = m_src.find("{%", k + 2)) {
            size_t q = k + 2;
            const char sign = q < m_src.size() ? m_src[q] : '\0';
            if (sign == '-' || sign == '+')
                ++q;
            q = skipPythonSpace(q);
            if (m_src.compare(q, 6, "endraw") != 0)
                continue;
            q = skipPythonSpace(q + 6);
            if (!(m_src.compare(q, 2, "%}") == 0 || m_src.compare(q, 3, "-%}") == 0 || m_src.compare(q, 3, "+%}") == 0))
                continue;
            std::string text = m_src.substr(p, k - p);
            if (sign == '-') {
                text = rstripPython(text);
            } else if (sign != '+' && m_options.lstripBlocks) {
                const size_t lineStart = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
                bool onlySpace = lineStart < text.size();
                for (size_t i = lineStart; i < text.size(); ++i)
                    onlySpace = onlySpace && isAsciiSpace(text[i]);
                if (onlySpace && lineStart > 0)
                    text.resize(lineStart);
            }
            emitData(text, p);
            m_pos = q;
            lineStarting = consumeEnd('%', m_options.trimBlocks);
            return true;
        }
        error("Missing end of raw directive", tagStart);
    }

    bool lexTag(bool block, size_t tagStart)
    {
        push(block ? TokenType::BlockBegin : TokenType::VariableBegin, {}, tagStart);
        std::vector<char> balance;
        while (true) {
            m_pos = skipPythonSpace(m_pos);
            if (m_pos >= m_src.size())
                error(std::string("unexpected end of template, expected '") + (block ? "%}" : "}}") + "'", tagStart);
            const char c = m_src[m_pos];
            const char endChar = block ? '%' : '}';
            if (balance.empty()) {
                const bool plain = m_src.compare(m_pos, 2, std::string{endChar, '}'}) == 0;
                const bool minus = m_src.compare(m_pos, 3, std::string{'-', endChar, '}'}) == 0;
                const bool plus = block && m_src.compare(m_pos, 3, std::string{'+', endChar, '}'}) == 0;
                if (plain || minus || plus) {
                    push(block ? TokenType::BlockEnd : TokenType::VariableEnd, {}, m_pos);
                    return consumeEnd(endChar, block && m_options.trimBlocks);
                }
            }
            const size_t start = m_pos;
            if (c == '\'' || c == '"') {
                lexString(start);
            } else if (c >= '0' && c <= '9') {
                lexNumber(start);
            } else if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                size_t e = m_pos;
                while (e < m_src.size() && (m_src[e] == '_' || std::isalnum(uint8_t(m_src[e]))))
                    ++e;
                push(TokenType::Name, m_src.substr(m_pos, e - m_pos), start);
                m_pos = e;
            } else {
                static const char *twoChar[] = {"//", "**", "==", "!=", "<=", ">="};
                std::string op;
                for (const char *candidate : twoChar)
                    if (m_src.compare(m_pos, 2, candidate) == 0)
                        op = candidate;
                if (op.empty()) {
                    if (std::string_view("+-/*%~[](){}<>=.:|,;").find(c) == std::string_view::npos) {
                        std::string shown;
                        py::appendUtf8(shown, py::decode(std::string_view(m_src).substr(m_pos, 4))[0]);
                        error("unexpected char '" + shown + "'", start);
                    }
                    op = std::string(1, c);
                }
                if (op == "(" || op == "[" || op == "{") {
                    balance.push_back(op == "(" ? ')' : op == "[" ? ']' : '}');
                } else if (op == ")" || op == "]" || op == "}") {
                    if (balance.empty())
                        error("unexpected '" + op + "'", start);
                    if (balance.back() != op[0])
                        error("unexpected '" + op + "', expected '" + std::string(1, balance.back()) + "'", start);
                    balance.pop_back();
                }
                push(TokenType::Operator, op, start);
                m_pos += op.size();
            }
        }
    }

    void lexString(size_t start)
    {
        const char quote = m_src[m_pos];
        size_t e = m_pos + 1;
        while (e < m_src.size() && m_src[e] != quote) {
            if (m_src[e] == '\\')
                ++e;
            ++e;
        }
        if (e >= m_src.size())
            error("unterminated string literal", start);
        const std::string_view body = std::string_view(m_src).substr(m_pos + 1, e - m_pos - 1);
        push(TokenType::String, unescape(body, start), start);
        m_pos = e + 1;
    }

    // Python's unicode-escape decoding, as jinja2 applies it to string literals.
    std::string unescape(std::string_view body, size_t at)
    {
        std::string out;
        for (size_t k = 0; k < body.size(); ++k) {
            if (body[k] != '\\' || k + 1 >= body.size()) {
                out += body[k];
                continue;
            }
            const char e = body[++k];
            auto hexDigits = [&](size_t count) -> char32_t {
                char32_t v = 0;
                for (size_t d = 1; d <= count; ++d) {
                    if (k + d >= body.size())
                        error("truncated escape in a string literal", at);
                    const char h = body[k + d];
                    v <<= 4;
                    if (h >= '0' && h <= '9')
                        v |= char32_t(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        v |= char32_t(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F')
                        v |= char32_t(h - 'A' + 10);
                    else
                        error("invalid escape in a string literal", at);
                }
                k += count;
                return v;
            };
            switch (e) {
            case '\n': break; // line continuation
            case '\\': out += '\\'; break;
            case '\'': out += '\''; break;
            case '"': out += '"'; break;
            case 'a': out += '\a'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'v': out += '\v'; break;
            case 'x': py::appendUtf8(out, hexDigits(2)); break;
            case 'u': py::appendUtf8(out, hexDigits(4)); break;
            case 'U': {
                const char32_t v = hexDigits(8);
                if (v > 0x10FFFF)
                    error("invalid \\U escape in a string literal", at);
                py::appendUtf8(out, v);
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    char32_t v = char32_t(e - '0');
                    for (int d = 0; d < 2 && k + 1 < body.size() && body[k + 1] >= '0' && body[k + 1] <= '7'; ++d)
                        v = v * 8 + char32_t(body[++k] - '0');
                    py::appendUtf8(out, v);
                } else {
                    out += '\\'; // unknown escapes stay as written
                    out += e;
                }
            }
        }
        return out;
    }

    void lexNumber(size_t start)
    {
        size_t e = m_pos;
        auto digits = [&]() {
            const size_t begin = e;
            while (e < m_src.size() && (std::isdigit(uint8_t(m_src[e])) || (m_src[e] == '_' && e > begin && e + 1 < m_src.size() && std::isdigit(uint8_t(m_src[e + 1])))))
                ++e;
            return e > begin;
        };
        bool isFloat = false;
        if (m_src[e] == '0' && e + 1 < m_src.size() && std::string_view("xXoObB").find(m_src[e + 1]) != std::string_view::npos) {
            const char base = char(std::tolower(uint8_t(m_src[e + 1])));
            e += 2;
            const size_t begin = e;
            while (e < m_src.size() && (std::isxdigit(uint8_t(m_src[e])) || m_src[e] == '_'))
                ++e;
            std::string clean;
            for (size_t k = begin; k < e; ++k)
                if (m_src[k] != '_')
                    clean += m_src[k];
            int64_t v = 0;
            const int radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
            auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v, radix);
            if (clean.empty() || ec != std::errc() || ptr != clean.data() + clean.size())
                error("invalid integer literal", start);
            Token t;
            t.type = TokenType::Integer;
            t.integer = v;
            setPosition(t, start);
            m_tokens.push_back(t);
            m_pos = e;
            return;
        }
        digits();
        if (e + 1 < m_src.size() && m_src[e] == '.' && std::isdigit(uint8_t(m_src[e + 1]))) {
            ++e;
            digits();
            isFloat = true;
        }
        if (e < m_src.size() && (m_src[e] == 'e' || m_src[e] == 'E')) {
            size_t save = e;
            ++e;
            if (e < m_src.size() && (m_src[e] == '+' || m_src[e] == '-'))
                ++e;
            if (digits())
                isFloat = true;
            else
                e = save;
        }
        std::string clean;
        for (size_t k = m_pos; k < e; ++k)
            if (m_src[k] != '_')
                clean += m_src[k];
        Token t;
        setPosition(t, start);
        if (isFloat) {
            t.type = TokenType::Float;
            auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), t.number);
            if (ec == std::errc::result_out_of_range)
                t.number = clean.find("e-") != std::string::npos || clean.find("E-") != std::string::npos ? 0.0 : HUGE_VAL;
            else if (ec != std::errc())
                error("invalid number literal", start);
        } else {
            t.type = TokenType::Integer;
            auto [ptr, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), t.integer);
            if (ec != std::errc())
                error("integer literal too large", start);
        }
        m_tokens.push_back(t);
        m_pos = e;
    }
};

} // namespace

std::vector<Token> tokenize(std::string_view source, const LexOptions &options) { return Lexer(source, options).run(); }

} // namespace parlo::chat::jinja
