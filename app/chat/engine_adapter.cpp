#include "chat/engine_adapter.h"
#include "selftest/self_test_record.h"

#include "chat/generation_settings.h"

#include <atomic>

namespace parlo::app {

EngineAdapter::EngineAdapter(std::string device, unsigned threads) : m_device(std::move(device)), m_threads(threads)
{
}

EngineAdapter::~EngineAdapter() = default;

Result<LoadedModelInfo> EngineAdapter::load(const std::string &path, const SamplingSettings &settings,
                                            const LoadProgress &progress)
{
    unload();
    auto format = ModelChatFormat::fromModelFile(path);
    if (!format)
        return format.error();
    LoadOptions options;
    options.device = !m_device.empty() ? m_device : settings.device.empty() ? std::string("auto") : settings.device;
    options.threads = m_threads;
    options.deviceVeto = app::selfTestVeto(); // auto skips a GPU whose self-test failed
    options.contextLength = settings.contextLength > 0 ? uint32_t(settings.contextLength) : 0;
    if (progress)
        options.progress = [&progress](float fraction) { return progress(fraction); };
    auto engine = Engine::load(path, options);
    if (!engine)
        return engine.error();
    m_engine = std::move(engine.value());
    m_format = std::move(*format);

    const ModelDescription &d = m_engine->describe();
    LoadedModelInfo info;
    info.name = d.name.empty() ? path.substr(path.find_last_of('/') + 1) : d.name;
    info.architecture = d.architecture;
    info.contextLength = int(d.n_ctx);
    info.deviceName = d.backend;
    info.quantization = m_format->quantization();
    info.deviceReason = d.deviceReason.empty() ? "chosen by the engine" : d.deviceReason;
    // A probe render tells now, not at the first answer, whether a fallback layout is in use.
    // A hostile template is stopped by its limits (and falls back); Cancel stops it too, through
    // the same progress callback the weights load reported to.
    bool cancelled = false;
    auto probe = m_format->render({{ChatTurn::Role::User, "Hello"}}, [&]() {
        cancelled = progress && !progress(1.0f);
        return cancelled;
    });
    if (cancelled) {
        unload();
        return makeError("loading " + path + " was cancelled");
    }
    info.notice = probe ? probe->notice : "The conversation cannot be laid out for this model: " + probe.error().message;
    return info;
}

void EngineAdapter::unload()
{
    m_engine.reset();
    m_format.reset();
}

bool EngineAdapter::isLoaded() const
{
    return m_engine != nullptr;
}

Result<std::vector<int32_t>> EngineAdapter::promptIds(const std::vector<ChatTurn> &conversation) const
{
    auto prompt = m_format->render(conversation);
    if (!prompt)
        return prompt.error();
    // Templates that write the BOS token themselves must not get a second one.
    const std::string &bos = m_format->bosToken();
    const bool addBos = bos.empty() || prompt->text.compare(0, bos.size(), bos) != 0;
    return m_engine->tokenize(prompt->text, addBos);
}

Result<int> EngineAdapter::countTokens(const std::vector<ChatTurn> &conversation)
{
    if (!m_engine || !m_format)
        return makeError("no model is loaded");
    auto ids = promptIds(conversation);
    if (!ids)
        return ids.error();
    return int(ids->size());
}

Result<GenerationStats> EngineAdapter::generate(const std::vector<ChatTurn> &conversation,
                                                const SamplingSettings &settings, const PieceSink &sink)
{
    if (!m_engine || !m_format)
        return makeError("no model is loaded");
    if (conversation.empty() || conversation.back().role != ChatTurn::Role::User)
        return makeError("the conversation must end with a user message");
    auto ids = promptIds(conversation);
    if (!ids)
        return ids.error();

    GenerateRequest request = generateRequestFor(settings);
    request.prompt = {PromptSegment{PromptSegment::Role::Turn, std::move(*ids)}};
    std::atomic<bool> stop{false};
    request.stop = &stop;

    auto result = m_engine->generate(request, [&](const Piece &piece) {
        if (!stop.load(std::memory_order_relaxed) && !sink(piece.text))
            stop.store(true);
    });
    if (!result)
        return result.error();
    GenerationStats stats;
    stats.promptTokens = int(result->promptTokens);
    stats.generatedTokens = int(result->generatedTokens);
    stats.timeToFirstTokenMs = result->timeToFirstTokenMs;
    stats.tokensPerSecond = result->decodeTokensPerSecond;
    stats.prefillTokensPerSecond = result->prefillTokensPerSecond;
    stats.seed = request.sampling.seed;
    stats.stopped = result->stopReason == StopReason::Cancelled || stop.load();
    stats.contextFull = result->stopReason == StopReason::ContextFull;
    stats.contextUsed = stats.promptTokens + stats.generatedTokens;
    return stats;
}

} // namespace parlo::app
