// parlo-cli generate: streams a continuation of a prompt (text or token ids) to stdout.
#include "cli_command.h"
#include "cli_engine_options.h"

#include <cstdio>
#include <random>

namespace {

bool parseFloat(const QCommandLineParser &p, const QCommandLineOption &o, float &out)
{
    if (!p.isSet(o))
        return true;
    bool ok = false;
    out = p.value(o).toFloat(&ok);
    if (!ok)
        parlo::cli::printError(QStringLiteral("--%1 expects a number").arg(o.names().constLast()));
    return ok;
}

int runGenerate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Generate a continuation of a prompt. Text goes to stdout, statistics to stderr.");
    parlo::cli::EngineOptions engineOptions;
    engineOptions.addTo(parser);
    const QCommandLineOption prompt("prompt", "Prompt text (tokenized with BOS).", "text");
    const QCommandLineOption tokens("tokens", "Prompt as token ids, used exactly as given.", "ids");
    const QCommandLineOption count(QStringList{"n", "n-predict"}, "Tokens to generate (default 128).", "n");
    const QCommandLineOption temp("temp", "Temperature; 0 is greedy (default 0.8).", "t");
    const QCommandLineOption topK("top-k", "Top-k (default 40; 0 off).", "k");
    const QCommandLineOption topP("top-p", "Top-p (default 0.95; 1 off).", "p");
    const QCommandLineOption minP("min-p", "Min-p (default 0.05; 0 off).", "p");
    const QCommandLineOption repeat("repeat-penalty", "Repetition penalty (default 1, off).", "x");
    const QCommandLineOption presence("presence-penalty", "Presence penalty (default 0).", "x");
    const QCommandLineOption frequency("frequency-penalty", "Frequency penalty (default 0).", "x");
    const QCommandLineOption lastN("penalty-last-n", "Tokens the penalties look back over (default 64).", "n");
    const QCommandLineOption seed("seed", "Random seed (default: random).", "s");
    const QCommandLineOption stop("stop", "Stop when this text is generated (repeatable).", "text");
    const QCommandLineOption printIds("print-ids", "Print the generated token ids instead of text.");
    const QCommandLineOption ignoreEos("ignore-eos", "Keep going past end-of-text tokens.");
    parser.addOptions({prompt, tokens, count, temp, topK, topP, minP, repeat, presence, frequency, lastN, seed, stop, printIds, ignoreEos});
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    if (parser.isSet(prompt) == parser.isSet(tokens)) {
        parlo::cli::printError("give exactly one of --prompt and --tokens");
        return 2;
    }

    parlo::GenerateRequest request;
    request.maxTokens = 128;
    bool ok = true;
    if (parser.isSet(count)) {
        request.maxTokens = parser.value(count).toInt(&ok);
        if (!ok || request.maxTokens < 0) {
            parlo::cli::printError("-n expects a non-negative number");
            return 2;
        }
    }
    parlo::SamplerSettings &s = request.sampling;
    if (!parseFloat(parser, temp, s.temperature) || !parseFloat(parser, topP, s.top_p) || !parseFloat(parser, minP, s.min_p)
        || !parseFloat(parser, repeat, s.repeat_penalty) || !parseFloat(parser, presence, s.presence_penalty)
        || !parseFloat(parser, frequency, s.frequency_penalty))
        return 2;
    if (parser.isSet(topK))
        s.top_k = parser.value(topK).toInt(&ok);
    if (ok && parser.isSet(lastN))
        s.penalty_last_n = parser.value(lastN).toInt(&ok);
    s.seed = std::random_device{}();
    if (ok && parser.isSet(seed))
        s.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) {
        parlo::cli::printError("--top-k, --penalty-last-n and --seed expect whole numbers");
        return 2;
    }
    for (const QString &text : parser.values(stop))
        request.stopStrings.push_back(text.toStdString());
    request.ignoreEos = parser.isSet(ignoreEos);

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
