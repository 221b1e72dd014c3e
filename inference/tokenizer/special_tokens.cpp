// Splitting text at special-token texts before the model's own tokenization. llama.cpp takes
// the special tokens longest first and cuts every remaining text run at each occurrence; this
// finds all occurrences in one pass over the text (candidates bucketed by first byte) and then
// accepts them in that same order, which gives the same cuts without rescanning the text once
// per token (DeepSeek has 2,400 USER_DEFINED tokens).
#include "tokenizer_impl.h"

#include <algorithm>
#include <map>

namespace parlo::tokenizer {

namespace {

struct Occurrence
{
    std::size_t position;
    std::size_t rank; // index in impl.specialTokens: longest first
};

// Matches every special token at every position; O(text × longest match).
std::vector<Occurrence> findOccurrences(const Tokenizer::Impl &impl, std::string_view text, bool parseSpecial)
{
    // Group candidate tokens by first byte so each position only tries plausible ones.
    std::array<std::vector<std::size_t>, 256> byFirstByte;
    for (std::size_t rank = 0; rank < impl.specialTokens.size(); ++rank) {
        const TokenId id = impl.specialTokens[rank];
        if (!parseSpecial && !impl.isPlainToken(id))
            continue;
        const std::string &t = impl.vocab.tokens[static_cast<std::size_t>(id)];
        byFirstByte[static_cast<uint8_t>(t[0])].push_back(rank);
    }
    std::vector<Occurrence> found;
    for (std::size_t pos = 0; pos < text.size(); ++pos) {
        for (const std::size_t rank : byFirstByte[static_cast<uint8_t>(text[pos])]) {
            const std::string &t = impl.vocab.tokens[static_cast<std::size_t>(impl.specialTokens[rank])];
            if (text.compare(pos, t.size(), t) == 0)
                found.push_back({pos, rank});
        }
    }
    return found;
}

} // namespace

std::vector<Fragment> splitSpecialTokens(const Tokenizer::Impl &impl, std::string_view text, bool parseSpecial)
{
    std::vector<Occurrence> occurrences;
    if (!impl.specialTokens.empty() && !text.empty())
        occurrences = findOccurrences(impl, text, parseSpecial);
    if (occurrences.empty())
        return text.empty() ? std::vector<Fragment>{} : std::vector<Fragment>{{kNoToken, text}};

    std::stable_sort(occurrences.begin(), occurrences.end(), [](const Occurrence &a, const Occurrence &b) {
        return a.rank != b.rank ? a.rank < b.rank : a.position < b.position;
    });
    std::map<std::size_t, Occurrence> accepted; // by position; accepted ranges never overlap
    for (const Occurrence &o : occurrences) {
        const std::size_t length = impl.vocab.tokens[static_cast<std::size_t>(impl.specialTokens[o.rank])].size();
        auto next = accepted.lower_bound(o.position);
        if (next != accepted.end()
            && next->first < o.position + length)
            continue;
        if (next != accepted.begin()) {
            const auto &prev = *std::prev(next);
            const std::size_t prevLength =
                impl.vocab.tokens[static_cast<std::size_t>(impl.specialTokens[prev.second.rank])].size();
            if (prev.first + prevLength > o.position)
                continue;
        }
        accepted.emplace(o.position, o);
    }

    std::vector<Fragment> fragments;
    std::size_t cursor = 0;
    for (const auto &[position, o] : accepted) {
        const TokenId id = impl.specialTokens[o.rank];
        if (position > cursor)
            fragments.push_back({kNoToken, text.substr(cursor, position - cursor)});
        fragments.push_back({id, text.substr(position, impl.vocab.tokens[static_cast<std::size_t>(id)].size())});
        cursor = position + impl.vocab.tokens[static_cast<std::size_t>(id)].size();
    }
    if (cursor < text.size())
        fragments.push_back({kNoToken, text.substr(cursor)});
    return fragments;
}

} // namespace parlo::tokenizer
