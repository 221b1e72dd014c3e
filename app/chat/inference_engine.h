// The seam between the chat worker and whatever produces tokens. The worker only ever talks to
// this interface, so the UI can run on FakeEngine (tests, screenshots, the mock build) and on
// the real engine (EngineAdapter over parlo::Engine) without knowing which.
//
// All calls happen on the worker thread; implementations need not be thread-safe, except that
// the callbacks' return values are how a caller on another thread asks them to stop.
#pragma once

#include "parlo/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace parlo::app {

struct ChatTurn
{
    enum class Role { System, User, Assistant };
    Role role = Role::User;
    std::string content;
};

struct SamplingSettings
{
    double temperature = 0.7;
    int topK = 40;
    double topP = 0.95;
    double minP = 0.05;
    double repeatPenalty = 1.1;
    int64_t seed = -1; // -1: a fresh seed per answer
    int maxTokens = 512;
    int contextLength = 2048;
    std::string device = "auto"; // where a load runs: "auto", "cpu", "vulkan" or "vulkan:N"
};

struct LoadedModelInfo
{
    std::string name;
    std::string architecture;
    int contextLength = 0;   // what the session was created with
    std::string deviceName;  // "CPU", "llvmpipe (Vulkan)" …
    std::string quantization; // "Q4_K_M", "F32"; empty where the engine does not read it
    std::string deviceReason; // why this device; always set
    // A sentence for the user about the prompt layout (a built-in template stands in for a
    // missing or broken one); empty when the model's own template is used.
    std::string notice;
};

struct GenerationStats
{
    int promptTokens = 0;
    int generatedTokens = 0;
    double timeToFirstTokenMs = 0.0;
    double tokensPerSecond = 0.0; // decoding
    double prefillTokensPerSecond = 0.0;
    uint64_t seed = 0;         // the one used (a fresh one where the setting is -1)
    bool stopped = false;      // the caller asked to stop
    bool contextFull = false;  // stopped because the context window is full
    int contextUsed = 0;       // tokens in the context after this answer
};

// Returns false to cancel the load.
using LoadProgress = std::function<bool(float fraction)>;
// Receives each detokenized piece (UTF-8); returns false to stop generating.
using PieceSink = std::function<bool(std::string_view piece)>;

class InferenceEngine
{
public:
    virtual ~InferenceEngine() = default;

    virtual Result<LoadedModelInfo> load(const std::string &path, const SamplingSettings &settings,
                                         const LoadProgress &progress) = 0;
    virtual void unload() = 0;
    virtual bool isLoaded() const = 0;

    // Answers the last user turn of `conversation`.
    virtual Result<GenerationStats> generate(const std::vector<ChatTurn> &conversation,
                                             const SamplingSettings &settings, const PieceSink &sink) = 0;

    // Tokens `conversation` fills in the context, laid out by the model's chat template with
    // the prompt for the next answer: what the context meter shows for an opened conversation.
    virtual Result<int> countTokens(const std::vector<ChatTurn> &conversation) = 0;
};

} // namespace parlo::app
