// parlo-cli info MODEL: what a GGUF file holds, read from its header alone.
#include "cli_command.h"
#include "parlo/gguf.h"
#include "parlo/gguf_summary.h"
#include "parlo/model_family.h"

#include <QCommandLineParser>

#include <cstdio>
#include <string>

namespace {

using parlo::gguf::ModelSummary;

std::string bytesText(uint64_t bytes)
{
    char buf[64];
    if (bytes >= (uint64_t(1) << 30))
        std::snprintf(buf, sizeof buf, "%.2f GiB", double(bytes) / double(uint64_t(1) << 30));
    else if (bytes >= (uint64_t(1) << 20))
        std::snprintf(buf, sizeof buf, "%.2f MiB", double(bytes) / double(1 << 20));
    else
        std::snprintf(buf, sizeof buf, "%.1f KiB", double(bytes) / 1024.0);
    return buf;
}

std::string countText(uint64_t n)
{
    char buf[64];
    if (n >= 1'000'000'000)
        std::snprintf(buf, sizeof buf, "%.2f B", double(n) / 1e9);
    else if (n >= 1'000'000)
        std::snprintf(buf, sizeof buf, "%.2f M", double(n) / 1e6);
    else if (n >= 1'000)
        std::snprintf(buf, sizeof buf, "%.1f K", double(n) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
    return buf;
}

std::string optText(const std::optional<uint64_t> &v) { return v ? std::to_string(*v) : "(not given)"; }

void line(const char *label, const std::string &value) { std::printf("%-16s %s\n", label, value.c_str()); }

void printSummary(const parlo::gguf::File &file, const ModelSummary &s, std::optional<uint64_t> requestedContext)
{
    line("File:", file.path());
    line("GGUF:", "version " + std::to_string(file.version()) + ", " + std::to_string(file.tensors().size()) +
                      " tensors, " + std::to_string(file.metadata().size()) + " metadata keys, alignment " +
                      std::to_string(file.alignment()));
    line("Architecture:", s.architecture.empty() ? "(not given)" : s.architecture);
    const parlo::ModelFamily family = parlo::describeModelFamily(file);
    line("Family:", family.family + (family.supported ? "" : " (not supported by Parlo's engine)"));
    std::string features;
    for (const auto &f : family.features)
        features += (features.empty() ? "" : ", ") + f;
    line("Features:", features.empty() ? "(none notable)" : features);
    line("Name:", s.name.empty() ? "(not given)" : s.name);
    line("Parameters:", countText(s.parameterCount) + " (" + std::to_string(s.parameterCount) + ")");
    if (s.fileTypeId)
        line("File type:", s.fileType + " (general.file_type " + std::to_string(*s.fileTypeId) + ")");
    else
        line("File type:", s.fileType.empty() ? "(not given)"
                                              : s.fileType + " (general.file_type is missing; most bytes are " +
                                                    s.fileType + ")");
    std::printf("Tensor types:%s\n", s.tensorTypeCounts.empty() ? "    (none: a vocabulary-only file)" : "");
    for (const auto &[type, count] : s.tensorTypeCounts)
        std::printf("  %-10s %5llu tensors  %s\n", type.c_str(), static_cast<unsigned long long>(count),
                    bytesText(s.tensorTypeBytes.at(type)).c_str());
    line("Context length:", optText(s.contextLength));
    line("Embedding:", optText(s.n_embd));
    line("Heads:", optText(s.n_head) + " (KV heads " + optText(s.n_head_kv) + ", key/value length " +
                       optText(s.keyLength) + "/" + optText(s.valueLength) + ")");
    line("Layers:", optText(s.n_layer));
    if (s.n_expert)
        line("Experts:", std::to_string(*s.n_expert));
    line("Tokenizer:", (s.tokenizerModel.empty() ? std::string("(not given)") : s.tokenizerModel) +
                           ", pre-tokenizer " + (s.preTokenizer.empty() ? std::string("(default)") : s.preTokenizer) +
                           ", " + std::to_string(s.vocabSize) + " tokens");
    std::string special;
    for (const auto &t : s.specialTokens)
        special += (special.empty() ? "" : ", ") + t.role + " " + std::to_string(t.id) + " \"" + t.text + "\"";
    line("Special tokens:", special.empty() ? "(none)" : special);
    auto yesNo = [](const std::optional<bool> &b) { return b ? (*b ? "yes" : "no") : "(not given)"; };
    line("Add BOS/EOS:", std::string(yesNo(s.addBos)) + "/" + yesNo(s.addEos));
    line("Chat template:", s.hasChatTemplate ? "yes (" + std::to_string(s.chatTemplateBytes) + " bytes)" : "no");

    const uint64_t n_ctx = requestedContext.value_or(s.defaultContext());
    std::string why;
    if (requestedContext)
        why = "as requested";
    else if (n_ctx < parlo::gguf::k_defaultContextLength)
        why = "the model's trained context, shorter than Parlo's default " +
              std::to_string(parlo::gguf::k_defaultContextLength);
    else
        why = "Parlo's default";
    const auto kv = s.kvCacheBytes(n_ctx);
    if (kv)
        line("Memory:", bytesText(s.weightBytes + *kv) + " = weights " + bytesText(s.weightBytes) + " + F16 KV cache " +
                            bytesText(*kv) + " for " + std::to_string(n_ctx) + " tokens (" + why + ")");
    else
        line("Memory:", "weights " + bytesText(s.weightBytes) + " (no KV cache estimate: layer or head counts missing)");

    if (!s.unsupported.empty()) {
        std::printf("Unsupported tensors:\n");
        for (const auto &t : s.unsupported)
            std::printf("  %s: %s\n", t.name.c_str(), t.type.c_str());
        std::printf("this model cannot be loaded: %s\n", s.refusal.c_str());
    }
}

int runInfo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Describe a GGUF model: architecture, size, types, tokenizer, memory.");
    parser.addPositionalArgument("model", "The GGUF file.");
    const QCommandLineOption context("context", "Context length for the KV cache estimate.", "tokens");
    parser.addOption(context);
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        parlo::cli::printError("info needs exactly one MODEL file; run parlo-cli info --help");
        return 2;
    }
    std::optional<uint64_t> requestedContext;
    if (parser.isSet(context)) {
        bool ok = false;
        const qulonglong n = parser.value(context).toULongLong(&ok);
        if (!ok || n == 0 || n > (qulonglong(1) << 32)) {
            parlo::cli::printError("--context needs a positive number of tokens");
            return 2;
        }
        requestedContext = n;
    }
    if (!parlo::cli::requireRegularFile(parser.positionalArguments().constFirst(), QStringLiteral("model")))
        return 1;
    const std::string path = parser.positionalArguments().constFirst().toStdString();
    auto file = parlo::gguf::File::open(path);
    if (!file) {
        parlo::cli::printError(QString::fromStdString(file.error().message));
        return 1;
    }
    printSummary(**file, parlo::gguf::summarize(**file), requestedContext);
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("info", "Describe a GGUF model: architecture, size, tensor types, tokenizer, memory", runInfo);
