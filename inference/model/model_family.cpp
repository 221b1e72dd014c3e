#include "parlo/model_family.h"

#include <cstdio>

namespace parlo {

namespace {

struct FamilyEntry
{
    std::string_view arch;
    std::string_view family;
    std::string_view traits; // fixed features of the family, comma-separated
};

// Supported families first; the rest are families people will meet, named so a refusal says
// what the file is.
constexpr FamilyEntry k_families[] = {
    {"llama", "Llama (also Mistral, Mixtral)", ""},
    {"qwen2", "Qwen2", "q/k/v biases"},
    {"qwen3", "Qwen3", "per-head q/k norm"},
    {"olmo", "OLMo", "parameter-free LayerNorm"},
    {"olmo2", "OLMo 2", "q/k norm, post-norms"},
    {"phi3", "Phi-3", "fused QKV, fused gate/up"},
    {"falcon", "Falcon", "parallel attention and MLP, fused QKV, GELU"},
    {"gemma2", "Gemma 2", "GeGLU, post-norms"},
    {"llama4", "Llama 4", ""},
    {"deepseek2", "DeepSeek V2/V3", ""},
    {"mamba", "Mamba (state space)", ""},
    {"gemma", "Gemma", ""},
    {"gemma3", "Gemma 3", ""},
    {"qwen2moe", "Qwen2-MoE", ""},
    {"qwen3moe", "Qwen3-MoE", ""},
    {"phi2", "Phi-2", ""},
    {"mistral3", "Mistral 3", ""},
};

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

} // namespace

ModelFamily describeModelFamily(const gguf::File &file)
{
    ModelFamily out;
    out.architecture = std::string(file.architecture());
    out.family = out.architecture.empty() ? "(not given)" : out.architecture;
    out.supported = architectureSupported(out.architecture);
    for (const FamilyEntry &e : k_families) {
        if (e.arch != out.architecture)
            continue;
        out.family = std::string(e.family);
        for (size_t start = 0; start < e.traits.size();) {
            size_t end = e.traits.find(", ", start);
            if (end == std::string_view::npos)
                end = e.traits.size();
            out.features.emplace_back(e.traits.substr(start, end - start));
            start = end + 2;
        }
    }
    const std::string a = out.architecture + ".";
    if (const auto experts = file.getUInt(a + "expert_count"); experts && *experts > 0) {
        const auto used = file.getUInt(a + "expert_used_count");
        out.features.push_back("mixture of experts: " + std::to_string(*experts) + " experts" +
                               (used ? ", " + std::to_string(*used) + " used" : ""));
    }
    if (const auto window = file.getUInt(a + "attention.sliding_window"); window && *window > 0) {
        // Phi-3 declares a window that llama.cpp (and so the references) do not apply.
        const char *where = out.architecture == "gemma2" ? " (even layers)"
                            : out.architecture == "phi3" ? " (declared, not applied, as in llama.cpp)"
                                                         : "";
        out.features.push_back("sliding window " + std::to_string(*window) + where);
    }
    if (file.findTensor("rope_factors_long.weight")) {
        const auto original = file.getUInt(a + "rope.scaling.original_context_length");
        out.features.push_back("LongRoPE" + (original ? " (long factors past " + std::to_string(*original) + " tokens)"
                                                      : std::string()));
    }
    if (file.findTensor("blk.0.attn_norm_2.weight"))
        out.features.push_back("separate attention and MLP norms (Falcon 40B)");
    if (const auto cap = file.getFloat(a + "attn_logit_softcapping"); cap && *cap > 0)
        out.features.push_back("attention soft-cap " + number(*cap));
    if (const auto cap = file.getFloat(a + "final_logit_softcapping"); cap && *cap > 0)
        out.features.push_back("final soft-cap " + number(*cap));
    if (const auto clamp = file.getFloat(a + "attention.clamp_kqv"); clamp && *clamp > 0)
        out.features.push_back("q/k/v clamp " + number(*clamp));
    const auto heads = file.getUInt(a + "attention.head_count"), kv = file.getUInt(a + "attention.head_count_kv");
    if (heads && kv && *kv > 0 && *kv < *heads)
        out.features.push_back(*kv == 1 ? "multi-query attention" : "grouped-query attention");
    return out;
}

} // namespace parlo
