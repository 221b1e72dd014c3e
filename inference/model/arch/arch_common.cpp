#include "model/arch/arch_common.h"

namespace parlo::model::arch {

Result<void> readCommonHParams(const gguf::File &f, const std::string &arch, HParams &hp, RopeStyle style)
{
    const std::string a = arch + ".";
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
    if (hp.n_head == 0 || hp.n_embd == 0)
        return makeError("embedding_length and attention.head_count must be non-zero");
    hp.n_head_kv = optionalUInt(f, a + "attention.head_count_kv", hp.n_head);
    hp.n_ctx_train = optionalUInt(f, a + "context_length", 2048);
    if (hp.n_head_kv == 0 || hp.n_head % hp.n_head_kv != 0)
        return makeError("attention.head_count " + std::to_string(hp.n_head) + " is not a multiple of head_count_kv "
                         + std::to_string(hp.n_head_kv));
    hp.head_dim = optionalUInt(f, a + "attention.key_length", hp.n_embd / hp.n_head);
    if (optionalUInt(f, a + "attention.value_length", hp.head_dim) != hp.head_dim)
        return makeError("different key and value head sizes are not supported");
    if (hp.head_dim == 0 || hp.head_dim % 2 != 0)
        return makeError("head size " + std::to_string(hp.head_dim) + " must be even and non-zero");
    hp.n_rot = optionalUInt(f, a + "rope.dimension_count", hp.head_dim);
    if (hp.n_rot > hp.head_dim || hp.n_rot % 2 != 0)
        return makeError("rope.dimension_count " + std::to_string(hp.n_rot) + " does not fit head size " + std::to_string(hp.head_dim));
    hp.rms_eps = optionalFloat(f, a + "attention.layer_norm_rms_epsilon", 1e-5f);
    hp.rope_freq_base = optionalFloat(f, a + "rope.freq_base", 10000.0f);
    hp.ropeStyle = style;

    float factor = 1.0f;
    const auto scalingType = f.getString(a + "rope.scaling.type");
    // LongRoPE ("longrope", formerly "su") works through factor tensors the arch loader binds.
    const bool longRope = scalingType && (*scalingType == "longrope" || *scalingType == "su");
    if (longRope && arch != "phi3")
        return makeError("rope scaling '" + std::string(*scalingType) + "' is only known for Phi-3 models");
    if (scalingType && *scalingType != "none" && !longRope) {
        if (*scalingType != "linear")
            return makeError("rope scaling '" + std::string(*scalingType) + "' is not supported yet (only linear)");
        factor = optionalFloat(f, a + "rope.scaling.factor", 1.0f);
    } else if (const auto legacy = f.getFloat(a + "rope.scale_linear")) {
        factor = float(*legacy);
    }
    if (!(factor > 0.0f))
        return makeError("rope scaling factor must be positive");
    hp.rope_freq_scale = 1.0f / factor;
    return {};
}

Result<void> WeightBinder::operator()(Weight &dst, const std::string &name, std::initializer_list<uint64_t> ne, bool optional) const
{
    auto r = m_binder.bind(name, ne, optional);
    if (!r)
        return r.error();
    dst = std::move(r.value());
    return {};
}

Result<void> bindEmbeddingAndOutput(const gguf::File &f, const std::string &arch, HParams &hp, ModelWeights &w,
                                    const WeightBinder &bind, bool outputNormRequired)
{
    const gguf::TensorInfo *embd = f.findTensor("token_embd.weight");
    if (!embd || embd->shape.size() < 2)
        return makeError("tensor 'token_embd.weight' is missing or not a matrix");
    hp.n_vocab = uint32_t(std::min<uint64_t>(embd->shape[1], UINT32_MAX));
    if (const auto vocab = f.getUInt(arch + ".vocab_size"); vocab && *vocab != hp.n_vocab)
        return makeError(arch + ".vocab_size " + std::to_string(*vocab) + " contradicts token_embd.weight's "
                         + std::to_string(hp.n_vocab) + " rows");
    const uint64_t n_embd = hp.n_embd, n_vocab = hp.n_vocab;
    PARLO_TRY(bind(w.tok_embd, "token_embd.weight", {n_embd, n_vocab}));
    PARLO_TRY(bind(w.output_norm, "output_norm.weight", {n_embd}, !outputNormRequired));
    PARLO_TRY(bind(w.output, "output.weight", {n_embd, n_vocab}, true));
    hp.tiedOutput = !w.output.valid();
    if (hp.tiedOutput)
        w.output = w.tok_embd;
    return {};
}

Result<void> requireF32(const ModelWeights &w)
{
    auto f32 = [](const Weight &x) { return !x.valid() || x.view.type == TensorType::F32; };
    for (const Weight *x : {&w.output_norm, &w.output_norm_b, &w.rope_freqs, &w.rope_factors_short, &w.rope_factors_long}) {
        if (!f32(*x))
            return makeError("norm and rope-factor tensors must be F32");
    }
    for (const LayerWeights &l : w.layers) {
        for (const Weight *x : {&l.attn_norm, &l.attn_norm_b, &l.attn_norm_2, &l.attn_norm_2_b, &l.ffn_norm, &l.bq, &l.bk, &l.bv, &l.attn_q_norm, &l.attn_k_norm,
                                &l.attn_post_norm, &l.ffn_post_norm}) {
            if (!f32(*x))
                return makeError("norm and bias tensors must be F32");
        }
    }
    return {};
}

} // namespace parlo::model::arch
