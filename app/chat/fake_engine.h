// An InferenceEngine that needs no model weights: it "loads" any readable file and answers with
// canned Markdown (headings, a list, a table, a code block), one small piece at a time at a
// steady pace. Used by the mock build (PARLO_FAKE_ENGINE=1), the UI tests and the screenshots.
#pragma once

#include "chat/inference_engine.h"

#include <chrono>

namespace parlo::app {

class FakeEngine : public InferenceEngine
{
public:
    // `pieceDelay` is the pause between pieces; `loadSteps` the number of progress reports.
    explicit FakeEngine(std::chrono::milliseconds pieceDelay = std::chrono::milliseconds(15), int loadSteps = 10);

    Result<LoadedModelInfo> load(const std::string &path, const SamplingSettings &settings,
                                 const LoadProgress &progress) override;
    void unload() override;
    bool isLoaded() const override;
    Result<GenerationStats> generate(const std::vector<ChatTurn> &conversation, const SamplingSettings &settings,
                                     const PieceSink &sink) override;
    // A rough count (about four characters a token, four per turn for the layout).
    Result<int> countTokens(const std::vector<ChatTurn> &conversation) override;

    // The full text an answer to `prompt` streams.
    static std::string cannedAnswer(std::string_view prompt);

private:
    std::chrono::milliseconds m_pieceDelay;
    int m_loadSteps;
    bool m_loaded = false;
    std::string m_modelName;
    int m_contextLength = 0;
};

} // namespace parlo::app
