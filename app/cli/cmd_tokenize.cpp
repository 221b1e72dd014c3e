// parlo-cli tokenize: the token ids of a file's exact bytes, one line, space separated.
// By default no BOS/EOS is added and special tokens are plain text, like llama.cpp's vocab tests.
#include "cli_command.h"
#include "parlo/gguf.h"
#include "parlo/tokenizer.h"

#include <QCommandLineParser>
#include <QFile>

#include <cstdio>
#include <string>

namespace {

int runTokenize(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Print the token ids of a file's bytes, as the model's tokenizer produces them.");
    const QCommandLineOption model("model", "GGUF model or vocabulary file.", "model");
    const QCommandLineOption raw("raw", "File whose exact bytes are tokenized.", "file");
    const QCommandLineOption special("special", "Parse special (control) tokens written in the text.");
    const QCommandLineOption bos("bos", "Add BOS (and EOS) where the model asks for them.");
    parser.addOptions({model, raw, special, bos});
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    if (!parser.isSet(model) || !parser.isSet(raw)) {
        parlo::cli::printError("tokenize needs --model MODEL and --raw FILE");
        return 2;
    }

    if (!parlo::cli::requireRegularFile(parser.value(raw), QStringLiteral("text")) ||
        !parlo::cli::requireRegularFile(parser.value(model), QStringLiteral("model")))
        return 1;
    QFile input(parser.value(raw));
    if (!input.open(QIODevice::ReadOnly)) {
        parlo::cli::printError(QStringLiteral("cannot read %1: %2").arg(parser.value(raw), input.errorString()));
        return 1;
    }
    const QByteArray bytes = input.readAll();

    auto file = parlo::gguf::File::open(parser.value(model).toStdString());
    if (!file) {
        parlo::cli::printError(QString::fromStdString(file.error().message));
        return 1;
    }
    auto tokenizer = parlo::Tokenizer::fromGguf(**file);
    if (!tokenizer) {
        parlo::cli::printError(QString::fromStdString(tokenizer.error().withContext(parser.value(model).toStdString()).message));
        return 1;
    }
    auto ids = (*tokenizer)->encode(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                                    {.addSpecial = parser.isSet(bos), .parseSpecial = parser.isSet(special)});
    if (!ids) {
        parlo::cli::printError(QString::fromStdString(ids.error().message));
        return 1;
    }
    std::string line;
    line.reserve(ids->size() * 6 + 1);
    for (std::size_t i = 0; i < ids->size(); ++i) {
        if (i)
            line += ' ';
        line += std::to_string((*ids)[i]);
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("tokenize", "Print the token ids of a file's exact bytes (--model MODEL --raw FILE [--special] [--bos])",
                  runTokenize);
