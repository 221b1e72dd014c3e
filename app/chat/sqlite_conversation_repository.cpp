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
        s.generation = *m.generation;
        const FinishReason reason = m.generation->finishReason;
        if (reason == FinishReason::User || reason == FinishReason::Error || reason == FinishReason::Interrupted)
            s.complete = false;
    }
    return s;
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

// The generation an answer is finished with: a finish reason is always set.
GenerationInfo finalGeneration(const StoredMessage &m)
{
    GenerationInfo info = m.generation;
    if (info.finishReason == FinishReason::None)
        info.finishReason = m.complete ? FinishReason::Stop : FinishReason::User;
    return info;
}

// The messages from the root down to `messageId`: switching each one in makes that branch the
// one shown.
QList<qint64> chainTo(const Conversation &c, qint64 messageId)
{
    QList<qint64> chain;
    for (const Message *m = c.message(messageId); m && chain.size() <= c.messages.size();
         m = m->parentId > 0 ? c.message(m->parentId) : nullptr)
        chain.prepend(m->id);
    return chain;
}

// What HistoryStore::switchToBranch does to the rows, done to the cached copy.
void activate(Conversation &c, qint64 messageId)
{
    const Message *m = c.message(messageId);
    if (!m)
        return;
    if (m->parentId == 0)
        c.activeRootId = messageId;
    else if (Message *parent = c.message(m->parentId))
        parent->activeChildId = messageId;
}

// A message added, with the conversation as the store now has it (titles and active branches
// follow the store's own rules, so the cache copies them rather than imitating them).
struct Added
{
    qint64 id = 0;
    Conversation conversation;
};

} // namespace

SqliteConversationRepository::SqliteConversationRepository() : m_service(std::make_unique<HistoryService>())
{
    // Direct: the writer thread records the failure at once, so a caller that waited for the
    // writes finds it in takeNotices(); the window hears it through the same signal, queued.
    QObject::connect(
        m_service.get(), &HistoryService::writeFailed, m_service.get(),
        [this](const QString &message) { addNotice(message); }, Qt::DirectConnection);
}

SqliteConversationRepository::~SqliteConversationRepository()
{
    // The writes queued by the last answer run before the connection closes; then the service
    // (and its threads) go while the notices they may still report to are alive.
    waitForWrites();
    m_service.reset();
}

QString SqliteConversationRepository::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(dir).filePath(QStringLiteral("parlo/history.sqlite"));
}

StoreResult<OpenReport> SqliteConversationRepository::open(const QString &path, const OpenOptions &options)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto report = m_service->open(path, options).result();
    if (report)
        for (const QString &text : report->notices)
            addNotice(text);
    return report;
}

void SqliteConversationRepository::waitForWrites()
{
    m_service->waitForWrites();
}

QStringList SqliteConversationRepository::takeNotices()
{
    QMutexLocker lock(&m_noticeMutex);
    return std::exchange(m_notices, {});
}

void SqliteConversationRepository::addNotice(const QString &text) const
{
    QMutexLocker lock(&m_noticeMutex);
    if (!m_notices.contains(text))
        m_notices.append(text);
}

template <typename T>
bool SqliteConversationRepository::check(const StoreResult<T> &result) const
{
    if (!result.ok())
        addNotice(result.error().message);
    return result.ok();
}

const Conversation *SqliteConversationRepository::remember(Conversation conversation) const
{
    m_cache.clear();
    for (const Message &m : conversation.messages)
        m_conversationOf.insert(m.id, conversation.id);
    const qint64 id = conversation.id;
    return &*m_cache.insert(id, std::move(conversation));
}

const Conversation *SqliteConversationRepository::load(qint64 id) const
{
    auto it = m_cache.constFind(id);
    if (it != m_cache.cend())
        return &*it;
    if (id <= 0)
        return nullptr;
    auto loaded = readNow([id](HistoryStore &store) { return store.conversation(id); });
    if (!loaded)
        return nullptr; // a missing id is an answer, not a notice
    return remember(std::move(*loaded));
}

QList<StoredConversation> SqliteConversationRepository::conversations() const
{
    auto rows = readNow([](HistoryStore &store) {
        ListQuery query;
        query.limit = 1000;
        return store.listConversations(query);
    });
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
    auto created = m_service->writeAsync([settings](HistoryStore &store) { return store.createConversation(settings); })
                       .result();
    if (!check(created))
        return 0;
    return remember(std::move(*created))->id;
}

bool SqliteConversationRepository::renameConversation(qint64 id, const QString &title)
{
    if (Conversation *c = cached(id)) {
        c->title = title;
        c->titleIsAuto = false;
    }
    post([id, title](HistoryStore &store) { return store.renameConversation(id, title); });
    return true;
}

bool SqliteConversationRepository::setPinned(qint64 id, bool pinned)
{
    if (Conversation *c = cached(id))
        c->pinned = pinned;
    post([id, pinned](HistoryStore &store) { return store.setPinned(id, pinned); });
    return true;
}

bool SqliteConversationRepository::setSystemPrompt(qint64 id, const QString &prompt)
{
    if (!load(id))
        return false;
    Conversation &c = m_cache[id];
    c.systemPrompt = prompt;
    post([id, prompt, model = c.model, sampling = c.sampling](HistoryStore &store) {
        return store.setConversationSettings(id, prompt, model, sampling);
    });
    return true;
}

bool SqliteConversationRepository::setCurrentLeaf(qint64 conversationId, qint64 messageId)
{
    if (!load(conversationId) || !m_cache[conversationId].message(messageId))
        return false;
    // The store remembers one active child per parent: make each step up to the root active.
    Conversation &c = m_cache[conversationId];
    const QList<qint64> chain = chainTo(c, messageId);
    for (qint64 id : chain)
        activate(c, id);
    post([chain](HistoryStore &store) -> StoreResult<void> {
        for (qint64 id : chain)
            STORE_TRY(store.switchToBranch(id));
        return {};
    });
    return true;
}

bool SqliteConversationRepository::deleteConversation(qint64 id)
{
    m_cache.remove(id);
    post([id](HistoryStore &store) { return store.deleteConversation(id); });
    return true;
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
    // An answer given whole (an import, a demo) is finished at once; otherwise it streams.
    const bool streaming = *role == Role::Assistant && !message.complete
                           && message.generation.finishReason == FinishReason::None;
    auto added = m_service
                     ->writeAsync([message, kind = *role, streaming](HistoryStore &store) -> StoreResult<Added> {
                         auto row = kind == Role::Assistant
                                        ? store.beginAssistantMessage(message.conversationId, message.parentId,
                                                                      message.generation)
                                        : store.addMessage(message.conversationId, message.parentId, kind,
                                                           message.content);
                         if (!row)
                             return row.error();
                         if (kind == Role::Assistant && !streaming)
                             STORE_TRY(store.finishMessage(row->id, message.content, finalGeneration(message)));
                         else if (kind == Role::Assistant && !message.content.isEmpty())
                             STORE_TRY(store.updateStreamingContent(row->id, message.content));
                         auto conversation = store.conversation(message.conversationId);
                         if (!conversation)
                             return conversation.error();
                         return Added{row->id, std::move(*conversation)};
                     })
                     .result();
    if (!check(added))
        return 0;
    if (streaming)
        m_streaming.insert(added->id);
    remember(std::move(added->conversation));
    return added->id;
}

bool SqliteConversationRepository::updateMessage(const StoredMessage &message)
{
    const bool flush = m_streaming.contains(message.id) && message.generation.finishReason == FinishReason::None;
    const GenerationInfo info = message.role == u"assistant" ? finalGeneration(message) : GenerationInfo{};
    // The cached copy changes now, so the window reads back what it wrote without waiting.
    if (Conversation *c = cached(message.conversationId)) {
        if (Message *m = c->message(message.id)) {
            m->content = message.content;
            if (!flush)
                m->state = MessageState::Done;
            if (!flush && m->role == Role::Assistant)
                m->generation = info;
        }
    }
    if (flush) {
        post([id = message.id, content = message.content](HistoryStore &store) {
            return store.updateStreamingContent(id, content);
        });
        return true;
    }
    m_streaming.remove(message.id);
    post([id = message.id, content = message.content, info](HistoryStore &store) {
        return store.finishMessage(id, content, info);
    });
    return true;
}

QList<SearchHit> SqliteConversationRepository::search(const QString &query, int limit) const
{
    QList<SearchHit> hits;
    if (query.trimmed().isEmpty())
        return hits;
    auto found = readNow([query, limit](HistoryStore &store) { return store.search(query, limit); });
    if (!found)
        return hits; // a query FTS cannot parse just finds nothing
    for (const storage::SearchHit &h : *found)
        hits.append({h.conversationId, h.messageId, h.conversationTitle,
                     h.snippetWith(QStringLiteral("["), QStringLiteral("]")).simplified()});
    return hits;
}

} // namespace parlo::app
