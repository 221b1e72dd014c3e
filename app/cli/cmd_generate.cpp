// parlo-cli generate: streams a continuation of a prompt (text or token ids) to stdout.
#include "cli_command.h"
#include "cli_engine_options.h"

#include <cstdio>

namespace {

int runGenerate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Generate a continuation of a prompt. Text goes to stdout, statistics to stderr.");
    parlo::cli::EngineOptions engineOptions;
    engineOptions.addTo(parser);
    const QCommandLineOption prompt("prompt", "Prompt text (tokenized with BOS).", "text");
    const QCommandLineOption tokens("tokens", "Prompt as token ids, used exactly as given.", "ids");
    const QCommandLineOption printIds("print-ids", "Print the generated token ids instead of text.");
    parser.addOptions({prompt, tokens, printIds});
    parlo::cli::GenerationOptions generationOptions;
    generationOptions.addTo(parser);
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    if (parser.isSet(prompt) == parser.isSet(tokens)) {
        parlo::cli::printError("give exactly one of --prompt and --tokens");
        return 2;
    }

    parlo::GenerateRequest request;
    if (!generationOptions.read(parser, request))
        return 2;
    const parlo::SamplerSettings &s = request.sampling;

    std::vector<int32_t> ids;
    if (parser.isSet(tokens)) {
        auto parsed = parlo::cli::parseTokenIds(parser.value(tokens));
        if (!parsed) {
            parlo::cli::printError(QString::fromStdString(parsed.error().message));
            return 2;
        }
        ids = std::move(parsed.value());
    }
    auto engine = engineOptions.load(parser);
    if (!engine)
        return 1;
    if (parser.isSet(prompt)) {
        auto encoded = engine->tokenize(parser.value(prompt).toStdString(), true);
        if (!encoded) {
            parlo::cli::printError(QString::fromStdString(encoded.error().message));
            return 1;
        }
        ids = std::move(encoded.value());
    }
    request.prompt = {parlo::PromptSegment{parlo::PromptSegment::Role::Turn, ids}};

    const bool asIds = parser.isSet(printIds);
    bool first = true;
    auto result = engine->generate(request, [&](const parlo::Piece &piece) {
        if (asIds) {
            if (piece.token >= 0)
                std::printf(first ? "%d" : " %d", piece.token);
            first = false;
        } else {
            std::fwrite(piece.text.data(), 1, piece.text.size(), stdout);
        }
        std::fflush(stdout);
    });
    std::printf("\n");
    if (!result) {
        parlo::cli::printError(QString::fromStdString(result.error().message));
        return 1;
    }
    const parlo::GenerateStats &st = *result;
    std::fprintf(stderr,
                 "%s on %s — prompt %u tokens (%u reused), generated %u (%s), seed %llu\n"
                 "time to first token %.1f ms, prefill %.1f tok/s, decode %.1f tok/s\n",
                 engine->describe().name.c_str(), engine->describe().backend.c_str(), st.promptTokens, st.reusedTokens,
                 st.generatedTokens, std::string(parlo::stopReasonName(st.stopReason)).c_str(), (unsigned long long)s.seed,
                 st.timeToFirstTokenMs, st.prefillTokensPerSecond, st.decodeTokensPerSecond);
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("generate", "Generate text (or token ids) after a prompt", runGenerate);
