// Hand-written equivalents of the pre-tokenizer regexes llama.cpp and Hugging Face use. Each
// matcher returns the length of the leftmost-first match starting at `pos` within a piece, with
// the regex's own backtracking worked out by hand; `end` is the piece's end, so `$` and
// lookaheads see the piece boundary as the end of text, as they do when the regex runs per piece.
#include "pre_tokenizer.h"

#include "unicode_class.h"

#include <algorithm>
#include <array>
#include <utility>

namespace parlo::tokenizer {

namespace {

struct DecodedText
{
    std::vector<uint32_t> cps;
    std::vector<uint8_t> cls;
    std::vector<uint32_t> offsets; // byte offset of each code point, plus the end
};

DecodedText decodeText(std::string_view text)
{
    DecodedText d;
    d.cps.reserve(text.size());
    d.cls.reserve(text.size());
    d.offsets.reserve(text.size() + 1);
    std::size_t offset = 0;
    while (offset < text.size()) {
        const DecodedCodepoint c = decodeUtf8(text, offset);
        d.cps.push_back(c.cp);
        d.cls.push_back(codepointClass(c.cp));
        d.offsets.push_back(static_cast<uint32_t>(offset));
        offset += c.length;
    }
    d.offsets.push_back(static_cast<uint32_t>(offset));
    return d;
}

struct MatchResult
{
    std::size_t length = 0; // 0: no match at pos
    std::size_t skip = 1;   // on no match: positions known not to start a match
};

// The regex building blocks a pre-tokenizer is made of.
enum class Pattern {
    Gpt2,             // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)
    Llama3,           // (?i:'s|…)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    Qwen2,            // as Llama3 with \p{N}
    PunctDefault,     // [\p{P}\$\+<=>\^~\|]+
    PunctFalcon,      // [\p{P}\$\+<=>\^~\|`]+
    NumberRun,        // \p{N}+
    Number,           // \p{N}
    ThreeDigits,      // [0-9][0-9][0-9]
    LineBreak,        // [\r\n]
    DeepseekLetters,  // \s?[A-Za-zµÀ-Ö…]+ (cased letters, from DeepSeek's tokenizer.json)
    DeepseekPunct,    // \s?[!-/:-~！-／：-～‘-‟　-。]+
    TrailingSpace,    // \s+$
    Cjk,              // [一-龥ࠀ-一가-퟿]+
    SpaceLetters,     // \s?\p{L}+
    SpacePunct,       // \s?\p{P}+
    // [^\r\n\p{L}\p{N}]?U*W+(?i:'s|…)?|[^\r\n\p{L}\p{N}]?U+W*(?i:'s|…)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|
    // \s*[\r\n]+|\s+(?!\S)|\s+ with U = [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], W = [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    Gpt4o,
    Tekken,           // as Gpt4o without the contractions and with \p{N}
};

class Matcher
{
public:
    explicit Matcher(const DecodedText &t) : m_cps(t.cps), m_cls(t.cls) {}

    MatchResult match(Pattern p, std::size_t pos, std::size_t end) const
    {
        switch (p) {
        case Pattern::Gpt2: return {gpt2(pos, end)};
        case Pattern::Llama3: return {llama3(pos, end, 3)};
        case Pattern::Qwen2: return {llama3(pos, end, 1)};
        case Pattern::PunctDefault: return {run(pos, end, [&](std::size_t i) { return isPunct(i) || isAnyOf(i, U"$+<=>^~|"); })};
        case Pattern::PunctFalcon: return {run(pos, end, [&](std::size_t i) { return isPunct(i) || isAnyOf(i, U"$+<=>^~|`"); })};
        case Pattern::NumberRun: return {run(pos, end, [&](std::size_t i) { return isNumber(i); })};
        case Pattern::Number: return {isNumber(pos) ? 1u : 0u};
        case Pattern::ThreeDigits:
            return {pos + 3 <= end && isAsciiDigit(pos) && isAsciiDigit(pos + 1) && isAsciiDigit(pos + 2) ? 3u : 0u};
        case Pattern::LineBreak: return {isLineBreak(pos) ? 1u : 0u};
        case Pattern::DeepseekLetters: return {optionalSpaceRun(pos, end, [&](std::size_t i) { return isDeepseekLetter(m_cps[i]); })};
        case Pattern::DeepseekPunct: return {optionalSpaceRun(pos, end, [&](std::size_t i) { return isDeepseekPunct(m_cps[i]); })};
        case Pattern::TrailingSpace: {
            const std::size_t e = run(pos, end, [&](std::size_t i) { return isSpace(i); }) + pos;
            if (e == pos)
                return {0, 1};
            if (e == end)
                return {end - pos};
            return {0, e - pos}; // no later start inside this run reaches the end either
        }
        case Pattern::Cjk: return {run(pos, end, [&](std::size_t i) { return isCjk(m_cps[i]); })};
        case Pattern::SpaceLetters: return {optionalSpaceRun(pos, end, [&](std::size_t i) { return isLetter(i); })};
        case Pattern::SpacePunct: return {optionalSpaceRun(pos, end, [&](std::size_t i) { return isPunct(i); })};
        case Pattern::Gpt4o: return {casedWords(pos, end, 3, true)};
        case Pattern::Tekken: return {casedWords(pos, end, 1, false)};
        }
        return {};
    }

private:
    bool isLetter(std::size_t i) const { return m_cls[i] & ClassLetter; }
    bool isNumber(std::size_t i) const { return m_cls[i] & ClassNumber; }
    bool isPunct(std::size_t i) const { return m_cls[i] & ClassPunctuation; }
    bool isSpace(std::size_t i) const { return m_cls[i] & ClassWhitespace; }
    bool isUpperLike(std::size_t i) const { return m_cls[i] & ClassUpperLike; }
    bool isLowerLike(std::size_t i) const { return m_cls[i] & ClassLowerLike; }
    // [^\s\p{L}\p{N}]
    bool isOther(std::size_t i) const { return !(m_cls[i] & (ClassWhitespace | ClassLetter | ClassNumber)); }
    bool isLineBreak(std::size_t i) const { return m_cps[i] == '\r' || m_cps[i] == '\n'; }
    bool isAsciiDigit(std::size_t i) const { return m_cps[i] >= '0' && m_cps[i] <= '9'; }
    bool isAnyOf(std::size_t i, std::u32string_view set) const { return set.find(static_cast<char32_t>(m_cps[i])) != set.npos; }

    static bool isDeepseekLetter(uint32_t cp);
    static bool isDeepseekPunct(uint32_t cp)
    {
        return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x7E) || (cp >= 0xFF01 && cp <= 0xFF0F)
            || (cp >= 0xFF1A && cp <= 0xFF5E) || (cp >= 0x2018 && cp <= 0x201F) || (cp >= 0x3000 && cp <= 0x3002);
    }
    static bool isCjk(uint32_t cp) { return (cp >= 0x0800 && cp <= 0x9FA5) || (cp >= 0xAC00 && cp <= 0xD7FF); }

    // Length of the run of `pred` starting at pos.
    template<typename Pred>
    std::size_t run(std::size_t pos, std::size_t end, Pred pred) const
    {
        std::size_t e = pos;
        while (e < end && pred(e))
            ++e;
        return e - pos;
    }

    // As run(), but stops after `limit`: a bounded quantifier such as \p{N}{1,3} must not look
    // at the rest of the run, or a long run costs its length at each of its matches (quadratic).
    template<typename Pred>
    std::size_t runUpTo(std::size_t pos, std::size_t end, std::size_t limit, Pred pred) const
    {
        return run(pos, std::min(end, pos + limit), pred);
    }

    // \s?X+ : the optional whitespace is taken only when X follows it.
    template<typename Pred>
    std::size_t optionalSpaceRun(std::size_t pos, std::size_t end, Pred pred) const
    {
        if (isSpace(pos) && pos + 1 < end && pred(pos + 1))
            return 1 + run(pos + 1, end, pred);
        return run(pos, end, pred);
    }

    // 's|'t|'re|'ve|'m|'ll|'d, optionally case-insensitive. Unicode simple case folding, which
    // (?i) uses in Oniguruma, Rust's regex and Python's regex, adds one non-ASCII letter to
    // these: U+017F LATIN SMALL LETTER LONG S folds to 's'.
    std::size_t contraction(std::size_t pos, std::size_t end, bool caseInsensitive) const
    {
        if (pos >= end || m_cps[pos] != '\'' || pos + 1 >= end)
            return 0;
        const auto fold = [&](std::size_t i) -> uint32_t {
            const uint32_t c = m_cps[i];
            if (!caseInsensitive)
                return c;
            if (c == 0x17F)
                return 's';
            return c >= 'A' && c <= 'Z' ? c + 32 : c;
        };
        const uint32_t c1 = fold(pos + 1);
        if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd')
            return 2;
        if (pos + 2 < end) {
            const uint32_t c2 = fold(pos + 2);
            if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l'))
                return 3;
        }
        return 0;
    }

    // \s+(?!\S): the whole whitespace run at the end of the piece, otherwise all of it but the
    // last, which stays to prefix the next word.
    std::size_t spacesNotBeforeWord(std::size_t pos, std::size_t end) const
    {
        const std::size_t n = run(pos, end, [&](std::size_t i) { return isSpace(i); });
        if (n == 0)
            return 0;
        if (pos + n == end)
            return n;
        return n >= 2 ? n - 1 : 0;
    }

    std::size_t gpt2(std::size_t pos, std::size_t end) const
    {
        if (const std::size_t n = contraction(pos, end, false))
            return n;
        // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': a space at pos is never in these
        // classes, so the optional space is taken exactly when a class member follows it.
        const std::size_t start = (m_cps[pos] == ' ' && pos + 1 < end) ? pos + 1 : pos;
        if (isLetter(start))
            return start - pos + run(start, end, [&](std::size_t i) { return isLetter(i); });
        if (isNumber(start))
            return start - pos + run(start, end, [&](std::size_t i) { return isNumber(i); });
        if (isOther(start))
            return start - pos + run(start, end, [&](std::size_t i) { return isOther(i); });
        return spacesNotBeforeWord(pos, end);
    }

    std::size_t llama3(std::size_t pos, std::size_t end, std::size_t maxDigits) const
    {
        if (const std::size_t n = contraction(pos, end, true))
            return n;
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (!isLineBreak(pos) && !isLetter(pos) && !isNumber(pos) && pos + 1 < end && isLetter(pos + 1))
            return 1 + run(pos + 1, end, [&](std::size_t i) { return isLetter(i); });
        if (isLetter(pos))
            return run(pos, end, [&](std::size_t i) { return isLetter(i); });
        // \p{N}{1,3}
        if (isNumber(pos))
            return runUpTo(pos, end, maxDigits, [&](std::size_t i) { return isNumber(i); });
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        const std::size_t start = (m_cps[pos] == ' ' && pos + 1 < end && isOther(pos + 1)) ? pos + 1 : pos;
        if (isOther(start)) {
            std::size_t e = start + run(start, end, [&](std::size_t i) { return isOther(i); });
            e += run(e, end, [&](std::size_t i) { return isLineBreak(i); });
            return e - pos;
        }
        return spaces(pos, end);
    }

    // U*W+ starting at s (U = upper-like, W = lower-like); returns the end, or s when it fails.
    // The greedy U* backs off until a W can follow: either the code point after the U run is a W
    // (then W+ takes that whole W run) or the last W inside the U run ends the match.
    std::size_t upperThenLower(std::size_t s, std::size_t end) const
    {
        const std::size_t e = s + run(s, end, [&](std::size_t i) { return isUpperLike(i); });
        if (e < end && isLowerLike(e))
            return e + run(e, end, [&](std::size_t i) { return isLowerLike(i); });
        for (std::size_t k = e; k > s; --k) {
            if (isLowerLike(k - 1))
                return k;
        }
        return s;
    }

    // U+W* starting at s; returns the end, or s when s is not upper-like.
    std::size_t upperRunThenLower(std::size_t s, std::size_t end) const
    {
        const std::size_t e = s + run(s, end, [&](std::size_t i) { return isUpperLike(i); });
        if (e == s)
            return s;
        return e + run(e, end, [&](std::size_t i) { return isLowerLike(i); });
    }

    // The o200k (gpt-4o) and tekken regexes. Each of the two word alternatives first tries with
    // its optional leading [^\r\n\p{L}\p{N}] (which includes spaces, tabs and marks), then
    // without; the whole first alternative is tried before the second.
    std::size_t casedWords(std::size_t pos, std::size_t end, std::size_t maxDigits, bool contractions) const
    {
        const bool canLead = !isLineBreak(pos) && !isLetter(pos) && !isNumber(pos) && pos + 1 < end;
        std::size_t wordEnd = pos;
        for (const auto alternative : {&Matcher::upperThenLower, &Matcher::upperRunThenLower}) {
            if (canLead) {
                if (const std::size_t e = (this->*alternative)(pos + 1, end); e > pos + 1) {
                    wordEnd = e;
                    break;
                }
            }
            if (const std::size_t e = (this->*alternative)(pos, end); e > pos) {
                wordEnd = e;
                break;
            }
        }
        if (wordEnd > pos)
            return wordEnd - pos + (contractions ? contraction(wordEnd, end, true) : 0);
        // \p{N}{1,3} or \p{N}
        if (isNumber(pos))
            return runUpTo(pos, end, maxDigits, [&](std::size_t i) { return isNumber(i); });
        // ' ?[^\s\p{L}\p{N}]+[\r\n/]*': a '/' right after the run is already in it, so the tail
        // takes line breaks and the slashes after them.
        const std::size_t start = (m_cps[pos] == ' ' && pos + 1 < end && isOther(pos + 1)) ? pos + 1 : pos;
        if (isOther(start)) {
            std::size_t e = start + run(start, end, [&](std::size_t i) { return isOther(i); });
            e += run(e, end, [&](std::size_t i) { return isLineBreak(i) || m_cps[i] == '/'; });
            return e - pos;
        }
        return spaces(pos, end);
    }

    // \s*[\r\n]+|\s+(?!\S)|\s+ at pos (0 when pos is not whitespace).
    std::size_t spaces(std::size_t pos, std::size_t end) const
    {
        const std::size_t n = run(pos, end, [&](std::size_t i) { return isSpace(i); });
        if (n == 0)
            return 0;
        // \s*[\r\n]+ backtracks to the last line break inside the whitespace run.
        for (std::size_t k = pos + n; k > pos; --k) {
            if (isLineBreak(k - 1))
                return k - pos;
        }
        if (const std::size_t m = spacesNotBeforeWord(pos, end))
            return m;
        return n;
    }

    const std::vector<uint32_t> &m_cps;
    const std::vector<uint8_t> &m_cls;
};

// The cased-letter class of DeepSeek LLM's first regex, as code point ranges.
constexpr std::array<std::pair<uint32_t, uint32_t>, 84> kDeepseekLetterRanges{{
    {0x41, 0x5A}, {0x61, 0x7A}, {0xB5, 0xB5}, {0xC0, 0xD6}, {0xD8, 0xF6}, {0xF8, 0x1BA}, {0x1BC, 0x1BF},
    {0x1C4, 0x293}, {0x295, 0x2AF}, {0x370, 0x373}, {0x376, 0x377}, {0x37B, 0x37D}, {0x37F, 0x37F},
    {0x386, 0x386}, {0x388, 0x38A}, {0x38C, 0x38C}, {0x38E, 0x3A1}, {0x3A3, 0x3F5}, {0x3F7, 0x481},
    {0x48A, 0x52F}, {0x531, 0x556}, {0x10A0, 0x10C5}, {0x13A0, 0x13F5}, {0x13F8, 0x13FD}, {0x1C90, 0x1CBA},
    {0x1CBD, 0x1CBF}, {0x1D00, 0x1D2B}, {0x1D6B, 0x1D77}, {0x1D79, 0x1D9A}, {0x1E00, 0x1F15}, {0x1F18, 0x1F1D},
    {0x1F20, 0x1F45}, {0x1F48, 0x1F4D}, {0x1F50, 0x1F57}, {0x1F59, 0x1F59}, {0x1F5B, 0x1F5B}, {0x1F5D, 0x1F5D},
    {0x1F5F, 0x1F7D}, {0x1F80, 0x1FB4}, {0x1FB6, 0x1FBC}, {0x1FBE, 0x1FBE}, {0x1FC2, 0x1FC4}, {0x1FC6, 0x1FCC},
    {0x1FD0, 0x1FD3}, {0x1FD6, 0x1FDB}, {0x1FE0, 0x1FEC}, {0x1FF2, 0x1FF4}, {0x1FF6, 0x1FFC}, {0x2102, 0x2102},
    {0x2107, 0x2107}, {0x210A, 0x2113}, {0x2115, 0x2115}, {0x2119, 0x211D}, {0x2124, 0x2124}, {0x2126, 0x2126},
    {0x2128, 0x2128}, {0x212A, 0x212D}, {0x212F, 0x2134}, {0x2139, 0x2139}, {0x213C, 0x213F}, {0x2145, 0x2149},
    {0x214E, 0x214E}, {0x2183, 0x2184}, {0x2C00, 0x2C7B}, {0x2C7E, 0x2CE4}, {0x2CEB, 0x2CEE}, {0x2CF2, 0x2CF3},
    {0xA640, 0xA66D}, {0xA680, 0xA69B}, {0xA722, 0xA76F}, {0xA771, 0xA787}, {0xA78B, 0xA78E}, {0xAB70, 0xABBF},
    {0xFB00, 0xFB06}, {0xFB13, 0xFB17}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A}, {0x10400, 0x1044F},
    {0x104B0, 0x104D3}, {0x104D8, 0x104FB}, {0x10C80, 0x10CB2}, {0x10CC0, 0x10CF2}, {0x118A0, 0x118DF},
    {0x1E900, 0x1E943},
}};

bool Matcher::isDeepseekLetter(uint32_t cp)
{
    const auto &ranges = kDeepseekLetterRanges;
    auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                               [](uint32_t v, const std::pair<uint32_t, uint32_t> &r) { return v < r.first; });
    return it != ranges.begin() && cp <= std::prev(it)->second;
}

std::vector<Pattern> patternsFor(PreTokenizerKind kind)
{
    switch (kind) {
    case PreTokenizerKind::Default:
        return {Pattern::PunctDefault, Pattern::Gpt2, Pattern::NumberRun, Pattern::ThreeDigits};
    case PreTokenizerKind::Gpt2: return {Pattern::Gpt2};
    case PreTokenizerKind::Llama3: return {Pattern::Llama3};
    case PreTokenizerKind::Qwen2: return {Pattern::Qwen2};
    case PreTokenizerKind::Falcon: return {Pattern::PunctFalcon, Pattern::Gpt2, Pattern::ThreeDigits};
    case PreTokenizerKind::Starcoder: return {Pattern::Number, Pattern::Gpt2};
    case PreTokenizerKind::DeepseekLlm:
        return {Pattern::LineBreak, Pattern::DeepseekLetters, Pattern::DeepseekPunct, Pattern::TrailingSpace,
                Pattern::Cjk, Pattern::NumberRun};
    case PreTokenizerKind::DeepseekCoder:
        return {Pattern::LineBreak, Pattern::SpaceLetters, Pattern::SpacePunct, Pattern::Cjk, Pattern::Number};
    case PreTokenizerKind::Gpt4o: return {Pattern::Gpt4o};
    case PreTokenizerKind::Tekken: return {Pattern::Tekken};
    }
    return {Pattern::Gpt2};
}

using Piece = std::pair<uint32_t, uint32_t>; // [begin, end) in code points

} // namespace

PreTokenizerChoice choosePreTokenizer(std::string_view name)
{
    const auto is = [name](std::initializer_list<std::string_view> names) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    if (name.empty() || name == "default")
        return {PreTokenizerKind::Default};
    if (is({"llama3", "llama-v3", "llama-bpe", "falcon3"}))
        return {PreTokenizerKind::Llama3, true, true, true};
    if (is({"dbrx", "smaug-bpe"}))
        return {PreTokenizerKind::Llama3};
    if (is({"qwen2", "stablelm2", "deepseek-r1-qwen"}))
        return {PreTokenizerKind::Qwen2};
    if (name == "deepseek-llm")
        return {PreTokenizerKind::DeepseekLlm};
    if (name == "deepseek-coder")
        return {PreTokenizerKind::DeepseekCoder};
    if (name == "falcon")
        return {PreTokenizerKind::Falcon};
    // llama.cpp's defaults for these names: tekken adds BOS and takes whole-word tokens before
    // merging; gpt-4o leaves both to the GGUF.
    if (is({"gpt-4o", "llama4"}))
        return {PreTokenizerKind::Gpt4o};
    if (name == "tekken")
        return {PreTokenizerKind::Tekken, true, true, true};
    if (is({"gpt-2", "phi-2", "mpt", "olmo", "jina-es", "jina-de", "jina-v1-en", "jina-v2-es", "jina-v2-de",
            "jina-v2-code", "roberta-bpe", "gigachat", "jais", "trillion"}))
        return {PreTokenizerKind::Gpt2};
    if (is({"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"}))
        return {PreTokenizerKind::Starcoder};
    return {PreTokenizerKind::Default, false};
}

std::string_view preTokenizerKindName(PreTokenizerKind kind)
{
    switch (kind) {
    case PreTokenizerKind::Default: return "default";
    case PreTokenizerKind::Gpt2: return "gpt-2";
    case PreTokenizerKind::Llama3: return "llama3";
    case PreTokenizerKind::Qwen2: return "qwen2";
    case PreTokenizerKind::Falcon: return "falcon";
    case PreTokenizerKind::Starcoder: return "starcoder";
    case PreTokenizerKind::DeepseekLlm: return "deepseek-llm";
    case PreTokenizerKind::DeepseekCoder: return "deepseek-coder";
    case PreTokenizerKind::Gpt4o: return "gpt-4o";
    case PreTokenizerKind::Tekken: return "tekken";
    }
    return "default";
}

std::vector<std::string_view> preTokenize(PreTokenizerKind kind, std::string_view text)
{
    if (text.empty())
        return {};
    const DecodedText decoded = decodeText(text);
    const Matcher matcher(decoded);

    // A split never makes more pieces than there are code points: both buffers get that size
    // once, instead of a fresh, larger one for every pattern (page faults on big inputs).
    std::vector<Piece> pieces;
    std::vector<Piece> next;
    pieces.reserve(decoded.cps.size());
    next.reserve(decoded.cps.size());
    pieces.emplace_back(0u, static_cast<uint32_t>(decoded.cps.size()));
    for (const Pattern pattern : patternsFor(kind)) {
        next.clear();
        for (const auto &[begin, end] : pieces) {
            std::size_t gap = begin;
            std::size_t pos = begin;
            while (pos < end) {
                const MatchResult m = matcher.match(pattern, pos, end);
                if (m.length == 0) {
                    pos += std::max<std::size_t>(m.skip, 1);
                    continue;
                }
                if (gap < pos)
                    next.emplace_back(static_cast<uint32_t>(gap), static_cast<uint32_t>(pos));
                next.emplace_back(static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + m.length));
                pos += m.length;
                gap = pos;
            }
            if (gap < end)
                next.emplace_back(static_cast<uint32_t>(gap), end);
        }
        pieces.swap(next);
    }

    std::vector<std::string_view> words;
    words.reserve(pieces.size());
    for (const auto &[begin, end] : pieces)
        words.push_back(text.substr(decoded.offsets[begin], decoded.offsets[end] - decoded.offsets[begin]));
    return words;
}

} // namespace parlo::tokenizer
