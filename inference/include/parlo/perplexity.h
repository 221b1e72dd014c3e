// Perplexity by llama.cpp's method, so figures compare with its perplexity tool: the tokens
// (tokenized with BOS) are cut into chunks of n_ctx, each chunk's first token becomes BOS,
// and only the second half of each chunk is scored.
#pragma once

#include "parlo/engine.h"

#include <functional>
#include <span>

namespace parlo {

struct PerplexityResult
{
    double perplexity = 0.0;
    size_t chunks = 0;
    size_t scoredTokens = 0;
};

// onChunk(chunk index, running perplexity) after each chunk.
Result<PerplexityResult> computePerplexity(Engine &engine, std::span<const int32_t> tokens, uint32_t n_ctx,
                                           const std::function<void(size_t, double)> &onChunk = {});

} // namespace parlo
