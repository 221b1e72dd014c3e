// The engine API: load a GGUF model, describe it, generate with a piece callback, reset.
// Narrow on purpose and free of Qt; the app's chat worker and parlo-cli use only this.
// One Engine serves one conversation from one thread at a time; stop generation from
// another thread with the request's stop flag.
#pragma once

#include "parlo/devices.h"
#include "parlo/result.h"
#include "parlo/sampler.h"
#include "parlo/tensor_type.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parlo {

struct LoadOptions
{
    std::string device = "auto"; // "auto", "cpu", "vulkan" or "vulkan:N"
    unsigned threads = 0;        // CPU threads; 0: one per hardware thread
    uint32_t contextLength = 0;  // 0: the trained length, at most 4096; always capped at the trained length
    TensorType kvType = TensorType::F16; // F16 (default) or F32
    uint32_t batchSize = 256;    // prompt tokens per forward micro-batch
    // Called with progress in [0, 1]; return false to cancel loading.
    std::function<bool(float progress)> progress;
    // Asked, with the types of the model's weight matrices, before `auto` settles on a Vulkan
    // device; a reason refuses it (the app answers from its per-device self-test record).
    std::function<std::optional<std::string>(const VulkanDeviceInfo &device, std::span<const TensorType> types)> deviceVeto;
};

struct ModelDescription
{
    std::string path;
    std::string name;
    std::string architecture;
    std::string backend;       // "CPU (2 threads, AVX2)"
    std::string deviceReason;  // why this device, in words
    uint32_t n_vocab = 0;
    uint32_t n_ctx_train = 0;
    uint32_t n_ctx = 0;        // the context this engine was created with
    uint32_t n_embd = 0;
    uint32_t n_layer = 0;
    uint32_t n_head = 0;
    uint32_t n_head_kv = 0;
    uint32_t n_expert = 0;
    uint32_t n_expert_used = 0;
    uint64_t n_params = 0;
    uint64_t fileBytes = 0;
    uint64_t weightBytes = 0;
    uint64_t kvCacheBytes = 0;
    uint64_t decodeBytesPerToken = 0; // weight bytes one decode step reads (used experts only)
    std::string weightTypes;   // "Q4_K ×96, Q6_K ×17, F32 ×65"
    TensorType kvType = TensorType::F16;
    int32_t bos_id = -1;
    int32_t eos_id = -1;
    int32_t eot_id = -1;
};

enum class StopReason { EndOfText, MaxTokens, StopString, Cancelled, ContextFull };
std::string_view stopReasonName(StopReason reason);

// A prompt as segments, so that when the context is full the engine can keep the system
// prompt and drop the oldest turns. The segments' tokens are concatenated in order.
struct PromptSegment
{
    enum class Role { System, Turn };
    Role role = Role::Turn;
    std::vector<int32_t> tokens;
};

struct GenerateRequest
{
    std::vector<PromptSegment> prompt;
    int32_t maxTokens = 256;       // tokens to generate at most
    SamplerSettings sampling;
    std::vector<std::string> stopStrings;
    bool ignoreEos = false;        // keep going past EOS/EOT
    const std::atomic<bool> *stop = nullptr; // set from any thread to stop after the current token
};

struct Piece
{
    int32_t token = -1;
    std::string_view text; // the text this token completes (may be empty mid-character)
};
using PieceCallback = std::function<void(const Piece &piece)>;

struct GenerateStats
{
    uint32_t promptTokens = 0;     // after dropping turns
    uint32_t reusedTokens = 0;     // prompt tokens already in the cache from the previous call
    uint32_t generatedTokens = 0;
    uint32_t droppedTurns = 0;     // oldest turns left out because the context was full
    uint32_t droppedTokens = 0;
    double timeToFirstTokenMs = 0;
    double prefillTokensPerSecond = 0;
    double decodeTokensPerSecond = 0;
    StopReason stopReason = StopReason::MaxTokens;
    std::vector<int32_t> tokens;   // the generated ids
};

class Engine
{
public:
    static Result<std::unique_ptr<Engine>> load(const std::string &path, const LoadOptions &options = {});
    ~Engine();
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    const ModelDescription &describe() const;

    // Text ↔ tokens with the model's own tokenizer.
    Result<std::vector<int32_t>> tokenize(std::string_view text, bool addBos) const;
    Result<std::string> detokenize(std::span<const int32_t> tokens) const;

    // Generates after the prompt, streaming pieces. The KV cache keeps the conversation: a
    // following call whose prompt starts with the same tokens only evaluates the rest.
    Result<GenerateStats> generate(const GenerateRequest &request, const PieceCallback &onPiece);

    // The logits of every position of `tokens` evaluated from position 0, [n, n_vocab]
    // row-major. Replaces the cached conversation.
    Result<std::vector<float>> evaluate(std::span<const int32_t> tokens);

    // Forgets the cached conversation.
    void reset();

private:
    Engine();
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace parlo
