// Python str semantics over UTF-8. Case mapping covers ASCII, Latin-1, Latin Extended-A, Greek and
// Cyrillic, which is what chat templates and their messages meet in practice.
#include "chat/py_string.h"

namespace parlo::chat::py {

namespace {

// Decodes one code point at s[i]; returns its byte length (>= 1) and U+FFFD for invalid bytes.
size_t decodeOne(std::string_view s, size_t i, char32_t &cp)
{
    const auto b0 = uint8_t(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    size_t len = 0;
    char32_t v = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        v = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        v = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        v = b0 & 0x07;
    } else {
        cp = 0xFFFD;
        return 1;
    }
    if (i + len > s.size()) {
        cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k < len; ++k) {
        const auto b = uint8_t(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (b & 0x3F);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) || (v >= 0xD800 && v <= 0xDFFF)) {
        cp = 0xFFFD;
        return 1;
    }
    cp = v;
    return len;
}

} // namespace

bool isValidUtf8(std::string_view s, size_t *badOffset)
{
    for (size_t i = 0; i < s.size();) {
        char32_t cp;
        const size_t n = decodeOne(s, i, cp);
        if (cp == 0xFFFD && !(n == 3 && s.substr(i, 3) == "\xEF\xBF\xBD")) {
            if (badOffset)
                *badOffset = i;
            return false;
        }
        i += n;
    }
    return true;
}

std::u32string decode(std::string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        char32_t cp;
        i += decodeOne(s, i, cp);
        out += cp;
    }
    return out;
}

std::string encode(std::u32string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s)
        appendUtf8(out, c);
    return out;
}

size_t length(std::string_view s)
{
    size_t n = 0;
    for (char c : s)
        if ((uint8_t(c) & 0xC0) != 0x80)
            ++n;
    return n;
}

bool isSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool isLineBreak(char32_t c)
{
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E || c == 0x85 ||
           c == 0x2028 || c == 0x2029;
}

bool isUpperCase(char32_t c) { return toLower(c) != c; }
bool isLowerCase(char32_t c) { return toUpper(c) != c || c == 0xDF; }

bool isAlpha(char32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (isUpperCase(c) || isLowerCase(c))
        return true;
    // Letters without case (CJK, kana, Hangul, Arabic, Hebrew, Devanagari...) count as alphabetic.
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0x0600 && c <= 0x06FF && !(c >= 0x0660 && c <= 0x0669)) || (c >= 0x05D0 && c <= 0x05EA) ||
           (c >= 0x0900 && c <= 0x0963) || c == 0xAA || c == 0xBA;
}

bool isDigit(char32_t c) { return (c >= '0' && c <= '9') || (c >= 0x0660 && c <= 0x0669) || (c >= 0xFF10 && c <= 0xFF19); }

char32_t toUpper(char32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0x80)
        return c;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if (c == 0xFF)
        return 0x178;
    if (c == 0xB5)
        return 0x39C;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
        // Latin Extended-A pairs: even/odd, except 0x139-0x148 and 0x179-0x17E which are odd/even.
        const bool oddUpper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddUpper)
            return (c % 2 == 0) ? c - 1 : c;
        if (c == 0x178)
            return c;
        return (c % 2 == 1) ? c - 1 : c;
    }
    if (c == 0x131)
        return 'I';
    if (c == 0x17F)
        return 'S';
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
        return c - 32;
    if (c == 0x3C2)
        return 0x3A3;
    if (c == 0x3AC)
        return 0x386;
    if (c >= 0x3AD && c <= 0x3AF)
        return c - 37;
    if (c == 0x3CC)
        return 0x38C;
    if (c == 0x3CD || c == 0x3CE)
        return c - 63;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    return c;
}

char32_t toLower(char32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0x80)
        return c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c == 0x178)
        return 0xFF;
    if (c == 0x130)
        return 'i'; // Python gives "i̇"; the combining dot is dropped here
    if (c >= 0x100 && c <= 0x17F && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
        const bool oddUpper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if (oddUpper)
            return (c % 2 == 1) ? c + 1 : c;
        return (c % 2 == 0) ? c + 1 : c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    return c;
}

namespace {

void appendUpper(std::string &out, char32_t c)
{
    if (c == 0xDF) { // ß has no single-character capital in Python's mapping
        out += "SS";
        return;
    }
    appendUtf8(out, toUpper(c));
}

} // namespace

std::string upper(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char32_t c : decode(s))
        appendUpper(out, c);
    return out;
}

std::string lower(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char32_t c : decode(s))
        appendUtf8(out, toLower(c));
    return out;
}

std::string capitalize(std::string_view s)
{
    std::string out;
    bool first = true;
    for (char32_t c : decode(s)) {
        if (first)
            appendUpper(out, c);
        else
            appendUtf8(out, toLower(c));
        first = false;
    }
    return out;
}

std::string titleStr(std::string_view s)
{
    // str.title: a letter after a cased letter is lowered, any other letter is uppered.
    std::string out;
    bool previousCased = false;
    for (char32_t c : decode(s)) {
        const bool cased = isUpperCase(c) || isLowerCase(c);
        if (cased && !previousCased)
            appendUpper(out, c);
        else if (cased)
            appendUtf8(out, toLower(c));
        else
            appendUtf8(out, c);
        previousCased = cased;
    }
    return out;
}

std::string swapcase(std::string_view s)
{
    std::string out;
    for (char32_t c : decode(s)) {
        if (isUpperCase(c))
            appendUtf8(out, toLower(c));
        else if (isLowerCase(c))
            appendUpper(out, c);
        else
            appendUtf8(out, c);
    }
    return out;
}

std::string strip(std::string_view s, const std::optional<std::string> &chars, StripSide side)
{
    const std::u32string u = decode(s);
    const std::u32string set = chars ? decode(*chars) : std::u32string();
    auto strippable = [&](char32_t c) { return chars ? set.find(c) != std::u32string::npos : isSpace(c); };
    size_t begin = 0, end = u.size();
    if (side != StripSide::Right)
        while (begin < end && strippable(u[begin]))
            ++begin;
    if (side != StripSide::Left)
        while (end > begin && strippable(u[end - 1]))
            --end;
    return encode(std::u32string_view(u).substr(begin, end - begin));
}

std::vector<std::string> split(std::string_view s, const std::optional<std::string> &sep, int64_t maxsplit)
{
    std::vector<std::string> parts;
    if (sep) {
        if (sep->empty())
            return {std::string(s)}; // the caller reports "empty separator"
        size_t pos = 0;
        while (maxsplit < 0 || int64_t(parts.size()) < maxsplit) {
            const size_t hit = s.find(*sep, pos);
            if (hit == std::string_view::npos)
                break;
            parts.emplace_back(s.substr(pos, hit - pos));
            pos = hit + sep->size();
        }
        parts.emplace_back(s.substr(pos));
        return parts;
    }
    const std::u32string u = decode(s);
    size_t i = 0;
    while (true) {
        while (i < u.size() && isSpace(u[i]))
            ++i;
        if (i >= u.size())
            break;
        if (maxsplit >= 0 && int64_t(parts.size()) >= maxsplit) {
            size_t end = u.size();
            while (end > i && isSpace(u[end - 1]))
                --end;
            parts.push_back(encode(std::u32string_view(u).substr(i, end - i)));
            break;
        }
        size_t j = i;
        while (j < u.size() && !isSpace(u[j]))
            ++j;
        parts.push_back(encode(std::u32string_view(u).substr(i, j - i)));
        i = j;
    }
    return parts;
}

std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string> &sep, int64_t maxsplit)
{
    if (maxsplit < 0)
        return split(s, sep, maxsplit);
    std::vector<std::string> parts;
    if (sep) {
        if (sep->empty())
            return {std::string(s)};
        size_t end = s.size();
        while (int64_t(parts.size()) < maxsplit) {
            if (end < sep->size())
                break;
            const size_t hit = s.rfind(*sep, end - sep->size());
            if (hit == std::string_view::npos)
                break;
            parts.emplace_back(s.substr(hit + sep->size(), end - hit - sep->size()));
            end = hit;
        }
        parts.emplace_back(s.substr(0, end));
    } else {
        const std::u32string u = decode(s);
        size_t j = u.size();
        while (true) {
            while (j > 0 && isSpace(u[j - 1]))
                --j;
            if (j == 0)
                break;
            if (int64_t(parts.size()) >= maxsplit) {
                size_t b = 0;
                while (b < j && isSpace(u[b]))
                    ++b;
                parts.push_back(encode(std::u32string_view(u).substr(b, j - b)));
                break;
            }
            size_t i = j;
            while (i > 0 && !isSpace(u[i - 1]))
                --i;
            parts.push_back(encode(std::u32string_view(u).substr(i, j - i)));
            j = i;
        }
    }
    return {parts.rbegin(), parts.rend()};
}

std::vector<std::string> splitlines(std::string_view s, bool keepends)
{
    std::vector<std::string> lines;
    const std::u32string u = decode(s);
    size_t start = 0;
    for (size_t i = 0; i < u.size(); ++i) {
        if (!isLineBreak(u[i]))
            continue;
        size_t end = i;
        if (u[i] == '\r' && i + 1 < u.size() && u[i + 1] == '\n')
            ++i;
        lines.push_back(encode(std::u32string_view(u).substr(start, (keepends ? i + 1 : end) - start)));
        start = i + 1;
    }
    if (start < u.size())
        lines.push_back(encode(std::u32string_view(u).substr(start)));
    return lines;
}

std::string replace(std::string_view s, std::string_view from, std::string_view to, int64_t count)
{
    std::string out;
    if (from.empty()) {
        // Python inserts `to` between every code point and at both ends.
        const std::u32string u = decode(s);
        int64_t done = 0;
        for (size_t i = 0; i <= u.size(); ++i) {
            if (count < 0 || done < count) {
                out += to;
                ++done;
            }
            if (i < u.size())
                appendUtf8(out, u[i]);
        }
        return out;
    }
    size_t pos = 0;
    int64_t done = 0;
    while (count < 0 || done < count) {
        const size_t hit = s.find(from, pos);
        if (hit == std::string_view::npos)
            break;
        out.append(s.substr(pos, hit - pos));
        out.append(to);
        pos = hit + from.size();
        ++done;
    }
    out.append(s.substr(pos));
    return out;
}

int64_t find(std::string_view s, std::string_view sub, bool fromRight)
{
    const size_t hit = fromRight ? s.rfind(sub) : s.find(sub);
    if (hit == std::string_view::npos)
        return -1;
    return int64_t(length(s.substr(0, hit)));
}

int64_t count(std::string_view s, std::string_view sub)
{
    if (sub.empty())
        return int64_t(length(s)) + 1;
    int64_t n = 0;
    for (size_t pos = s.find(sub); pos != std::string_view::npos; pos = s.find(sub, pos + sub.size()))
        ++n;
    return n;
}

std::string repr(std::string_view s)
{
    const bool hasSingle = s.find('\'') != std::string_view::npos;
    const bool hasDouble = s.find('"') != std::string_view::npos;
    const char quote = hasSingle && !hasDouble ? '"' : '\'';
    std::string out(1, quote);
    static const char *hex = "0123456789abcdef";
    for (char32_t c : decode(s)) {
        if (c == char32_t(quote) || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD) {
            out += "\\x";
            out += hex[(c >> 4) & 15];
            out += hex[c & 15];
        } else if (c == 0x2028 || c == 0x2029) {
            out += c == 0x2028 ? "\\u2028" : "\\u2029";
        } else {
            appendUtf8(out, c);
        }
    }
    out += quote;
    return out;
}

} // namespace parlo::chat::py
