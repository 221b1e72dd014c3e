// SentencePiece-style encoding as llama.cpp's SPM path does it: start from single characters,
// repeatedly merge the adjacent pair whose concatenation is the highest-scoring token (ties:
// leftmost), and spell whatever never became a token with <0xNN> byte tokens.
#include "tokenizer_impl.h"
#include "unicode_class.h"

#include <queue>

namespace parlo {

namespace {

constexpr std::string_view kSpaceMark = "\xE2\x96\x81"; // U+2581, SentencePiece's visible space

struct Symbol
{
    int32_t prev;
    int32_t next;
    uint32_t start; // byte offset in the escaped text
    uint32_t length; // 0: merged into its left neighbour
};

struct Bigram
{
    float score;
    int32_t left;
    int32_t right;
    uint32_t length; // combined length when queued, to detect stale entries
};

struct BigramOrder
{
    bool operator()(const Bigram &a, const Bigram &b) const
    {
        return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
};

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

    std::vector<Symbol> symbols;
    symbols.reserve(text.size());
    for (std::size_t offset = 0; offset < text.size();) {
        const uint32_t length = tokenizer::decodeUtf8(text, offset).length;
        const auto index = static_cast<int32_t>(symbols.size());
        symbols.push_back({index - 1, -1, static_cast<uint32_t>(offset), length});
        offset += length;
        if (index > 0)
            symbols[static_cast<std::size_t>(index - 1)].next = index;
    }

    std::priority_queue<Bigram, std::vector<Bigram>, BigramOrder> queue;
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
