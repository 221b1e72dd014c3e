// The real InferenceEngine: parlo::Engine behind the chat worker's seam. Conversations are laid
// out with the model's chat template (ModelChatFormat); the engine's KV cache reuses the
// prefix shared with the previous answer, so each turn only evaluates the new text.
#pragma once

#include "chat/inference_engine.h"
#include "chat/model_chat_format.h"
#include "parlo/engine.h"

#include <memory>
#include <optional>

namespace parlo::app {

class EngineAdapter : public InferenceEngine
{
public:
    // `device` overrides SamplingSettings::device when not empty ("cpu" in tests, PARLO_DEVICE);
    // `threads` 0: one per hardware thread.
    explicit EngineAdapter(std::string device = {}, unsigned threads = 0);
    ~EngineAdapter() override;

    Result<LoadedModelInfo> load(const std::string &path, const SamplingSettings &settings,
                                 const LoadProgress &progress) override;
    void unload() override;
    bool isLoaded() const override;
    Result<GenerationStats> generate(const std::vector<ChatTurn> &conversation, const SamplingSettings &settings,
                                     const PieceSink &sink) override;
    Result<int> countTokens(const std::vector<ChatTurn> &conversation) override;

    // The loaded engine, for metadata (null when none is loaded).
    const Engine *engine() const { return m_engine.get(); }

private:
    // The conversation through the chat template and the tokenizer.
    Result<std::vector<int32_t>> promptIds(const std::vector<ChatTurn> &conversation) const;
    std::string m_device;
    unsigned m_threads;
    std::unique_ptr<Engine> m_engine;
    std::optional<ModelChatFormat> m_format;
};

} // namespace parlo::app
