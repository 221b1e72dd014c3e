#include "parlo/perplexity.h"

#include <algorithm>
#include <cmath>

namespace parlo {

Result<PerplexityResult> computePerplexity(Engine &engine, std::span<const int32_t> tokens, uint32_t n_ctx,
                                           const std::function<void(size_t, double)> &onChunk)
{
    if (n_ctx < 4)
        return makeError("the perplexity context must be at least 4 tokens");
    if (engine.describe().n_ctx < n_ctx)
        return makeError("a context of " + std::to_string(n_ctx) + " tokens is longer than the engine's "
                         + std::to_string(engine.describe().n_ctx));
    PerplexityResult result;
    result.chunks = tokens.size() / n_ctx;
    if (result.chunks == 0)
        return makeError("the text has " + std::to_string(tokens.size()) + " tokens, fewer than one chunk of " + std::to_string(n_ctx));
    const int32_t bos = engine.describe().bos_id;
    const uint32_t n_vocab = engine.describe().n_vocab;
    const size_t first = n_ctx / 2;
    double nll = 0.0;
    for (size_t c = 0; c < result.chunks; ++c) {
        std::vector<int32_t> chunk(tokens.begin() + ptrdiff_t(c * n_ctx), tokens.begin() + ptrdiff_t((c + 1) * n_ctx));
        if (bos >= 0)
            chunk[0] = bos;
        auto logits = engine.evaluate(chunk);
        if (!logits)
            return logits.error();
        // Logits at position i predict the text's token i + 1.
        for (size_t i = first; i + 1 < n_ctx; ++i) {
            const float *row = logits->data() + i * n_vocab;
            const int32_t next = tokens[c * n_ctx + i + 1];
            const float maxLogit = *std::max_element(row, row + n_vocab);
            double sum = 0.0;
            for (uint32_t v = 0; v < n_vocab; ++v)
                sum += std::exp(double(row[v]) - maxLogit);
            nll += std::log(sum) + maxLogit - row[next];
            ++result.scoredTokens;
        }
        result.perplexity = std::exp(nll / double(result.scoredTokens));
        if (onChunk)
            onChunk(c, result.perplexity);
    }
    engine.reset();
    return result;
}

} // namespace parlo
