// parlo-cli template: renders a conversation with a chat template, byte for byte, the way
// Hugging Face's apply_chat_template would. For checking templates against the reference.
#include "cli_command.h"
#include "parlo/chat_template.h"
#include "parlo/gguf.h"
#include "parlo/json.h"

#include <QCommandLineParser>
#include <QFile>
#include <QRegularExpression>

#include <cstdio>

namespace {

using parlo::cli::printError;

bool readFile(const QString &path, QByteArray &out)
{
    if (!parlo::cli::requireRegularFile(path, QStringLiteral("template or messages")))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        printError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        return false;
    }
    out = file.readAll();
    return true;
}

// Reads the template and BOS/EOS texts from a GGUF file's tokenizer metadata.
bool readModel(const QString &path, std::string &templateSource, std::string &architecture, std::string &bos,
               std::string &eos, std::vector<std::string> &vocabulary)
{
    if (!parlo::cli::requireRegularFile(path, QStringLiteral("model")))
        return false;
    auto file = parlo::gguf::File::open(path.toStdString());
    if (!file) {
        printError(QString::fromStdString(file.error().message));
        return false;
    }
    const auto &gguf = **file;
    if (auto t = gguf.getString("tokenizer.chat_template"))
        templateSource = std::string(*t);
    architecture = std::string(gguf.architecture());
    if (auto tokens = gguf.getStringArray("tokenizer.ggml.tokens")) {
        vocabulary.assign(tokens->begin(), tokens->end());
        auto tokenText = [&](const char *key) -> std::string {
            const auto id = gguf.getUInt(key);
            return id && *id < vocabulary.size() ? vocabulary[size_t(*id)] : std::string();
        };
        bos = tokenText("tokenizer.ggml.bos_token_id");
        eos = tokenText("tokenizer.ggml.eos_token_id");
    }
    return true;
}

int runTemplate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Render a conversation with a chat template, byte for byte, to stdout.");
    const QCommandLineOption model("model", "Use the chat template of this GGUF model.", "MODEL");
    const QCommandLineOption templateFile("template", "Use this Jinja chat template file.", "FILE.jinja");
    const QCommandLineOption messages("messages", "OpenAI-style JSON: [{\"role\": ..., \"content\": ...}], or an object "
                                                  "with \"messages\" and further template variables.", "FILE.json");
    const QCommandLineOption bos("bos-token", "BOS token text (default: the model's, or <s> with --template).", "T");
    const QCommandLineOption eos("eos-token", "EOS token text (default: the model's, or </s> with --template).", "T");
    const QCommandLineOption date("date", "The date strftime_now() sees (default: today).", "YYYY-MM-DD");
    const QCommandLineOption noGeneration("no-generation-prompt", "Do not open an assistant turn at the end.");
    parser.addOptions({model, templateFile, messages, bos, eos, date, noGeneration});
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    if (parser.isSet(model) == parser.isSet(templateFile) || !parser.isSet(messages)) {
        printError("give --messages FILE.json and exactly one of --model MODEL or --template FILE.jinja");
        return 2;
    }

    parlo::chat::PromptRequest request;
    std::string source, architecture;
    std::vector<std::string> vocabulary;
    if (parser.isSet(templateFile)) {
        QByteArray bytes;
        if (!readFile(parser.value(templateFile), bytes))
            return 1;
        source = bytes.toStdString();
        request.input.bosToken = "<s>";
        request.input.eosToken = "</s>";
    } else if (!readModel(parser.value(model), source, architecture, request.input.bosToken, request.input.eosToken,
                          vocabulary)) {
        return 1;
    }
    if (parser.isSet(bos))
        request.input.bosToken = parser.value(bos).toStdString();
    if (parser.isSet(eos))
        request.input.eosToken = parser.value(eos).toStdString();
    request.input.addGenerationPrompt = !parser.isSet(noGeneration);
    if (parser.isSet(date)) {
        const auto match = QRegularExpression("^(\\d{4})-(\\d{2})-(\\d{2})$").match(parser.value(date));
        if (!match.hasMatch() || match.captured(2).toInt() < 1 || match.captured(2).toInt() > 12 ||
            match.captured(3).toInt() < 1 || match.captured(3).toInt() > 31) {
            printError("--date must look like 2026-01-15");
            return 2;
        }
        request.input.now = parlo::chat::CivilTime{match.captured(1).toInt(), match.captured(2).toInt(),
                                                   match.captured(3).toInt(), 12, 0, 0};
    }

    QByteArray messageBytes;
    if (!readFile(parser.value(messages), messageBytes))
        return 1;
    auto parsed = parlo::json::parse(std::string_view(messageBytes.constData(), size_t(messageBytes.size())));
    if (!parsed) {
        printError(parser.value(messages) + ": " + QString::fromStdString(parsed.error().message));
        return 1;
    }
    if (parsed->isArray()) {
        request.input.messages = std::move(*parsed);
    } else if (parsed->isObject() && parsed->find("messages")) {
        for (const auto &[key, value] : parsed->toObject()) {
            if (key == "messages")
                request.input.messages = value;
            else
                request.input.variables.set(key, value);
        }
    } else {
        printError(parser.value(messages) + ": expected a list of messages or an object with \"messages\"");
        return 1;
    }

    if (!source.empty()) {
        // The template's own rendering, or its error: no silent fallback here.
        const auto rendered = parlo::chat::ChatTemplate::compile(source).render(request.input);
        if (!rendered.ok()) {
            printError("template error: " + QString::fromStdString(rendered.error->describe()));
            return 1;
        }
        std::fwrite(rendered.text.data(), 1, rendered.text.size(), stdout);
        return 0;
    }
    request.architecture = architecture;
    request.hasToken = [&vocabulary](std::string_view text) {
        for (const auto &token : vocabulary)
            if (token == text)
                return true;
        return false;
    };
    auto prompt = parlo::chat::buildPrompt(request);
    if (!prompt) {
        printError(QString::fromStdString(prompt.error().message));
        return 1;
    }
    if (!prompt->notice.empty())
        std::fprintf(stderr, "parlo-cli: %s\n", prompt->notice.c_str());
    std::fwrite(prompt->text.data(), 1, prompt->text.size(), stdout);
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("template", "Render a conversation with a model's or a file's chat template", runTemplate);
