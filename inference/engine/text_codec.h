// The engine's seam to the tokenizer: text → ids for prompts, ids → text pieces while
// streaming (a piece may hold back bytes of an unfinished UTF-8 character).
#pragma once

#include "parlo/gguf.h"
#include "parlo/result.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parlo::engine {

class TextCodec
{
public:
    virtual ~TextCodec() = default;
    virtual Result<std::vector<int32_t>> tokenize(std::string_view text, bool addBos) const = 0;
    virtual Result<std::string> detokenize(std::span<const int32_t> tokens) const = 0;
    // Streaming: the text completed by `token`, given everything fed since resetStream().
    virtual std::string piece(int32_t token) = 0;
    virtual void resetStream() = 0;
    // EOS, EOT and the vocabulary's other end-of-turn tokens.
    virtual bool isEndOfGeneration(int32_t token) const = 0;
};

// The codec for the model's vocabulary, or an error saying why there is none.
Result<std::unique_ptr<TextCodec>> createTextCodec(const gguf::File &file);

} // namespace parlo::engine
