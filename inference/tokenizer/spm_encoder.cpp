// SentencePiece-style encoding as llama.cpp's SPM path does it: start from single characters,
// repeatedly merge the adjacent pair whose concatenation is the highest-scoring token (ties:
// leftmost), and spell whatever never became a token with <0xNN> byte tokens.
#include "tokenizer_impl.h"
#include "unicode_class.h"

#include <queue>

namespace parlo {

namespace {
constexpr std::string_view kSpaceMark = "\xE2\x96\x81"; // U+2581, SentencePiece's visible space
using Symbol = SpmSymbol;
using Bigram = SpmBigram;
} // namespace

void Tokenizer::Impl::encodeSentencePiece(std::string_view raw, bool prefixSpace, std::vector<TokenId> &out) const
{
    std::string text;
    text.reserve(raw.size() + raw.size() / 2 + 3);
    if (prefixSpace)
        text += kSpaceMark;
    for (const char c : raw) {
        if (c == ' ')
            text += kSpaceMark;
        else
            text += c;
    }
    if (text.empty())
        return;

    // Cut the text where no token can span two adjacent characters; each segment is merged on
    // its own, which gives the same result as merging the whole text at once.
    std::vector<Symbol> symbols;
    SpmQueue queue;
    std::size_t segmentStart = 0;
    uint32_t previousCp = 0;
    for (std::size_t offset = 0; offset <= text.size();) {
        tokenizer::DecodedCodepoint c{0, 0};
        if (offset < text.size())
            c = tokenizer::decodeUtf8(text, offset);
        const bool cut = offset == text.size()
            || (offset > segmentStart && !joinablePairs.contains(uint64_t(previousCp) << 32 | c.cp));
        if (cut) {
            encodeSentencePieceSegment(text, segmentStart, offset, symbols, queue, out);
            segmentStart = offset;
            if (offset == text.size())
                break;
        }
        previousCp = c.cp;
        offset += c.length;
    }
}

void Tokenizer::Impl::encodeSentencePieceSegment(const std::string &text, std::size_t begin, std::size_t end,
                                                 std::vector<SpmSymbol> &symbols, SpmQueue &queue,
                                                 std::vector<TokenId> &out) const
{
    symbols.clear();
    for (std::size_t offset = begin; offset < end;) {
        const uint32_t length = tokenizer::decodeUtf8(text, offset).length;
        const auto index = static_cast<int32_t>(symbols.size());
        symbols.push_back({index - 1, -1, static_cast<uint32_t>(offset), length});
        offset += length;
        if (index > 0)
            symbols[static_cast<std::size_t>(index - 1)].next = index;
    }
    if (symbols.empty())
        return;

    const auto tryAdd = [&](int32_t left, int32_t right) {
        if (left < 0 || right < 0)
            return;
        const Symbol &l = symbols[static_cast<std::size_t>(left)];
        const Symbol &r = symbols[static_cast<std::size_t>(right)];
        const std::string_view joined(text.data() + l.start, l.length + r.length);
        const auto it = textToPlainId.find(joined);
        if (it == textToPlainId.end())
            return;
        queue.push({scores[static_cast<std::size_t>(it->second)], left, right, l.length + r.length});
    };
    for (std::size_t i = 1; i < symbols.size(); ++i)
        tryAdd(static_cast<int32_t>(i - 1), static_cast<int32_t>(i));

    while (!queue.empty()) {
        const Bigram b = queue.top();
        queue.pop();
        Symbol &l = symbols[static_cast<std::size_t>(b.left)];
        Symbol &r = symbols[static_cast<std::size_t>(b.right)];
        if (l.length == 0 || r.length == 0 || l.length + r.length != b.length || l.next != b.right)
            continue;
        l.length += r.length;
        r.length = 0;
        l.next = r.next;
        if (r.next >= 0)
            symbols[static_cast<std::size_t>(r.next)].prev = b.left;
        tryAdd(l.prev, b.left);
        tryAdd(b.left, l.next);
    }

    for (int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
        const Symbol &s = symbols[static_cast<std::size_t>(i)];
        const std::string_view piece(text.data() + s.start, s.length);
        const auto it = textToPlainId.find(piece);
        if (it != textToPlainId.end()) {
            out.push_back(it->second);
            continue;
        }
        for (const char c : piece) {
            const TokenId id = byteToken[static_cast<uint8_t>(c)];
            if (id != kNoToken)
                out.push_back(id);
        }
    }
}

} // namespace parlo
