// What a chat needs from a model file besides the weights: its chat template (with the
// built-in fallbacks of parlo/chat_template.h), BOS/EOS texts, quantization name and a short
// sha256 fingerprint. Shared by `parlo-cli chat` and the GUI's EngineAdapter so both lay out
// a conversation exactly the same way.
#pragma once

#include "chat/inference_engine.h"
#include "parlo/chat_template.h"
#include "parlo/result.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace parlo::app {

class ModelChatFormat
{
public:
    // Reads the GGUF metadata only (no weights).
    static Result<ModelChatFormat> fromModelFile(const std::string &path);

    // The conversation laid out for the model, ending with the assistant's generation prompt.
    // The result says when a fallback template was used (notice): a model template that fails,
    // runs past a limit or misbehaves gives way to the built-in one. `cancelled`, asked now and
    // then while the template renders, stops it (an error, no fallback).
    Result<chat::PromptResult> render(const std::vector<ChatTurn> &conversation,
                                      std::function<bool()> cancelled = {}) const;

    const std::string &bosToken() const { return m_bos; }
    const std::string &quantization() const { return m_quantization; }
    bool hasTemplate() const { return !m_template.empty(); }

private:
    std::string m_template;
    std::string m_architecture;
    std::string m_bos;
    std::string m_eos;
    std::string m_quantization;
    std::shared_ptr<const std::unordered_set<std::string>> m_vocabulary;
};

// The first `hexChars` hex digits of the file's sha256, read in 1 MiB blocks. Setting `cancel`
// (from any thread) ends it early with an error: hashing a large model takes seconds.
Result<QString> fileSha256Prefix(const QString &path, int hexChars = 16, const std::atomic<bool> *cancel = nullptr);

} // namespace parlo::app
