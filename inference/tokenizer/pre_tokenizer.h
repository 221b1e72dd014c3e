// Byte-level BPE pre-tokenizers: split text into words before merges, as the model's
// tokenizer.json regexes do. Each regex is a hand-written, Unicode-aware matcher (std::regex
// has no \p{L}); a pre-tokenizer is a sequence of them, each applied to every piece the previous
// one left, keeping both matches and the gaps between them (Hugging Face's "isolated" split).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace parlo::tokenizer {

enum class PreTokenizerKind {
    Default,       // llama.cpp's fallback sequence
    Gpt2,          // gpt-2, phi-2, mpt, olmo
    Llama3,        // llama-bpe / llama3: \p{N}{1,3}, case-insensitive contractions
    Qwen2,         // llama3's regex with single digits
    Falcon,
    Starcoder,     // starcoder, refact, command-r, smollm
    DeepseekLlm,
    DeepseekCoder,
    Gpt4o,         // gpt-4o, llama4: o200k's case-aware words with contraction suffixes, \p{N}{1,3}
    Tekken,        // tekken (Mistral Nemo…): as Gpt4o without contractions, single digits
};

struct PreTokenizerChoice
{
    PreTokenizerKind kind = PreTokenizerKind::Default;
    bool known = true;          // false: `tokenizer.ggml.pre` named something we do not know
    bool ignoreMerges = false;  // a word that is already a token is taken whole (Llama 3)
    bool addBosDefault = false; // when the GGUF does not say
};

// Maps a `tokenizer.ggml.pre` value; empty or unknown names give Default with known=false
// for unknown ones.
PreTokenizerChoice choosePreTokenizer(std::string_view name);
std::string_view preTokenizerKindName(PreTokenizerKind kind);

// Splits `text` (any bytes; invalid UTF-8 bytes stay whole, each its own code point) into
// words, in order, covering every byte exactly once. Views point into `text`.
std::vector<std::string_view> preTokenize(PreTokenizerKind kind, std::string_view text);

} // namespace parlo::tokenizer
