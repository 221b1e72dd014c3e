// A loaded model: its mapped GGUF file, hyper-parameters and weight views. Weights are never
// copied; they point into the file mapping, so the file must stay as it was while in use:
// checkFileUnchanged() is called before every use (see model.cpp for the policy).
#pragma once

#include "backend/backend.h"
#include "model/hparams.h"
#include "parlo/gguf.h"
#include "parlo/result.h"

#include <memory>
#include <string>
#include <vector>

namespace parlo::model {

struct LayerWeights
{
    Weight attn_norm;     // [n_embd]; invalid: no pre-norm (OLMo2) or a parameter-free one (OLMo)
    Weight attn_norm_b;   // [n_embd] LayerNorm bias (Falcon)
    Weight attn_norm_2;   // [n_embd] Falcon 40B: the attention's own norm (attn_norm then feeds the MLP)
    Weight attn_norm_2_b; // [n_embd]
    Weight wq;            // [n_embd, n_embd_q]
    Weight wk;            // [n_embd, n_embd_kv]
    Weight wv;            // [n_embd, n_embd_kv]
    Weight wo;            // [n_embd_q, n_embd]
    // Optional, per family (invalid when the family has none):
    Weight bq, bk, bv;    // [n_embd_q], [n_embd_kv], [n_embd_kv] biases (Qwen2)
    Weight attn_q_norm;   // [head_dim] per head (Qwen3) or [n_embd_q] whole projection (OLMo2)
    Weight attn_k_norm;   // [head_dim] or [n_embd_kv]
    Weight attn_post_norm; // [n_embd] on the attention output before the residual (OLMo2, Gemma2)
    Weight ffn_norm;      // [n_embd]; invalid: no pre-norm (OLMo2)
    Weight ffn_post_norm; // [n_embd] on the feed-forward output (OLMo2, Gemma2)
    // Dense feed-forward.
    Weight ffn_gate;      // [n_embd, n_ff]
    Weight ffn_up;        // [n_embd, n_ff]
    Weight ffn_down;      // [n_ff, n_embd]
    // Mixture of experts (merged tensors).
    Weight ffn_gate_inp;  // [n_embd, n_expert]
    Weight ffn_gate_exps; // [n_embd, n_ff, n_expert]
    Weight ffn_up_exps;   // [n_embd, n_ff, n_expert]
    Weight ffn_down_exps; // [n_ff, n_embd, n_expert]
};

struct ModelWeights
{
    Weight tok_embd;    // [n_embd, n_vocab]
    Weight output_norm; // [n_embd]; invalid for a parameter-free LayerNorm (OLMo)
    Weight output_norm_b; // [n_embd] LayerNorm bias (Falcon)
    Weight output;      // [n_embd, n_vocab]; the embedding table when tied
    Weight rope_freqs;  // [n_rot / 2], Llama 3 frequency factors; optional
    Weight rope_factors_short; // [n_rot / 2] LongRoPE factors up to n_ctx_orig tokens; optional
    Weight rope_factors_long;  // [n_rot / 2] LongRoPE factors past n_ctx_orig; with the short ones
    std::vector<LayerWeights> layers;
};

class Model
{
public:
    // Opens and maps `path` and loads it with its architecture's loader.
    static Result<std::unique_ptr<Model>> load(const std::string &path);
    static Result<std::unique_ptr<Model>> fromFile(std::unique_ptr<gguf::File> file);
    // What fromFile does without taking the file over: hyper-parameters and weight views
    // (pointing into `file`'s mapping), for plans made before loading (memory estimate).
    static Result<void> bind(const gguf::File &file, HParams &hp, ModelWeights &weights);
    // The valid weights of `weights`, as a backend prepares them (a tied output once).
    static std::vector<Weight *> weightsOf(const HParams &hp, ModelWeights &weights);

    const HParams &hparams() const { return m_hparams; }
    ModelWeights &weights() { return m_weights; }
    const ModelWeights &weights() const { return m_weights; }
    const gguf::File &file() const { return *m_file; }
    // Every weight, for a backend to prepare (upload) them.
    std::vector<Weight *> allWeights();
    uint64_t weightBytes() const;
    // Weight bytes one decode step reads: every matrix once, one embedding row, and of the
    // merged expert tensors only the share of the experts used.
    uint64_t decodeBytesPerToken() const;

    // An error when the file on disk is no longer the one that was mapped (size, modification
    // time or inode changed, or it was deleted).
    Result<void> checkFileUnchanged() const;

private:
    Model() = default;
    std::unique_ptr<gguf::File> m_file;
    HParams m_hparams;
    ModelWeights m_weights;
    struct Identity
    {
        bool known = false;
        uint64_t size = 0;
        uint64_t inode = 0;
        int64_t mtimeNs = 0;
    } m_identity;
};

// Architectures: each reads its hyper-parameters and binds its tensors, checking every shape.
namespace arch {
Result<void> loadLlama(const gguf::File &file, HParams &hp, ModelWeights &w);
Result<void> loadQwen2(const gguf::File &file, HParams &hp, ModelWeights &w);
Result<void> loadQwen3(const gguf::File &file, HParams &hp, ModelWeights &w);
Result<void> loadOlmo2(const gguf::File &file, HParams &hp, ModelWeights &w);
Result<void> loadPhi3(const gguf::File &file, HParams &hp, ModelWeights &w);
Result<void> loadOlmo(const gguf::File &file, HParams &hp, ModelWeights &w);
Result<void> loadFalcon(const gguf::File &file, HParams &hp, ModelWeights &w);
Result<void> loadGemma2(const gguf::File &file, HParams &hp, ModelWeights &w);
}

} // namespace parlo::model
