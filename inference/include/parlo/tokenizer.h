// Text ↔ token ids, exactly as the model was trained: SentencePiece-style (`llama`) and
// byte-level BPE (`gpt2`) vocabularies from GGUF metadata, special tokens, and a streaming
// detokenizer for generation.
//
// Special tokens: CONTROL tokens (<|im_end|>, <s> …) are recognised in text only when the
// caller asks (EncodeOptions::parseSpecial, used for chat templates), so user text can never
// inject them. USER_DEFINED tokens are plain added vocabulary (e.g. runs of spaces) and are
// always matched, as Hugging Face tokenizers and llama.cpp do.
#pragma once

#include "parlo/result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parlo {

namespace gguf {
class File;
}

using TokenId = int32_t;
constexpr TokenId kNoToken = -1;

// As numbered in `tokenizer.ggml.token_type`.
enum class TokenType : uint8_t {
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

enum class TokenizerModel {
    SentencePiece,    // tokenizer.ggml.model = "llama"
    BytePairEncoding, // tokenizer.ggml.model = "gpt2"
};

// Everything a tokenizer is built from; normally read from GGUF by vocabularyFromGguf().
struct Vocabulary
{
    TokenizerModel model = TokenizerModel::SentencePiece;
    std::string preTokenizer;       // tokenizer.ggml.pre, as written (may be empty)
    std::vector<std::string> tokens;
    std::vector<float> scores;      // empty, or one per token (SentencePiece merge priority)
    std::vector<TokenType> types;   // empty (all Normal), or one per token
    std::vector<std::string> merges; // BPE only: "left right", rank = index
    TokenId bos = kNoToken;
    TokenId eos = kNoToken;
    TokenId eot = kNoToken;         // end of turn; guessed from the tokens when unset
    TokenId unk = kNoToken;
    TokenId pad = kNoToken;
    std::optional<bool> addBos;     // unset: the model type's default
    std::optional<bool> addEos;
    std::optional<bool> addSpacePrefix;
};

// Reads tokenizer.ggml.* from a GGUF file. Missing or inconsistent arrays, bad merges and
// out-of-range special ids are errors.
Result<Vocabulary> vocabularyFromGguf(const gguf::File &file);

struct EncodeOptions
{
    bool addSpecial = false;   // add BOS/EOS where the vocabulary says to (add_bos/add_eos)
    bool parseSpecial = false; // recognise CONTROL tokens written in the text
};

struct DecodeOptions
{
    bool renderSpecial = false; // CONTROL tokens produce their text instead of nothing
    // SentencePiece with add_space_prefix: drop the space the prefix rule put before the first
    // word (after an optional BOS), so decode(encode(text)) == text.
    bool stripSpacePrefix = true;
};

class Tokenizer
{
public:
    static Result<std::unique_ptr<Tokenizer>> create(Vocabulary vocabulary);
    static Result<std::unique_ptr<Tokenizer>> fromGguf(const gguf::File &file);
    ~Tokenizer();
    Tokenizer(const Tokenizer &) = delete;
    Tokenizer &operator=(const Tokenizer &) = delete;

    // Any bytes are accepted: invalid UTF-8 is kept byte-exact (byte tokens / byte-level BPE).
    // Fails only for input too large to index with 32-bit token positions.
    Result<std::vector<TokenId>> encode(std::string_view text, const EncodeOptions &options = {}) const;
    std::string decode(std::span<const TokenId> ids, const DecodeOptions &options = {}) const;
    // The bytes one token stands for (not necessarily valid UTF-8 on its own).
    std::string tokenPiece(TokenId id, bool renderSpecial = false) const;

    TokenizerModel model() const;
    std::string_view preTokenizerName() const; // the splitter in use ("llama3", "default" …)
    std::size_t vocabSize() const;
    bool isValid(TokenId id) const;
    std::string_view tokenText(TokenId id) const; // raw vocabulary text; empty when invalid
    TokenType tokenType(TokenId id) const;
    std::optional<TokenId> findToken(std::string_view text) const;

    TokenId bos() const;
    TokenId eos() const;
    TokenId eot() const;
    TokenId unk() const;
    TokenId pad() const;
    bool addBos() const;
    bool addEos() const;
    bool addSpacePrefix() const;
    // EOS, EOT and the other end-of-turn tokens the vocabulary has (<|eot_id|>, <|im_end|> …).
    bool isEndOfGeneration(TokenId id) const;
    const std::vector<TokenId> &endOfGenerationTokens() const;

    struct Impl;

private:
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

// Turns generated token ids into text as they arrive. The callback only ever receives
// complete UTF-8: bytes of a character split across tokens (byte-fallback <0xNN> tokens,
// byte-level BPE) are held back until the character is complete; bytes that can never form a
// character become U+FFFD.
class StreamingDetokenizer
{
public:
    using PieceCallback = std::function<void(std::string_view piece)>;

    // `atSequenceStart`: the first ids are the start of the sequence (then SentencePiece's
    // prefix space is dropped per DecodeOptions::stripSpacePrefix); false when continuing.
    StreamingDetokenizer(const Tokenizer &tokenizer, PieceCallback callback, DecodeOptions options = {},
                         bool atSequenceStart = false);

    void push(TokenId id);
    // Emits what is still held back (an unfinished character becomes U+FFFD).
    void finish();
    void reset(bool atSequenceStart = false);

private:
    void emitComplete(bool final);

    const Tokenizer &m_tokenizer;
    PieceCallback m_callback;
    DecodeOptions m_options;
    bool m_stripPending = false;
    std::string m_pending;
};

} // namespace parlo
