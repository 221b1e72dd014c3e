// The transformer forward pass, written once against the Backend interface. It owns the
// activation buffers (sized for one micro-batch) and the KV cache; positions are the
// caller's business (the engine's session), the graph only checks they fit.
#pragma once

#include "backend/backend.h"
#include "model/model.h"

#include <memory>
#include <span>
#include <vector>

namespace parlo::model {

struct TransformerOptions
{
    uint32_t n_ctx = 0;      // KV cache length; 0: the trained length up to k_defaultContext
    uint32_t n_batch = 256;  // tokens per micro-batch
    TensorType kvType = TensorType::F16; // F16 or F32
};

class Transformer
{
public:
    static Result<std::unique_ptr<Transformer>> create(Model &model, Backend &backend, const TransformerOptions &options);

    // What create() will allocate, known before any weight is uploaded.
    struct MemoryPlan
    {
        uint32_t n_ctx = 0;
        uint32_t n_batch = 0;
        uint64_t kvBytes = 0;      // K and V caches of every layer
        uint64_t scratchBytes = 0; // activations of one micro-batch
    };
    static MemoryPlan plan(const HParams &hp, const TransformerOptions &options);
    // Without an explicit length, the cache stops here even for 128k-token models: a laptop
    // GPU cannot hold 16 GiB of KV cache, and most chats are far shorter.
    static constexpr uint32_t k_defaultContext = 4096;

    uint32_t contextLength() const { return m_nCtx; }
    uint32_t vocabSize() const { return m_model.hparams().n_vocab; }
    TensorType kvType() const { return m_kvType; }
    uint64_t kvCacheBytes() const;

    // Runs tokens at positions pos0.. (the cache must already hold 0..pos0-1 for this sequence).
    // logits receives [n_tokens, n_vocab] when allLogits, else the last token's [n_vocab].
    Result<void> forward(std::span<const int32_t> tokens, uint32_t pos0, bool allLogits, std::vector<float> &logits);

    // An error when any logit is NaN or infinite.
    static Result<void> checkFinite(std::span<const float> logits);

private:
    Transformer(Model &model, Backend &backend) : m_model(model), m_backend(backend) {}
    Result<void> allocate();
    void layer(uint32_t il, uint32_t n, uint32_t pos0);
    // RMSNorm or LayerNorm as the family uses; absent weight or bias: none.
    void norm(BufferView x, const Weight &weight, const Weight &bias, BufferView y);
    // The feed-forward of a layer on `in`, into the Ffn buffer.
    void feedForward(const LayerWeights &w, BufferView in, uint32_t n);
    BufferView view(size_t index, uint32_t ne0, uint32_t ne1) const;

    Model &m_model;
    Backend &m_backend;
    uint32_t m_nCtx = 0;
    uint32_t m_nBatch = 0;
    TensorType m_kvType = TensorType::F16;
    std::vector<std::unique_ptr<BackendBuffer>> m_buffers;
    std::vector<BufferView> m_kCache, m_vCache; // per layer [n_ctx, n_embd_kv]
    const Weight *m_ropeFactors = nullptr; // Llama 3's, LongRoPE's short or long set, or none
    enum Buf { X, H, H2, Q, K, V, Att, Gate, Up, Ffn, RouterLogits, ExpertIds, ExpertWeights, ExpertOut, Logits, Ids, Pos, BufCount };
};

} // namespace parlo::model
