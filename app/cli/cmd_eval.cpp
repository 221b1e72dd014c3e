// parlo-cli eval: the logits of every position of a token sequence, as raw float32.
#include "cli_command.h"
#include "cli_engine_options.h"

#include <QFile>

#include <cstdio>

namespace {

int runEval(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Write the float32 little-endian logits [n_tokens, n_vocab] of a token sequence "
                                     "(ids used exactly as given; no BOS is added).");
    parlo::cli::EngineOptions engineOptions;
    engineOptions.addTo(parser);
    const QCommandLineOption tokens("tokens", "Token ids, separated by spaces.", "ids");
    const QCommandLineOption out("logits-out", "Output file.", "file");
    parser.addOptions({tokens, out});
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    if (!parser.isSet(tokens) || !parser.isSet(out)) {
        parlo::cli::printError("--tokens and --logits-out are required");
        return 2;
    }
    auto ids = parlo::cli::parseTokenIds(parser.value(tokens));
    if (!ids) {
        parlo::cli::printError(QString::fromStdString(ids.error().message));
        return 2;
    }
    auto engine = engineOptions.load(parser);
    if (!engine)
        return 1;
    auto logits = engine->evaluate(*ids);
    if (!logits) {
        parlo::cli::printError(QString::fromStdString(logits.error().message));
        return 1;
    }
    QFile file(parser.value(out));
    const qint64 bytes = qint64(logits->size() * sizeof(float));
    if (!file.open(QIODevice::WriteOnly) || file.write(reinterpret_cast<const char *>(logits->data()), bytes) != bytes) {
        parlo::cli::printError(QStringLiteral("cannot write %1: %2").arg(parser.value(out), file.errorString()));
        return 1;
    }
    std::fprintf(stderr, "wrote %zu × %u logits to %s\n", ids->size(), engine->describe().n_vocab, qPrintable(parser.value(out)));
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("eval", "Write the logits of every position of a token sequence", runEval);
