// Tokenizer internals shared by the encoders, the special-token splitter and the decoder.
#pragma once

#include "parlo/tokenizer.h"
#include "pre_tokenizer.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parlo {

struct Tokenizer::Impl
{
    Vocabulary vocab;
    std::vector<TokenType> types; // one per token
    std::vector<float> scores;    // one per token (0 when the vocabulary has none)
    tokenizer::PreTokenizerChoice pre;
    bool addBos = false;
    bool addEos = false;
    bool addSpacePrefix = false;

    // Every token text (for findToken); on duplicates the last id wins, as in llama.cpp.
    std::unordered_map<std::string_view, TokenId> textToId;
    // Texts that ordinary text may turn into: CONTROL and UNKNOWN tokens are left out, so no
    // merge and no byte fallback can ever produce them from user text.
    std::unordered_map<std::string_view, TokenId> textToPlainId;
    // SPM: the <0xNN> token of each byte. BPE: the token of each byte's GPT-2 character.
    std::array<TokenId, 256> byteToken{};

    // BPE merges over "pieces": ids 0..n-1 are tokens, higher ids are merge parts or results
    // that are not in the vocabulary (kept so merge chains through them work as in the file).
    struct Merge
    {
        int32_t rank;
        int32_t result; // piece id
    };
    std::unordered_map<uint64_t, Merge> merges; // key: left piece << 32 | right piece
    std::array<int32_t, 256> bytePiece{};       // piece of each single byte, -1 when none

    // Tokens matched in text before the model's own splitting: USER_DEFINED always, CONTROL and
    // UNKNOWN with parseSpecial. Longest text first.
    std::vector<TokenId> specialTokens;

    std::vector<std::string> pieces; // the bytes each token decodes to (CONTROL/UNKNOWN: empty)
    std::vector<TokenId> endOfGeneration;

    bool isPlainToken(TokenId id) const
    {
        const TokenType t = types[static_cast<std::size_t>(id)];
        return t != TokenType::Control && t != TokenType::Unknown;
    }

    // Encoders for one run of ordinary text (no special tokens in it).
    void encodeSentencePiece(std::string_view text, bool prefixSpace, std::vector<TokenId> &out) const;
    void encodeBpe(std::string_view text, std::vector<TokenId> &out) const;
};

namespace tokenizer {

// GPT-2's byte ↔ printable character mapping used by byte-level BPE vocabularies.
const std::string &byteToUnicode(uint8_t byte); // UTF-8 of the character standing for `byte`
int unicodeToByte(uint32_t cp);                  // -1 when `cp` stands for no byte

// A run of text or a special token, in order.
struct Fragment
{
    TokenId token = kNoToken; // kNoToken: text
    std::string_view text;
};

// Splits `text` at occurrences of the given special tokens (longest first, then by id), as
// llama.cpp's partitioning does.
std::vector<Fragment> splitSpecialTokens(const Tokenizer::Impl &impl, std::string_view text, bool parseSpecial);

} // namespace tokenizer
} // namespace parlo
