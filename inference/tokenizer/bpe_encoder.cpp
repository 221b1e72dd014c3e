// Byte-level BPE: pre-tokenize into words, then within each word start from single bytes and
// repeatedly apply the lowest-ranked merge among adjacent pairs (ties: leftmost). Words repeat
// a lot in real text, so each call keeps a small cache of word → ids.
#include "tokenizer_impl.h"

#include <queue>

namespace parlo {

namespace {

struct Symbol
{
    int32_t prev;
    int32_t next;
    int32_t piece; // -1: this byte has no piece and never merges
    uint32_t start;
    uint32_t length; // 0: merged into its left neighbour
};

struct Bigram
{
    int32_t rank;
    int32_t left;
    int32_t right;
    int32_t leftPiece; // pieces when queued, to detect stale entries
    int32_t rightPiece;
    int32_t result;
};

struct BigramOrder
{
    bool operator()(const Bigram &a, const Bigram &b) const
    {
        return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
    }
};

constexpr std::size_t kMaxCachedWordBytes = 64;
constexpr std::size_t kMaxCacheEntries = 1 << 16;

} // namespace

void Tokenizer::Impl::encodeBpe(std::string_view text, std::vector<TokenId> &out) const
{
    const auto nTokens = static_cast<int32_t>(vocab.tokens.size());
    std::unordered_map<std::string_view, std::pair<uint32_t, uint32_t>> cache; // word → [begin, end) in cached
    std::vector<TokenId> cached;
    std::vector<Symbol> symbols;
    std::priority_queue<Bigram, std::vector<Bigram>, BigramOrder> queue;
    std::string encoded;

    const auto emitSymbol = [&](const Symbol &s, std::string_view word, std::vector<TokenId> &dest) {
        if (s.piece >= 0 && s.piece < nTokens && isPlainToken(s.piece)) {
            dest.push_back(s.piece);
            return;
        }
        // Not a token (an inconsistent vocabulary): spell it byte by byte where possible.
        for (uint32_t i = 0; i < s.length; ++i) {
            const TokenId id = byteToken[static_cast<uint8_t>(word[s.start + i])];
            if (id != kNoToken)
                dest.push_back(id);
        }
    };

    const auto encodeWord = [&](std::string_view word, std::vector<TokenId> &dest) {
        if (pre.ignoreMerges) {
            encoded.clear();
            for (const char c : word)
                encoded += tokenizer::byteToUnicode(static_cast<uint8_t>(c));
            const auto it = textToPlainId.find(encoded);
            if (it != textToPlainId.end()) {
                dest.push_back(it->second);
                return;
            }
        }
        symbols.clear();
        for (std::size_t i = 0; i < word.size(); ++i) {
            const auto index = static_cast<int32_t>(i);
            symbols.push_back({index - 1, i + 1 < word.size() ? index + 1 : -1,
                               bytePiece[static_cast<uint8_t>(word[i])], static_cast<uint32_t>(i), 1});
        }
        const auto tryAdd = [&](int32_t left, int32_t right) {
            if (left < 0 || right < 0)
                return;
            const Symbol &l = symbols[static_cast<std::size_t>(left)];
            const Symbol &r = symbols[static_cast<std::size_t>(right)];
            if (l.piece < 0 || r.piece < 0)
                return;
            const auto it = merges.find(static_cast<uint64_t>(l.piece) << 32 | static_cast<uint32_t>(r.piece));
            if (it == merges.end())
                return;
            queue.push({it->second.rank, left, right, l.piece, r.piece, it->second.result});
        };
        for (std::size_t i = 1; i < symbols.size(); ++i)
            tryAdd(static_cast<int32_t>(i - 1), static_cast<int32_t>(i));
        while (!queue.empty()) {
            const Bigram b = queue.top();
            queue.pop();
            Symbol &l = symbols[static_cast<std::size_t>(b.left)];
            Symbol &r = symbols[static_cast<std::size_t>(b.right)];
            if (l.length == 0 || r.length == 0 || l.next != b.right || l.piece != b.leftPiece || r.piece != b.rightPiece)
                continue;
            l.length += r.length;
            l.piece = b.result;
            r.length = 0;
            l.next = r.next;
            if (r.next >= 0)
                symbols[static_cast<std::size_t>(r.next)].prev = b.left;
            tryAdd(l.prev, b.left);
            tryAdd(b.left, l.next);
        }
        for (int32_t i = symbols.empty() ? -1 : 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next)
            emitSymbol(symbols[static_cast<std::size_t>(i)], word, dest);
    };

    for (const std::string_view word : tokenizer::preTokenize(pre.kind, text)) {
        if (word.size() > kMaxCachedWordBytes) {
            encodeWord(word, out);
            continue;
        }
        const auto hit = cache.find(word);
        if (hit != cache.end()) {
            out.insert(out.end(), cached.begin() + hit->second.first, cached.begin() + hit->second.second);
            continue;
        }
        const std::size_t begin = out.size();
        encodeWord(word, out);
        if (cache.size() < kMaxCacheEntries) {
            const auto cachedBegin = static_cast<uint32_t>(cached.size());
            cached.insert(cached.end(), out.begin() + static_cast<std::ptrdiff_t>(begin), out.end());
            cache.emplace(word, std::make_pair(cachedBegin, static_cast<uint32_t>(cached.size())));
        }
    }
}

} // namespace parlo
