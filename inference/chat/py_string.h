// Python str semantics over UTF-8 std::string: chat templates are written against Python, so
// length, slicing, strip, split and case mapping must count code points and use Python's
// definitions of whitespace and line breaks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace parlo::chat::py {

// Lenient decode: an invalid byte becomes U+FFFD (template sources are validated up front).
std::u32string decode(std::string_view s);
std::string encode(std::u32string_view s);
using parlo::appendUtf8;
bool isValidUtf8(std::string_view s, size_t *badOffset = nullptr);
size_t length(std::string_view s); // code points

bool isSpace(char32_t c);     // str.isspace
bool isLineBreak(char32_t c); // str.splitlines boundaries
bool isAlpha(char32_t c);
bool isDigit(char32_t c);
inline bool isAlnum(char32_t c) { return isAlpha(c) || isDigit(c); }
char32_t toUpper(char32_t c);
char32_t toLower(char32_t c);
bool isUpperCase(char32_t c);
bool isLowerCase(char32_t c);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string capitalize(std::string_view s); // str.capitalize
std::string titleStr(std::string_view s);   // str.title
std::string swapcase(std::string_view s);

enum class StripSide { Both, Left, Right };
// chars == nullopt: Python whitespace.
std::string strip(std::string_view s, const std::optional<std::string> &chars, StripSide side = StripSide::Both);

// str.split / str.rsplit; sep == nullopt splits on whitespace runs. maxsplit < 0: no limit.
std::vector<std::string> split(std::string_view s, const std::optional<std::string> &sep, int64_t maxsplit);
std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string> &sep, int64_t maxsplit);
std::vector<std::string> splitlines(std::string_view s, bool keepends = false);

// str.replace; count < 0 replaces all.
std::string replace(std::string_view s, std::string_view from, std::string_view to, int64_t count);
// str.find / str.count in code points (-1 when missing).
int64_t find(std::string_view s, std::string_view sub, bool fromRight = false);
int64_t count(std::string_view s, std::string_view sub);

// Python repr of a string: quotes chosen as Python does, escapes for control characters.
std::string repr(std::string_view s);

} // namespace parlo::chat::py
