#include "chat/sqlite_conversation_repository.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace parlo::app {

using namespace parlo::storage;

namespace {

StoredMessage toStored(const Message &m)
{
    StoredMessage s;
    s.id = m.id;
    s.conversationId = m.conversationId;
    s.parentId = m.parentId;
    s.role = roleName(m.role);
    s.content = m.content;
    s.createdAt = m.createdAt.toLocalTime();
    s.complete = m.state == MessageState::Done;
    if (m.generation) {
        const GenerationInfo &g = *m.generation;
        s.model = g.modelFile;
        s.tokensPerSecond = g.decodeTokensPerSecond.value_or(0.0);
        s.timeToFirstTokenMs = g.timeToFirstTokenMs.value_or(0.0);
        s.tokenCount = int(g.generatedTokens.value_or(0));
        s.finishReason = finishReasonName(g.finishReason);
        if (g.finishReason == FinishReason::User || g.finishReason == FinishReason::Error
            || g.finishReason == FinishReason::Interrupted)
            s.complete = false;
    }
    return s;
}

GenerationInfo generationOf(const StoredMessage &m)
{
    GenerationInfo g;
    g.modelFile = m.model;
    if (m.tokenCount > 0)
        g.generatedTokens = m.tokenCount;
    if (m.timeToFirstTokenMs > 0)
        g.timeToFirstTokenMs = m.timeToFirstTokenMs;
    if (m.tokensPerSecond > 0)
        g.decodeTokensPerSecond = m.tokensPerSecond;
    g.finishReason = finishReasonFromName(m.finishReason).value_or(FinishReason::None);
    return g;
}

StoredConversation toStored(const ConversationSummary &c)
{
    StoredConversation s;
    s.id = c.id;
    s.title = c.title;
    s.pinned = c.pinned;
    s.createdAt = c.createdAt.toLocalTime();
    s.updatedAt = c.updatedAt.toLocalTime();
    return s;
}

} // namespace

SqliteConversationRepository::SqliteConversationRepository() = default;
SqliteConversationRepository::~SqliteConversationRepository() = default;

QString SqliteConversationRepository::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(dir).filePath(QStringLiteral("parlo/history.sqlite"));
}

StoreResult<OpenReport> SqliteConversationRepository::open(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto report = m_store.open(path);
    if (report)
        m_notices += report->notices;
    return report;
}

QStringList SqliteConversationRepository::takeNotices()
{
    return std::exchange(m_notices, {});
}

template <typename T>
bool SqliteConversationRepository::check(const StoreResult<T> &result) const
{
    if (result.ok())
        return true;
    if (!m_notices.contains(result.error().message))
        m_notices.append(result.error().message);
    return false;
}

const Conversation *SqliteConversationRepository::load(qint64 id) const
{
    auto it = m_cache.constFind(id);
    if (it != m_cache.cend())
        return &*it;
    auto loaded = m_store.conversation(id);
    if (!loaded)
        return nullptr; // a missing id is an answer, not a notice
    m_cache.clear();
    for (const Message &m : loaded->messages)
        m_conversationOf.insert(m.id, id);
    return &*m_cache.insert(id, std::move(*loaded));
}

void SqliteConversationRepository::invalidate(qint64 conversationId) const
{
    m_cache.remove(conversationId);
}

QList<StoredConversation> SqliteConversationRepository::conversations() const
{
    ListQuery query;
    query.limit = 1000;
    auto rows = m_store.listConversations(query);
    QList<StoredConversation> list;
    if (!check(rows))
        return list;
    for (const ConversationSummary &c : *rows)
        list.append(toStored(c));
    // The interface promises most recently updated first; the store puts pinned ones on top.
    std::stable_sort(list.begin(), list.end(), [](const StoredConversation &a, const StoredConversation &b) {
        return a.updatedAt > b.updatedAt;
    });
    return list;
}

std::optional<StoredConversation> SqliteConversationRepository::conversation(qint64 id) const
{
    const Conversation *c = load(id);
    if (!c)
        return std::nullopt;
    StoredConversation s = toStored(static_cast<const ConversationSummary &>(*c));
    s.systemPrompt = c->systemPrompt;
    s.currentLeafId = c->activeLeafId();
    return s;
}

qint64 SqliteConversationRepository::createConversation(const QString &title)
{
    NewConversation settings;
    settings.title = title;
    auto created = m_store.createConversation(settings);
    return check(created) ? created->id : 0;
}

bool SqliteConversationRepository::renameConversation(qint64 id, const QString &title)
{
    invalidate(id);
    return check(m_store.renameConversation(id, title));
}

bool SqliteConversationRepository::setPinned(qint64 id, bool pinned)
{
    invalidate(id);
    return check(m_store.setPinned(id, pinned));
}

bool SqliteConversationRepository::setSystemPrompt(qint64 id, const QString &prompt)
{
    const Conversation *c = load(id);
    if (!c)
        return false;
    const QString model = c->model;
    const QJsonObject sampling = c->sampling;
    invalidate(id);
    return check(m_store.setConversationSettings(id, prompt, model, sampling));
}

bool SqliteConversationRepository::setCurrentLeaf(qint64 conversationId, qint64 messageId)
{
    const Conversation *c = load(conversationId);
    if (!c || !c->message(messageId))
        return false;
    // The store remembers one active child per parent: make each step up to the root active.
    QList<qint64> chain;
    for (const Message *m = c->message(messageId); m; m = m->parentId > 0 ? c->message(m->parentId) : nullptr)
        chain.prepend(m->id);
    invalidate(conversationId);
    for (qint64 id : chain)
        if (!check(m_store.switchToBranch(id)))
            return false;
    return true;
}

bool SqliteConversationRepository::deleteConversation(qint64 id)
{
    invalidate(id);
    return check(m_store.deleteConversation(id));
}

QList<StoredMessage> SqliteConversationRepository::messages(qint64 conversationId) const
{
    QList<StoredMessage> list;
    const Conversation *c = load(conversationId);
    if (!c)
        return list;
    for (const Message &m : c->messages)
        list.append(toStored(m));
    // The interface wants creation order; the store gives parents first, then by creation,
    // which for ids (rowids grow) is the same as sorting by id.
    std::sort(list.begin(), list.end(), [](const StoredMessage &a, const StoredMessage &b) { return a.id < b.id; });
    return list;
}

std::optional<StoredMessage> SqliteConversationRepository::message(qint64 id) const
{
    const qint64 conversationId = m_conversationOf.value(id);
    const Conversation *c = conversationId > 0 ? load(conversationId) : nullptr;
    const Message *m = c ? c->message(id) : nullptr;
    if (!m)
        return std::nullopt;
    return toStored(*m);
}

qint64 SqliteConversationRepository::addMessage(const StoredMessage &message)
{
    const std::optional<Role> role = roleFromName(message.role);
    if (!role)
        return 0;
    invalidate(message.conversationId);
    StoreResult<Message> added = *role == Role::Assistant
                                     ? m_store.beginAssistantMessage(message.conversationId, message.parentId,
                                                                     generationOf(message))
                                     : m_store.addMessage(message.conversationId, message.parentId, *role,
                                                          message.content);
    if (!check(added))
        return 0;
    const qint64 id = added->id;
    m_conversationOf.insert(id, message.conversationId);
    if (*role == Role::Assistant) {
        // An answer given whole (an import, a demo) is finished at once.
        if (message.complete || !message.finishReason.isEmpty()) {
            GenerationInfo info = generationOf(message);
            if (info.finishReason == FinishReason::None)
                info.finishReason = FinishReason::Stop;
            check(m_store.finishMessage(id, message.content, info));
        } else {
            m_streaming.insert(id);
            if (!message.content.isEmpty())
                check(m_store.updateStreamingContent(id, message.content));
        }
    }
    return id;
}

bool SqliteConversationRepository::updateMessage(const StoredMessage &message)
{
    if (m_streaming.contains(message.id) && message.finishReason.isEmpty()) {
        // A flush mid-answer: one row's text; keep the cached copy in step instead of re-reading.
        if (auto it = m_cache.find(message.conversationId); it != m_cache.end())
            if (Message *m = it->message(message.id))
                m->content = message.content;
        return check(m_store.updateStreamingContent(message.id, message.content));
    }
    m_streaming.remove(message.id);
    invalidate(message.conversationId);
    GenerationInfo info = generationOf(message);
    if (info.finishReason == FinishReason::None)
        info.finishReason = message.complete ? FinishReason::Stop : FinishReason::User;
    if (message.role != u"assistant")
        info = {};
    return check(m_store.finishMessage(message.id, message.content, info));
}

QList<SearchHit> SqliteConversationRepository::search(const QString &query, int limit) const
{
    QList<SearchHit> hits;
    if (query.trimmed().isEmpty())
        return hits;
    auto found = m_store.search(query, limit);
    if (!found)
        return hits; // a query FTS cannot parse just finds nothing
    for (const storage::SearchHit &h : *found)
        hits.append({h.conversationId, h.messageId, h.conversationTitle,
                     h.snippetWith(QStringLiteral("["), QStringLiteral("]")).simplified()});
    return hits;
}

} // namespace parlo::app
