// The llama family (GGUF architecture "llama"): Llama 2/3/3.1/3.2, Mistral, Mixtral,
// TinyLlama, SmolLM. Pre-norm RMSNorm, RoPE on adjacent pairs, SwiGLU or a Mixtral mixture
// of experts, optional Llama 3 frequency factors and linear rope scaling.
#include "model/model.h"
#include "model/tensor_binder.h"

namespace parlo::model::arch {

namespace {

Result<void> readHParams(const gguf::File &f, HParams &hp)
{
    const std::string a = "llama.";
    auto n_embd = requireUInt(f, a + "embedding_length");
    auto n_layer = requireUInt(f, a + "block_count");
    auto n_head = requireUInt(f, a + "attention.head_count");
    auto n_ff = requireUInt(f, a + "feed_forward_length");
    for (const Result<uint32_t> *r : {&n_embd, &n_layer, &n_head, &n_ff}) {
        if (!r->ok())
            return r->error();
    }
    hp.n_embd = *n_embd;
    hp.n_layer = *n_layer;
    hp.n_head = *n_head;
    hp.n_ff = *n_ff;
    hp.n_head_kv = optionalUInt(f, a + "attention.head_count_kv", hp.n_head);
    hp.n_ctx_train = optionalUInt(f, a + "context_length", 2048);
    if (hp.n_head_kv == 0 || hp.n_head % hp.n_head_kv != 0)
        return makeError("attention.head_count " + std::to_string(hp.n_head) + " is not a multiple of head_count_kv "
                         + std::to_string(hp.n_head_kv));
    const uint32_t defaultHeadDim = hp.n_embd / hp.n_head;
    hp.head_dim = optionalUInt(f, a + "attention.key_length", defaultHeadDim);
    if (optionalUInt(f, a + "attention.value_length", hp.head_dim) != hp.head_dim)
        return makeError("different key and value head sizes are not supported for llama");
    if (hp.head_dim == 0 || hp.head_dim % 2 != 0)
        return makeError("head size " + std::to_string(hp.head_dim) + " must be even and non-zero");
    hp.n_rot = optionalUInt(f, a + "rope.dimension_count", hp.head_dim);
    if (hp.n_rot > hp.head_dim || hp.n_rot % 2 != 0)
        return makeError("rope.dimension_count " + std::to_string(hp.n_rot) + " does not fit head size " + std::to_string(hp.head_dim));
    hp.rms_eps = optionalFloat(f, a + "attention.layer_norm_rms_epsilon", 1e-5f);
    hp.rope_freq_base = optionalFloat(f, a + "rope.freq_base", 10000.0f);
    hp.ropeStyle = RopeStyle::Normal;

    float factor = 1.0f;
    const auto scalingType = f.getString(a + "rope.scaling.type");
    if (scalingType && *scalingType != "none") {
        if (*scalingType != "linear")
            return makeError("rope scaling '" + std::string(*scalingType) + "' is not supported yet (only linear)");
        factor = optionalFloat(f, a + "rope.scaling.factor", 1.0f);
    } else if (const auto legacy = f.getFloat(a + "rope.scale_linear")) {
        factor = float(*legacy);
    }
    if (!(factor > 0.0f))
        return makeError("rope scaling factor must be positive");
    hp.rope_freq_scale = 1.0f / factor;

    hp.n_expert = optionalUInt(f, a + "expert_count", 0);
    hp.n_expert_used = optionalUInt(f, a + "expert_used_count", 0);
    if (hp.n_expert > 0 && (hp.n_expert_used == 0 || hp.n_expert_used > hp.n_expert))
        return makeError("expert_used_count " + std::to_string(hp.n_expert_used) + " does not fit expert_count "
                         + std::to_string(hp.n_expert));
    return {};
}

} // namespace

Result<void> loadLlama(const gguf::File &f, HParams &hp, ModelWeights &w)
{
    PARLO_TRY(readHParams(f, hp));
    TensorBinder b(f);
    const gguf::TensorInfo *embd = f.findTensor("token_embd.weight");
    if (!embd || embd->shape.size() < 2)
        return makeError("tensor 'token_embd.weight' is missing or not a matrix");
    hp.n_vocab = uint32_t(std::min<uint64_t>(embd->shape[1], UINT32_MAX));
    if (const auto vocab = f.getUInt("llama.vocab_size"); vocab && *vocab != hp.n_vocab)
        return makeError("llama.vocab_size " + std::to_string(*vocab) + " contradicts token_embd.weight's "
                         + std::to_string(hp.n_vocab) + " rows");

    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff, n_vocab = hp.n_vocab;
    auto bindInto = [&](Weight &dst, const std::string &name, std::initializer_list<uint64_t> ne, bool optional = false) -> Result<void> {
        auto r = b.bind(name, ne, optional);
        if (!r)
            return r.error();
        dst = std::move(r.value());
        return {};
    };
    PARLO_TRY(bindInto(w.tok_embd, "token_embd.weight", {n_embd, n_vocab}));
    PARLO_TRY(bindInto(w.output_norm, "output_norm.weight", {n_embd}));
    PARLO_TRY(bindInto(w.output, "output.weight", {n_embd, n_vocab}, true));
    hp.tiedOutput = !w.output.valid();
    if (hp.tiedOutput)
        w.output = w.tok_embd;
    PARLO_TRY(bindInto(w.rope_freqs, "rope_freqs.weight", {hp.n_rot / 2}, true));

    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(bindInto(l.attn_norm, p + "attn_norm.weight", {n_embd}));
        PARLO_TRY(bindInto(l.wq, p + "attn_q.weight", {n_embd, n_q}));
        PARLO_TRY(bindInto(l.wk, p + "attn_k.weight", {n_embd, n_kv}));
        PARLO_TRY(bindInto(l.wv, p + "attn_v.weight", {n_embd, n_kv}));
        PARLO_TRY(bindInto(l.wo, p + "attn_output.weight", {n_q, n_embd}));
        PARLO_TRY(bindInto(l.ffn_norm, p + "ffn_norm.weight", {n_embd}));
        if (hp.n_expert == 0) {
            PARLO_TRY(bindInto(l.ffn_gate, p + "ffn_gate.weight", {n_embd, n_ff}));
            PARLO_TRY(bindInto(l.ffn_up, p + "ffn_up.weight", {n_embd, n_ff}));
            PARLO_TRY(bindInto(l.ffn_down, p + "ffn_down.weight", {n_ff, n_embd}));
        } else {
            const uint64_t n_exp = hp.n_expert;
            if (b.has(p + "ffn_gate.0.weight"))
                return makeError("per-expert tensors (" + p + "ffn_gate.0.weight) are an old Mixtral layout; convert the model again");
            PARLO_TRY(bindInto(l.ffn_gate_inp, p + "ffn_gate_inp.weight", {n_embd, n_exp}));
            PARLO_TRY(bindInto(l.ffn_gate_exps, p + "ffn_gate_exps.weight", {n_embd, n_ff, n_exp}));
            PARLO_TRY(bindInto(l.ffn_up_exps, p + "ffn_up_exps.weight", {n_embd, n_ff, n_exp}));
            PARLO_TRY(bindInto(l.ffn_down_exps, p + "ffn_down_exps.weight", {n_ff, n_embd, n_exp}));
        }
    }
    // Norms and the router are read as plain floats by every backend.
    for (const Weight *norm : {&w.output_norm, &w.rope_freqs}) {
        if (norm->valid() && norm->view.type != TensorType::F32)
            return makeError("norm and rope-factor tensors must be F32");
    }
    for (const LayerWeights &l : w.layers) {
        if (l.attn_norm.view.type != TensorType::F32 || l.ffn_norm.view.type != TensorType::F32)
            return makeError("norm tensors must be F32");
    }
    return {};
}

} // namespace parlo::model::arch
