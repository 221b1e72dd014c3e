// What a GGUF file says about its model, read from metadata and tensor infos only (no weights
// touched): for `parlo-cli info`, the model library, and load-time refusals.
#pragma once

#include "parlo/gguf.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parlo::gguf {

// The context the memory estimate assumes when the caller does not choose one: this, or the
// model's trained context when that is shorter.
inline constexpr uint64_t k_defaultContextLength = 4096;

struct SpecialToken
{
    std::string role;  // "bos", "eos", "eot", "eom", "pad", "unk", "sep", "mask"
    uint64_t id = 0;
    std::string text;  // the token's text, or empty when the id is outside the vocabulary
};

struct UnsupportedTensor
{
    std::string name;
    std::string type; // "IQ2_XXS"
};

struct ModelSummary
{
    std::string architecture; // general.architecture
    std::string name;         // general.name, or empty
    uint64_t parameterCount = 0;
    std::optional<uint64_t> fileTypeId; // general.file_type
    // "Q4_K_M", or "unknown (99)"; without general.file_type, the tensor type holding most
    // bytes ("F32"), or empty for a file without tensors.
    std::string fileType;
    std::map<std::string, uint64_t> tensorTypeCounts; // "Q4_K" -> tensors
    std::map<std::string, uint64_t> tensorTypeBytes;  // "Q4_K" -> bytes
    uint64_t weightBytes = 0;

    // Hyper-parameters from "<arch>.…" keys; nullopt when the file lacks them.
    std::optional<uint64_t> contextLength;
    std::optional<uint64_t> n_embd;
    std::optional<uint64_t> n_head;
    std::optional<uint64_t> n_head_kv; // defaults to n_head when the key is absent
    std::optional<uint64_t> n_layer;
    std::optional<uint64_t> n_expert;
    std::optional<uint64_t> keyLength;   // per head; n_embd / n_head when absent
    std::optional<uint64_t> valueLength; // per head; n_embd / n_head when absent

    std::string tokenizerModel; // tokenizer.ggml.model
    std::string preTokenizer;   // tokenizer.ggml.pre
    uint64_t vocabSize = 0;
    std::vector<SpecialToken> specialTokens;
    std::optional<bool> addBos;
    std::optional<bool> addEos;
    bool hasChatTemplate = false;
    uint64_t chatTemplateBytes = 0;

    std::vector<UnsupportedTensor> unsupported;
    // "tensor X has type IQ2_XXS, which Parlo does not support", or empty when loadable.
    std::string refusal;

    // KV cache bytes for `n_ctx` tokens with F16 keys and values; nullopt without the
    // hyper-parameters it needs.
    std::optional<uint64_t> kvCacheBytes(uint64_t n_ctx) const;
    // k_defaultContextLength, capped at contextLength.
    uint64_t defaultContext() const;
};

ModelSummary summarize(const File &file);

// The model loader's gate: an Error "this model cannot be loaded: tensor X has type IQ2_XXS,
// which Parlo does not support" for the first tensor of an unsupported type.
Result<void> requireSupportedTypes(const File &file);

// llama.cpp's name for a general.file_type value ("Q4_K_M"); nullopt for unknown values.
std::optional<std::string> fileTypeName(uint64_t fileType);

} // namespace parlo::gguf
