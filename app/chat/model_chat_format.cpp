#include "chat/model_chat_format.h"

#include "parlo/gguf.h"
#include "parlo/gguf_summary.h"

#include <QCryptographicHash>
#include <QFile>

namespace parlo::app {

Result<ModelChatFormat> ModelChatFormat::fromModelFile(const std::string &path)
{
    auto file = gguf::File::open(path);
    if (!file)
        return file.error();
    const gguf::File &g = **file;
    ModelChatFormat format;
    if (auto t = g.getString("tokenizer.chat_template"))
        format.m_template = std::string(*t);
    format.m_architecture = std::string(g.architecture());
    format.m_quantization = gguf::summarize(g).fileType;
    auto vocabulary = std::make_shared<std::unordered_set<std::string>>();
    if (auto tokens = g.getStringArray("tokenizer.ggml.tokens")) {
        auto tokenText = [&](const char *key) -> std::string {
            const auto id = g.getUInt(key);
            return id && *id < tokens->size() ? std::string((*tokens)[size_t(*id)]) : std::string();
        };
        format.m_bos = tokenText("tokenizer.ggml.bos_token_id");
        format.m_eos = tokenText("tokenizer.ggml.eos_token_id");
        vocabulary->reserve(tokens->size());
        for (std::string_view t : *tokens)
            vocabulary->emplace(t);
    }
    format.m_vocabulary = std::move(vocabulary);
    return format;
}

Result<chat::PromptResult> ModelChatFormat::render(const std::vector<ChatTurn> &conversation,
                                                   std::function<bool()> cancelled) const
{
    chat::PromptRequest request;
    request.modelTemplate = m_template;
    request.architecture = m_architecture;
    auto vocabulary = m_vocabulary;
    request.hasToken = [vocabulary](std::string_view text) {
        return vocabulary && vocabulary->count(std::string(text)) > 0;
    };
    request.input.bosToken = m_bos;
    request.input.eosToken = m_eos;
    request.input.addGenerationPrompt = true;
    request.input.cancelled = std::move(cancelled);
    json::Value messages = json::Value::array();
    for (const ChatTurn &turn : conversation) {
        json::Value m = json::Value::object();
        const char *role = turn.role == ChatTurn::Role::System ? "system"
                           : turn.role == ChatTurn::Role::User ? "user"
                                                               : "assistant";
        m.set("role", json::Value(role));
        m.set("content", json::Value(turn.content));
        messages.push(std::move(m));
    }
    request.input.messages = std::move(messages);
    return chat::buildPrompt(request);
}

Result<QString> fileSha256Prefix(const QString &path, int hexChars, const std::atomic<bool> *cancel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError("cannot read " + path.toStdString() + ": " + file.errorString().toStdString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block;
    while (!file.atEnd()) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return makeError("hashing " + path.toStdString() + " was cancelled");
        block = file.read(1 << 20);
        if (block.isEmpty() && file.error() != QFileDevice::NoError)
            return makeError("cannot read " + path.toStdString() + ": " + file.errorString().toStdString());
        hash.addData(block);
    }
    return QString::fromLatin1(hash.result().toHex().left(hexChars));
}

} // namespace parlo::app
