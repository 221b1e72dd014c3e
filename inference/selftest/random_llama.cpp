#include "selftest/random_llama.h"

#include "core/quant/quantize.h"

#include <cmath>
#include <random>
#include <vector>

namespace parlo::selftest {

std::optional<TensorType> tensorTypeByName(std::string_view name)
{
    for (uint32_t id = 0; id < 64; ++id) {
        if (auto info = tensorTypeInfo(id); info && info->name == name)
            return info->type;
    }
    return std::nullopt;
}

uint64_t parameterCount(const LlamaShape &s)
{
    const uint64_t hd = s.n_embd / s.n_head, q = uint64_t(s.n_head) * hd, kv = uint64_t(s.n_head_kv) * hd;
    const uint64_t ffn = 3ull * s.n_embd * s.n_ff * std::max<uint32_t>(1, s.n_expert) + uint64_t(s.n_embd) * s.n_expert;
    const uint64_t layer = 2ull * s.n_embd + uint64_t(s.n_embd) * (2 * q + 2 * kv) + ffn;
    return uint64_t(s.n_vocab) * s.n_embd * (s.tied ? 1 : 2) + s.n_embd + s.n_layer * layer;
}

Result<gguf::Writer> buildRandomLlama(const LlamaShape &s, const std::string &type)
{
    TensorType base = TensorType::F32, sensitive = TensorType::F32;
    if (type == "Q4_K_M") {
        base = TensorType::Q4_K;
        sensitive = TensorType::Q6_K;
    } else if (auto t = tensorTypeByName(type); t && quant::canQuantize(*t)) {
        base = sensitive = *t;
    } else {
        return makeError("cannot write tensors of type '" + type + "'");
    }
    if (s.n_head == 0 || s.n_embd % s.n_head || s.n_head % std::max<uint32_t>(1, s.n_head_kv))
        return makeError("n_embd must divide into n_head heads, and n_head into n_head_kv groups");
    const uint32_t hd = s.n_embd / s.n_head;

    gguf::Writer w;
    w.setString("general.architecture", "llama");
    w.setString("general.name", "parlo-random-llama");
    w.setUInt32("llama.context_length", s.n_ctx);
    w.setUInt32("llama.embedding_length", s.n_embd);
    w.setUInt32("llama.block_count", s.n_layer);
    w.setUInt32("llama.feed_forward_length", s.n_ff);
    w.setUInt32("llama.attention.head_count", s.n_head);
    w.setUInt32("llama.attention.head_count_kv", s.n_head_kv);
    w.setUInt32("llama.rope.dimension_count", hd);
    w.setFloat32("llama.rope.freq_base", s.rope_freq_base);
    w.setFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    w.setUInt32("llama.vocab_size", s.n_vocab);
    if (s.n_expert) {
        w.setUInt32("llama.expert_count", s.n_expert);
        w.setUInt32("llama.expert_used_count", s.n_expert_used);
    }
    w.setUInt32("tokenizer.ggml.bos_token_id", 1);
    w.setUInt32("tokenizer.ggml.eos_token_id", 2);

    std::mt19937_64 rng(s.seed);
    auto add = [&](const std::string &name, std::vector<uint64_t> shape, TensorType t, bool norm) -> Result<void> {
        uint64_t n = 1;
        for (uint64_t d : shape)
            n *= d;
        std::vector<float> values(n);
        if (norm) {
            std::uniform_real_distribution<float> d(0.8f, 1.2f);
            for (auto &v : values)
                v = d(rng);
            t = TensorType::F32;
        } else {
            const float bound = 1.0f / std::sqrt(float(shape[0]));
            std::uniform_real_distribution<float> d(-bound * 1.7f, bound * 1.7f);
            for (auto &v : values)
                v = d(rng);
        }
        const auto bytes = tensorBytes(t, n);
        if (!bytes)
            return makeError(name + ": " + std::to_string(shape[0]) + " is not a whole number of " + tensorTypeName(uint32_t(t)) + " blocks");
        std::vector<std::byte> data(*bytes);
        PARLO_TRY(quant::quantize(t, values, data));
        return w.addTensor(name, std::span<const uint64_t>(shape.data(), shape.size()), t, data);
    };
    const uint64_t E = s.n_embd, V = s.n_vocab, F = s.n_ff, Q = uint64_t(s.n_head) * hd, KV = uint64_t(s.n_head_kv) * hd;
    PARLO_TRY(add("token_embd.weight", {E, V}, base, false));
    PARLO_TRY(add("output_norm.weight", {E}, base, true));
    if (!s.tied)
        PARLO_TRY(add("output.weight", {E, V}, sensitive, false));
    for (uint32_t i = 0; i < s.n_layer; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        PARLO_TRY(add(p + "attn_norm.weight", {E}, base, true));
        PARLO_TRY(add(p + "attn_q.weight", {E, Q}, base, false));
        PARLO_TRY(add(p + "attn_k.weight", {E, KV}, base, false));
        PARLO_TRY(add(p + "attn_v.weight", {E, KV}, sensitive, false));
        PARLO_TRY(add(p + "attn_output.weight", {Q, E}, base, false));
        PARLO_TRY(add(p + "ffn_norm.weight", {E}, base, true));
        if (s.n_expert == 0) {
            PARLO_TRY(add(p + "ffn_gate.weight", {E, F}, base, false));
            PARLO_TRY(add(p + "ffn_up.weight", {E, F}, base, false));
            PARLO_TRY(add(p + "ffn_down.weight", {F, E}, base, false));
        } else {
            const uint64_t X = s.n_expert;
            PARLO_TRY(add(p + "ffn_gate_inp.weight", {E, X}, TensorType::F32, false));
            PARLO_TRY(add(p + "ffn_gate_exps.weight", {E, F, X}, base, false));
            PARLO_TRY(add(p + "ffn_up_exps.weight", {E, F, X}, base, false));
            PARLO_TRY(add(p + "ffn_down_exps.weight", {F, E, X}, base, false));
        }
    }
    return w;
}

} // namespace parlo::selftest
