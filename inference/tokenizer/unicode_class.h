// Code point classes and UTF-8 helpers for the tokenizers. The class table is generated from
// Unicode data (gen/gen_unicode_table.py); nothing here needs Python or ICU at run time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace parlo::tokenizer {

// Bits of a code point's class, matching the regex classes the pre-tokenizers use.
enum CodepointClass : uint8_t {
    ClassLetter = 1,      // \p{L}
    ClassNumber = 2,      // \p{N}
    ClassPunctuation = 4, // \p{P}
    ClassSymbol = 8,      // \p{S}
    ClassMark = 16,       // \p{M}
    ClassWhitespace = 32, // \s (Unicode White_Space)
    // The case-aware word classes of the o200k (gpt-4o) and tekken regexes; caseless letters
    // (Lm, Lo) and marks are in both, so a word may switch case only once, upper to lower.
    ClassUpperLike = 64,  // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    ClassLowerLike = 128, // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
};

struct ClassRun
{
    uint32_t first;
    uint8_t flags;
};

extern const char kUnicodeVersion[];
extern const ClassRun kClassRuns[];
extern const std::size_t kClassRunCount;

// Class bits of `cp`; 0 for unassigned code points, controls (except whitespace) and the
// pseudo code points that stand for invalid UTF-8 bytes.
uint8_t codepointClass(uint32_t cp);

// Invalid UTF-8 bytes decode to this range (0x110000 + byte): no class, never equal to a real
// code point, and still carried byte-exact through the pre-tokenizer.
constexpr uint32_t kInvalidByteBase = 0x110000;

// One decoded code point and the bytes it came from.
struct DecodedCodepoint
{
    uint32_t cp;
    uint32_t length; // bytes in the source, 1..4
};

// Decodes one code point at `offset` (offset < text.size()). Overlong forms, surrogates,
// values past U+10FFFF and truncated sequences decode as one invalid byte.
DecodedCodepoint decodeUtf8(std::string_view text, std::size_t offset);

// Appends the UTF-8 encoding of `cp` (a real code point).
using parlo::appendUtf8;

// True when `tail` is a proper prefix of a valid UTF-8 sequence: more bytes may complete it.
bool isTruncatedUtf8(std::string_view tail);

} // namespace parlo::tokenizer
