// parlo-cli chat: one turn of a conversation kept in the history database the GUI uses. The
// answer streams to stdout; the conversation id, notices and statistics go to stderr.
#include "chat/generation_settings.h"
#include "chat/model_chat_format.h"
#include "chat/sqlite_conversation_repository.h"
#include "cli_command.h"
#include "cli_engine_options.h"
#include "storage/chat_recorder.h"
#include "storage/history_store.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <cstdio>
#include <optional>

namespace {

using namespace parlo::storage;

FinishReason finishReasonOf(parlo::StopReason reason)
{
    switch (reason) {
    case parlo::StopReason::EndOfText:
    case parlo::StopReason::StopString:
        return FinishReason::Stop;
    case parlo::StopReason::MaxTokens:
    case parlo::StopReason::ContextFull:
        return FinishReason::Length;
    case parlo::StopReason::Cancelled:
        return FinishReason::User;
    }
    return FinishReason::Stop;
}

std::vector<parlo::app::ChatTurn> turnsOf(const Conversation &c)
{
    using parlo::app::ChatTurn;
    std::vector<ChatTurn> turns;
    if (!c.systemPrompt.isEmpty())
        turns.push_back({ChatTurn::Role::System, c.systemPrompt.toStdString()});
    for (const Message *m : c.activePath()) {
        const ChatTurn::Role role = m->role == Role::System ? ChatTurn::Role::System
                                    : m->role == Role::User ? ChatTurn::Role::User
                                                            : ChatTurn::Role::Assistant;
        turns.push_back({role, m->content.toStdString()});
    }
    return turns;
}

int runChat(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Chat with a model: one turn, stored in the history database. The answer goes "
                                     "to stdout; the conversation id and statistics to stderr.");
    parlo::cli::EngineOptions engineOptions;
    engineOptions.addTo(parser);
    parlo::cli::GenerationOptions generationOptions;
    generationOptions.addTo(parser);
    const QCommandLineOption db("db", "History database (default: the GUI's, $XDG_DATA_HOME/parlo/history.sqlite).", "file");
    const QCommandLineOption conversationId("conversation", "Continue this conversation (see `history list`).", "id");
    const QCommandLineOption system("system", "System prompt of a new conversation.", "text");
    parser.addOptions({db, conversationId, system});
    parser.addPositionalArgument("prompt", "What you say.");
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1 || positional[0].trimmed().isEmpty()) {
        parlo::cli::printError("give the prompt as one argument (quote it)");
        return 2;
    }
    qint64 continueId = 0;
    if (parser.isSet(conversationId)) {
        bool ok = false;
        continueId = parser.value(conversationId).toLongLong(&ok);
        if (!ok || continueId <= 0) {
            parlo::cli::printError(QStringLiteral("\"%1\" is not a conversation id (see `parlo-cli history list`)")
                                       .arg(parser.value(conversationId)));
            return 2;
        }
        if (parser.isSet(system))
            parlo::cli::printError("--system applies to new conversations; the stored system prompt is kept");
    }
    parlo::GenerateRequest request;
    if (!generationOptions.read(parser, request))
        return 2;
    if (!parser.isSet(engineOptions.model)) {
        parlo::cli::printError("--model is required");
        return 2;
    }
    const QString modelPath = parser.value(engineOptions.model);
    if (!parlo::cli::requireRegularFile(modelPath, QStringLiteral("model")))
        return 1;
    auto format = parlo::app::ModelChatFormat::fromModelFile(modelPath.toStdString());
    if (!format) {
        parlo::cli::printError(QString::fromStdString(format.error().message));
        return 1;
    }

    // The store first: a bad --db or conversation id should not cost a model load.
    const QString dbPath = parser.isSet(db) ? parser.value(db) : parlo::app::SqliteConversationRepository::defaultPath();
    QDir().mkpath(QFileInfo(dbPath).absolutePath());
    HistoryStore store;
    auto opened = store.open(dbPath);
    if (!opened) {
        parlo::cli::printError(opened.error().message);
        return 1;
    }
    for (const QString &notice : opened->notices)
        parlo::cli::printError(notice);
    DirectStoreAccess access(store);
    ChatRecorder recorder(&access);
    recorder.setStorageErrorHandler([](const StoreError &e) {
        parlo::cli::printError(QStringLiteral("the conversation is no longer saved: %1").arg(e.message));
    });
    std::optional<Conversation> existing;
    if (continueId > 0) {
        auto found = store.conversation(continueId);
        if (!found) {
            parlo::cli::printError(found.error().message);
            return 1;
        }
        existing = std::move(*found);
    }
    // Loaded before anything is written, so a model that fails leaves no empty conversation.
    auto engine = engineOptions.load(parser);
    if (!engine)
        return 1;
    if (existing) {
        recorder.resume(std::move(*existing));
    } else {
        NewConversation settings;
        settings.systemPrompt = parser.value(system);
        settings.model = QFileInfo(modelPath).fileName();
        settings.sampling = parlo::app::samplerJson(request);
        recorder.startNew(settings);
    }
    GenerationInfo info;
    info.modelFile = QFileInfo(modelPath).fileName();
    if (auto sha = parlo::app::fileSha256Prefix(modelPath))
        info.modelSha256 = *sha;
    info.quantization = QString::fromStdString(format->quantization());
    info.device = QString::fromStdString(engine->describe().backend);
    info.sampler = parlo::app::samplerJson(request);
    info.seed = qint64(request.sampling.seed);

    recorder.addUserMessage(positional[0]);
    if (recorder.conversation().id > 0)
        std::fprintf(stderr, "conversation %lld\n", (long long)recorder.conversation().id);
    auto prompt = format->render(turnsOf(recorder.conversation()));
    if (!prompt) {
        parlo::cli::printError(QString::fromStdString(prompt.error().message));
        return 1;
    }
    if (!prompt->notice.empty())
        parlo::cli::printError(QString::fromStdString(prompt->notice));
    // Templates that write the BOS text themselves get no second one.
    const std::string &bos = format->bosToken();
    const bool addBos = bos.empty() || prompt->text.compare(0, bos.size(), bos) != 0;
    auto ids = engine->tokenize(prompt->text, addBos);
    if (!ids) {
        parlo::cli::printError(QString::fromStdString(ids.error().message));
        return 1;
    }
    request.prompt = {parlo::PromptSegment{parlo::PromptSegment::Role::Turn, std::move(*ids)}};

    const qint64 answerId = recorder.beginAssistantMessage(info);
    auto result = engine->generate(request, [&](const parlo::Piece &piece) {
        std::fwrite(piece.text.data(), 1, piece.text.size(), stdout);
        std::fflush(stdout);
        recorder.appendStreamingText(answerId, QString::fromUtf8(piece.text.data(), qsizetype(piece.text.size())));
    });
    std::printf("\n");
    if (!result) {
        info.finishReason = FinishReason::Error;
        info.errorMessage = QString::fromStdString(result.error().message);
        recorder.finishMessage(answerId, info);
        parlo::cli::printError(info.errorMessage);
        return 1;
    }
    const parlo::GenerateStats &st = *result;
    info.promptTokens = st.promptTokens;
    info.generatedTokens = st.generatedTokens;
    info.timeToFirstTokenMs = st.timeToFirstTokenMs;
    info.prefillTokensPerSecond = st.prefillTokensPerSecond;
    info.decodeTokensPerSecond = st.decodeTokensPerSecond;
    info.finishReason = finishReasonOf(st.stopReason);
    recorder.finishMessage(answerId, info);
    std::fprintf(stderr, "%s on %s — prompt %u tokens, generated %u (%s), seed %llu, %.1f tok/s\n",
                 qPrintable(info.modelFile), qPrintable(info.device), st.promptTokens, st.generatedTokens,
                 std::string(parlo::stopReasonName(st.stopReason)).c_str(),
                 (unsigned long long)request.sampling.seed, st.decodeTokensPerSecond);
    if (!recorder.isPersistent())
        return 1;
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("chat", "Chat with a model; the conversation is kept in the history database", runChat);
