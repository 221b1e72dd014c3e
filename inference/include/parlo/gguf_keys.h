// GGUF metadata key names, as llama.cpp writes them. Architecture-specific keys are
// "<arch>.<suffix>": archKey("llama", key::k_contextLength) == "llama.context_length".
#pragma once

#include <string>
#include <string_view>

namespace parlo::gguf::key {

inline constexpr std::string_view k_architecture = "general.architecture";
inline constexpr std::string_view k_name = "general.name";
inline constexpr std::string_view k_alignment = "general.alignment";
inline constexpr std::string_view k_fileType = "general.file_type";
inline constexpr std::string_view k_quantizationVersion = "general.quantization_version";

// Suffixes after "<arch>."
inline constexpr std::string_view k_contextLength = "context_length";
inline constexpr std::string_view k_embeddingLength = "embedding_length";
inline constexpr std::string_view k_feedForwardLength = "feed_forward_length";
inline constexpr std::string_view k_blockCount = "block_count";
inline constexpr std::string_view k_headCount = "attention.head_count";
inline constexpr std::string_view k_headCountKv = "attention.head_count_kv";
inline constexpr std::string_view k_keyLength = "attention.key_length";
inline constexpr std::string_view k_valueLength = "attention.value_length";
inline constexpr std::string_view k_layerNormEpsilon = "attention.layer_norm_epsilon";
inline constexpr std::string_view k_layerNormRmsEpsilon = "attention.layer_norm_rms_epsilon";
inline constexpr std::string_view k_slidingWindow = "attention.sliding_window";
inline constexpr std::string_view k_clampKqv = "attention.clamp_kqv";
inline constexpr std::string_view k_ropeDimensionCount = "rope.dimension_count";
inline constexpr std::string_view k_ropeFreqBase = "rope.freq_base";
inline constexpr std::string_view k_expertCount = "expert_count";
inline constexpr std::string_view k_expertUsedCount = "expert_used_count";
inline constexpr std::string_view k_vocabSize = "vocab_size";
inline constexpr std::string_view k_attnLogitSoftcapping = "attn_logit_softcapping";
inline constexpr std::string_view k_finalLogitSoftcapping = "final_logit_softcapping";

inline constexpr std::string_view k_tokenizerModel = "tokenizer.ggml.model";
inline constexpr std::string_view k_tokenizerPre = "tokenizer.ggml.pre";
inline constexpr std::string_view k_tokens = "tokenizer.ggml.tokens";
inline constexpr std::string_view k_scores = "tokenizer.ggml.scores";
inline constexpr std::string_view k_tokenType = "tokenizer.ggml.token_type";
inline constexpr std::string_view k_merges = "tokenizer.ggml.merges";
inline constexpr std::string_view k_bosTokenId = "tokenizer.ggml.bos_token_id";
inline constexpr std::string_view k_eosTokenId = "tokenizer.ggml.eos_token_id";
inline constexpr std::string_view k_eotTokenId = "tokenizer.ggml.eot_token_id";
inline constexpr std::string_view k_eomTokenId = "tokenizer.ggml.eom_token_id";
inline constexpr std::string_view k_unknownTokenId = "tokenizer.ggml.unknown_token_id";
inline constexpr std::string_view k_paddingTokenId = "tokenizer.ggml.padding_token_id";
inline constexpr std::string_view k_separatorTokenId = "tokenizer.ggml.seperator_token_id"; // sic
inline constexpr std::string_view k_maskTokenId = "tokenizer.ggml.mask_token_id";
inline constexpr std::string_view k_addBosToken = "tokenizer.ggml.add_bos_token";
inline constexpr std::string_view k_addEosToken = "tokenizer.ggml.add_eos_token";
inline constexpr std::string_view k_addSpacePrefix = "tokenizer.ggml.add_space_prefix";
inline constexpr std::string_view k_chatTemplate = "tokenizer.chat_template";

inline std::string archKey(std::string_view arch, std::string_view suffix)
{
    std::string k(arch);
    k += '.';
    k += suffix;
    return k;
}

} // namespace parlo::gguf::key
