#include "chat/fake_engine.h"

#include "chat/generation_settings.h"

#include <filesystem>
#include <thread>

namespace parlo::app {

namespace {

// A fake "token" is a run of non-spaces with the spaces before it, roughly what a BPE
// vocabulary produces for English prose.
std::vector<std::string_view> splitPieces(std::string_view text)
{
    std::vector<std::string_view> pieces;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = start;
        while (end < text.size() && (text[end] == ' ' || text[end] == '\n'))
            ++end;
        while (end < text.size() && text[end] != ' ' && text[end] != '\n')
            ++end;
        pieces.push_back(text.substr(start, end - start));
        start = end;
    }
    return pieces;
}

int approximateTokens(std::string_view text) { return int(splitPieces(text).size()); }

} // namespace

FakeEngine::FakeEngine(std::chrono::milliseconds pieceDelay, int loadSteps)
    : m_pieceDelay(pieceDelay), m_loadSteps(loadSteps < 1 ? 1 : loadSteps)
{
}

Result<LoadedModelInfo> FakeEngine::load(const std::string &path, const SamplingSettings &settings,
                                         const LoadProgress &progress)
{
    m_loaded = false;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return makeError("cannot open " + path + ": no such file");
    for (int step = 1; step <= m_loadSteps; ++step) {
        std::this_thread::sleep_for(m_pieceDelay);
        if (progress && !progress(float(step) / float(m_loadSteps)))
            return makeError("loading cancelled");
    }
    m_loaded = true;
    m_modelName = std::filesystem::path(path).stem().string();
    m_contextLength = settings.contextLength;
    LoadedModelInfo info;
    info.name = m_modelName;
    info.architecture = "fake";
    info.contextLength = m_contextLength;
    info.deviceName = "CPU";
    info.deviceReason = "The fake engine always runs on the CPU (mock build).";
    return info;
}

void FakeEngine::unload() { m_loaded = false; }

bool FakeEngine::isLoaded() const { return m_loaded; }

std::string FakeEngine::cannedAnswer(std::string_view prompt)
{
    std::string answer = "## About your message\n\nYou wrote: *";
    answer += prompt.substr(0, 200);
    answer += "*. Here is what I can offer:\n\n"
              "1. A **numbered** point with `inline code`\n"
              "2. A [link](https://example.org)\n\n"
              "| Language | Typing |\n|---|---|\n| C++ | static |\n| Python | dynamic |\n\n"
              "```cpp\n#include <iostream>\n\nint main()\n{\n    // Greets the world.\n"
              "    std::cout << \"Hello, world!\" << std::endl;\n    return 0;\n}\n```\n\n"
              "That is all for now.";
    return answer;
}

Result<int> FakeEngine::countTokens(const std::vector<ChatTurn> &conversation)
{
    int tokens = 0;
    for (const ChatTurn &turn : conversation)
        tokens += approximateTokens(turn.content) + 4;
    return tokens;
}

Result<GenerationStats> FakeEngine::generate(const std::vector<ChatTurn> &conversation,
                                             const SamplingSettings &settings, const PieceSink &sink)
{
    if (!m_loaded)
        return makeError("no model is loaded");
    if (conversation.empty() || conversation.back().role != ChatTurn::Role::User)
        return makeError("the conversation must end with a user message");

    GenerationStats stats;
    stats.seed = seedFor(settings); // canned text ignores it, but the answer records it
    stats.promptTokens = *countTokens(conversation);
    const auto started = std::chrono::steady_clock::now();
    const std::string answer = cannedAnswer(conversation.back().content);
    const int contextLength = m_contextLength > 0 ? m_contextLength : settings.contextLength;
    for (std::string_view piece : splitPieces(answer)) {
        if (stats.generatedTokens >= settings.maxTokens)
            break;
        if (stats.promptTokens + stats.generatedTokens >= contextLength) {
            stats.contextFull = true;
            break;
        }
        std::this_thread::sleep_for(m_pieceDelay);
        if (stats.generatedTokens == 0)
            stats.timeToFirstTokenMs =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        ++stats.generatedTokens;
        if (!sink(piece)) {
            stats.stopped = true;
            break;
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    stats.tokensPerSecond = seconds > 0 ? stats.generatedTokens / seconds : 0.0;
    if (stats.timeToFirstTokenMs > 0)
        stats.prefillTokensPerSecond = stats.promptTokens / (stats.timeToFirstTokenMs / 1000.0);
    stats.contextUsed = stats.promptTokens + stats.generatedTokens;
    return stats;
}

} // namespace parlo::app
