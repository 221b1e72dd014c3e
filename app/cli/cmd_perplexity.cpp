// parlo-cli perplexity: llama.cpp's perplexity method on a text file.
#include "cli_command.h"
#include "cli_engine_options.h"
#include "parlo/perplexity.h"

#include <QFile>

#include <cstdio>

namespace {

int runPerplexity(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Perplexity of a text, as llama.cpp's perplexity tool computes it: the text is "
                                     "tokenized with BOS and cut into chunks of --ctx tokens, each chunk's first token "
                                     "becomes BOS, and the second half of each chunk is scored.");
    parlo::cli::EngineOptions engineOptions;
    engineOptions.addTo(parser);
    const QCommandLineOption file("file", "Text file.", "file");
    parser.addOption(file);
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    if (!parser.isSet(file)) {
        parlo::cli::printError("--file is required");
        return 2;
    }
    QFile in(parser.value(file));
    if (!in.open(QIODevice::ReadOnly)) {
        parlo::cli::printError(QStringLiteral("cannot read %1: %2").arg(in.fileName(), in.errorString()));
        return 1;
    }
    const QByteArray text = in.readAll();
    uint32_t n_ctx = 512;
    if (parser.isSet(engineOptions.ctx))
        n_ctx = parser.value(engineOptions.ctx).toUInt();
    if (n_ctx < 4) {
        parlo::cli::printError("--ctx must be at least 4");
        return 2;
    }
    auto engine = engineOptions.load(parser, n_ctx);
    if (!engine)
        return 1;
    if (engine->describe().n_ctx < n_ctx) {
        parlo::cli::printError(QStringLiteral("--ctx %1 is longer than the model's trained context %2").arg(n_ctx).arg(engine->describe().n_ctx));
        return 1;
    }
    auto tokens = engine->tokenize(std::string_view(text.constData(), size_t(text.size())), true);
    if (!tokens) {
        parlo::cli::printError(QString::fromStdString(tokens.error().message));
        return 1;
    }
    std::fprintf(stderr, "%zu tokens, chunks of %u, the second half of each scored\n", tokens->size(), n_ctx);
    auto result = parlo::computePerplexity(*engine, *tokens, n_ctx, [](size_t chunk, double running) {
        std::printf("[%zu] %.4f\n", chunk + 1, running);
        std::fflush(stdout);
    });
    if (!result) {
        parlo::cli::printError(QString::fromStdString(result.error().message));
        return 1;
    }
    std::printf("perplexity: %.4f\n", result->perplexity);
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("perplexity", "Perplexity of a text file (llama.cpp's method)", runPerplexity);
