#include "controllers/chat_controller.h"

#include "chat/generation_settings.h"

#include <QClipboard>
#include <QFileInfo>
#include <QGuiApplication>

namespace parlo::ui {

namespace {

QString titleFrom(const QString &text)
{
    QString title = text.simplified();
    if (title.size() > 48)
        title = title.left(47).trimmed() + QStringLiteral("…");
    return title.isEmpty() ? QStringLiteral("New chat") : title;
}

app::ChatTurn::Role turnRole(const QString &role)
{
    return role == u"assistant" ? app::ChatTurn::Role::Assistant
           : role == u"system"  ? app::ChatTurn::Role::System
                                : app::ChatTurn::Role::User;
}

} // namespace

ChatController::ChatController(app::ConversationRepository *repository, app::ChatService *service,
                               ModelController *models, AppSettings *settings, QObject *parent)
    : QObject(parent), m_repository(repository), m_service(service), m_models(models), m_settings(settings)
{
    m_flushTimer.setInterval(500);
    connect(&m_flushTimer, &QTimer::timeout, this, &ChatController::flushStreaming);
    connect(m_service, &app::ChatService::pieceReady, this, &ChatController::onPiece);
    connect(m_service, &app::ChatService::generationFinished, this, &ChatController::onFinished);
    connect(m_service, &app::ChatService::generationFailed, this, &ChatController::onFailed);
    connect(m_service, &app::ChatService::tokensCounted, this, &ChatController::onTokensCounted);
    // A newly loaded model counts the open conversation with its own tokenizer and template.
    connect(m_models, &ModelController::stateChanged, this, &ChatController::refreshContextUsage);
    reloadConversations();
}

ChatController::~ChatController()
{
    flushStreaming();
}

QString ChatController::currentTitle() const
{
    const auto c = m_repository->conversation(m_currentId);
    return c ? c->title : QStringLiteral("New chat");
}

QString ChatController::systemPrompt() const
{
    const auto c = m_repository->conversation(m_currentId);
    return c ? c->systemPrompt : QString();
}

void ChatController::setSystemPrompt(const QString &prompt)
{
    if (m_currentId == 0)
        m_currentId = m_repository->createConversation(QStringLiteral("New chat"));
    if (m_repository->setSystemPrompt(m_currentId, prompt)) {
        reloadConversations();
        emit currentConversationChanged();
    }
}

void ChatController::setSearchQuery(const QString &query)
{
    if (query == m_searchQuery)
        return;
    m_searchQuery = query;
    m_search.setHits(m_repository->search(query));
    emit searchQueryChanged();
}

void ChatController::newChat()
{
    m_currentId = 0;
    m_messages.setRows({});
    m_contextUsed = 0;
    m_countId = 0;
    m_contextFull = false;
    emit contextChanged();
    emit currentConversationChanged();
}

void ChatController::openConversation(qint64 id)
{
    if (!m_repository->conversation(id))
        return;
    m_currentId = id;
    reloadMessages();
    reloadConversations();
    refreshContextUsage();
    emit currentConversationChanged();
}

bool ChatController::send(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return false;
    if (generating()) {
        setError(QStringLiteral("Wait for the answer to finish, or stop it, before sending."));
        return false;
    }
    if (!m_models->modelLoaded()) {
        setError(QStringLiteral("Choose a model first."));
        return false;
    }
    if (m_currentId == 0)
        m_currentId = m_repository->createConversation(titleFrom(trimmed));
    else if (m_messages.count() == 0)
        m_repository->renameConversation(m_currentId, titleFrom(trimmed));
    const qint64 parent = m_messages.count() > 0 ? m_messages.rowAt(m_messages.count() - 1).message.id : 0;
    app::StoredMessage user;
    user.conversationId = m_currentId;
    user.parentId = parent;
    user.role = QStringLiteral("user");
    user.content = trimmed;
    const qint64 userId = m_repository->addMessage(user);
    emit currentConversationChanged();
    return startAnswer(userId);
}

bool ChatController::startAnswer(qint64 parentId)
{
    app::StoredMessage answer;
    answer.conversationId = m_currentId;
    answer.parentId = parentId;
    answer.role = QStringLiteral("assistant");
    const app::SamplingSettings sampling = m_settings->sampling();
    answer.generation = answerRecord(sampling);
    answer.complete = false;
    answer.id = m_repository->addMessage(answer);
    m_repository->setCurrentLeaf(m_currentId, answer.id);
    m_streaming = *m_repository->message(answer.id);

    const QList<app::ChatTurn> turns = turnsOf(branchRows(m_repository->messages(m_currentId), parentId));
    m_countId = 0; // the answer's own figures replace any count on the way

    reloadMessages();
    reloadConversations();
    const int row = m_messages.rowOfMessage(answer.id);
    if (row >= 0)
        m_messages.updateMessage(row, m_streaming, true);
    m_requestId = m_service->generate(turns, sampling);
    m_flushTimer.start();
    emit generatingChanged();
    emit messageAppended(row);
    return true;
}

storage::GenerationInfo ChatController::answerRecord(const app::SamplingSettings &sampling) const
{
    storage::GenerationInfo g;
    g.modelFile = QFileInfo(m_models->loadedPath()).fileName();
    g.modelSha256 = m_models->loadedSha256();
    g.quantization = m_models->loadedQuantization();
    g.device = m_models->deviceName();
    g.sampler = app::samplerJson(sampling);
    if (sampling.seed >= 0)
        g.seed = sampling.seed; // a fresh seed is known when the answer ends
    return g;
}

void ChatController::stop()
{
    if (generating())
        m_service->stop();
}

bool ChatController::regenerate(int row)
{
    if (generating() || row < 0 || row >= m_messages.count() || !m_models->modelLoaded())
        return false;
    const app::StoredMessage &m = m_messages.rowAt(row).message;
    if (m.role != u"assistant")
        return false;
    return startAnswer(m.parentId);
}

bool ChatController::editAndResend(int row, const QString &text)
{
    const QString trimmed = text.trimmed();
    if (generating() || row < 0 || row >= m_messages.count() || trimmed.isEmpty() || !m_models->modelLoaded())
        return false;
    const app::StoredMessage original = m_messages.rowAt(row).message;
    if (original.role != u"user")
        return false;
    app::StoredMessage edited;
    edited.conversationId = m_currentId;
    edited.parentId = original.parentId;
    edited.role = QStringLiteral("user");
    edited.content = trimmed;
    return startAnswer(m_repository->addMessage(edited));
}

void ChatController::showSibling(int row, int delta)
{
    if (row < 0 || row >= m_messages.count() || delta == 0)
        return;
    const app::StoredMessage &m = m_messages.rowAt(row).message;
    const QList<app::StoredMessage> all = m_repository->messages(m_currentId);
    QList<qint64> siblings;
    for (const app::StoredMessage &other : all)
        if (other.parentId == m.parentId)
            siblings.append(other.id);
    const qsizetype at = siblings.indexOf(m.id) + delta;
    if (at < 0 || at >= siblings.size())
        return;
    m_repository->setCurrentLeaf(m_currentId, newestLeafBelow(all, siblings[at]));
    reloadMessages();
    refreshContextUsage();
}

void ChatController::renameConversation(qint64 id, const QString &title)
{
    if (title.trimmed().isEmpty())
        return;
    m_repository->renameConversation(id, title.trimmed());
    reloadConversations();
    if (id == m_currentId)
        emit currentConversationChanged();
}

void ChatController::setPinned(qint64 id, bool pinned)
{
    m_repository->setPinned(id, pinned);
    reloadConversations();
}

void ChatController::deleteConversation(qint64 id)
{
    if (generating() && m_streaming.conversationId == id)
        m_service->stop();
    m_repository->deleteConversation(id);
    if (id == m_currentId)
        newChat();
    reloadConversations();
    m_search.setHits(m_repository->search(m_searchQuery));
}

int ChatController::openSearchHit(int row)
{
    if (row < 0 || row >= m_search.count())
        return -1;
    const app::SearchHit hit = m_search.hitAt(row);
    const QList<app::StoredMessage> all = m_repository->messages(hit.conversationId);
    m_repository->setCurrentLeaf(hit.conversationId, newestLeafBelow(all, hit.messageId));
    openConversation(hit.conversationId);
    return m_messages.rowOfMessage(hit.messageId);
}

void ChatController::copyText(const QString &text)
{
    if (auto *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

QList<app::ChatTurn> ChatController::turnsOf(const QList<MessageListModel::Row> &branch) const
{
    QList<app::ChatTurn> turns;
    if (const QString prompt = systemPrompt(); !prompt.trimmed().isEmpty())
        turns.append({app::ChatTurn::Role::System, prompt.toStdString()});
    for (const MessageListModel::Row &row : branch)
        turns.append({turnRole(row.message.role), row.message.content.toStdString()});
    return turns;
}

void ChatController::refreshContextUsage()
{
    if (generating() || !m_models->modelLoaded() || m_currentId == 0)
        return;
    // The shown branch is already in the message model: no second read of the store.
    QList<MessageListModel::Row> shown;
    for (int row = 0; row < m_messages.count(); ++row)
        shown.append(m_messages.rowAt(row));
    m_countId = m_service->countTokens(turnsOf(shown));
}

void ChatController::onTokensCounted(quint64 countId, int tokens)
{
    if (countId != m_countId || generating() || tokens < 0)
        return;
    m_countId = 0;
    m_contextUsed = tokens;
    m_contextFull = false;
    emit contextChanged();
}

void ChatController::reloadConversations()
{
    m_conversations.setConversations(m_repository->conversations(), QDateTime::currentDateTime());
}

void ChatController::reloadMessages()
{
    const auto conversation = m_repository->conversation(m_currentId);
    if (!conversation) {
        m_messages.setRows({});
        return;
    }
    const QList<app::StoredMessage> all = m_repository->messages(m_currentId);
    qint64 leaf = conversation->currentLeafId;
    if (leaf == 0 && !all.isEmpty())
        leaf = newestLeafBelow(all, 0);
    QList<MessageListModel::Row> rows = branchRows(all, leaf);
    for (MessageListModel::Row &row : rows) {
        if (generating() && row.message.id == m_streaming.id) {
            row.message = m_streaming; // the store may lag behind by one flush
            row.streaming = true;
        }
    }
    m_messages.setRows(std::move(rows));
}

void ChatController::flushStreaming()
{
    if (m_streaming.id != 0)
        m_repository->updateMessage(m_streaming);
}

void ChatController::setError(const QString &message)
{
    m_lastError = message;
    emit lastErrorChanged();
}

void ChatController::onPiece(quint64 requestId, const QString &piece)
{
    if (requestId != m_requestId)
        return;
    m_streaming.content += piece;
    if (m_streaming.conversationId == m_currentId) {
        const int row = m_messages.rowOfMessage(m_streaming.id);
        m_messages.appendContent(row, piece);
    }
}

void ChatController::onFinished(quint64 requestId, const app::GenerationStats &stats)
{
    if (requestId != m_requestId)
        return;
    m_flushTimer.stop();
    m_streaming.complete = !stats.stopped;
    storage::GenerationInfo &g = m_streaming.generation;
    g.finishReason = stats.stopped       ? storage::FinishReason::User
                     : stats.contextFull ? storage::FinishReason::Length
                                         : storage::FinishReason::Stop;
    // The hash of a large file may finish after the first token.
    if (g.modelSha256.isEmpty() && QFileInfo(m_models->loadedPath()).fileName() == g.modelFile)
        g.modelSha256 = m_models->loadedSha256();
    g.seed = qint64(stats.seed);
    g.promptTokens = stats.promptTokens;
    g.generatedTokens = stats.generatedTokens;
    g.timeToFirstTokenMs = stats.timeToFirstTokenMs;
    g.prefillTokensPerSecond = stats.prefillTokensPerSecond;
    g.decodeTokensPerSecond = stats.tokensPerSecond;
    m_repository->updateMessage(m_streaming);
    m_contextUsed = stats.contextUsed;
    m_contextFull = stats.contextFull;
    const app::StoredMessage done = m_streaming;
    m_streaming = {};
    m_requestId = 0;
    if (done.conversationId == m_currentId) {
        const int row = m_messages.rowOfMessage(done.id);
        m_messages.updateMessage(row, done, false);
    }
    emit contextChanged();
    emit generatingChanged();
}

void ChatController::onFailed(quint64 requestId, const QString &message)
{
    if (requestId != m_requestId)
        return;
    m_flushTimer.stop();
    m_streaming.complete = false;
    m_streaming.generation.finishReason = storage::FinishReason::Error;
    m_streaming.generation.errorMessage = message;
    m_repository->updateMessage(m_streaming);
    const app::StoredMessage done = m_streaming;
    m_streaming = {};
    m_requestId = 0;
    if (done.conversationId == m_currentId)
        m_messages.updateMessage(m_messages.rowOfMessage(done.id), done, false);
    setError(message);
    emit generatingChanged();
}

} // namespace parlo::ui
