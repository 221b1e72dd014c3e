// What the architecture loaders share: the hyper-parameters every transformer has (read under
// the architecture's own key prefix), weight binding into a Weight, and the embedding/output
// tensors. Each arch/<name>.cpp adds only its tensor names and quirks.
#pragma once

#include "model/model.h"
#include "model/tensor_binder.h"

#include <initializer_list>
#include <string>

namespace parlo::model::arch {

// <arch>.embedding_length, block_count, head counts, head size, context length, rope
// dimension/base/linear scaling and the RMS epsilon; `style` is the family's RoPE pairing.
Result<void> readCommonHParams(const gguf::File &f, const std::string &arch, HParams &hp, RopeStyle style);

class WeightBinder
{
public:
    explicit WeightBinder(const gguf::File &f) : m_binder(f) {}
    Result<void> operator()(Weight &dst, const std::string &name, std::initializer_list<uint64_t> ne, bool optional = false) const;
    bool has(const std::string &name) const { return m_binder.has(name); }

private:
    TensorBinder m_binder;
};

// token_embd (sets n_vocab), output_norm (optional for parameter-free norms), and output
// or, when absent, the tied embedding.
Result<void> bindEmbeddingAndOutput(const gguf::File &f, const std::string &arch, HParams &hp, ModelWeights &w,
                                    const WeightBinder &bind, bool outputNormRequired = true);

// Norms and biases are read as plain floats by every backend.
Result<void> requireF32(const ModelWeights &w);

} // namespace parlo::model::arch
