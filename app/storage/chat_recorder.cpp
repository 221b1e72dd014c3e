#include "chat_recorder.h"

#include "history_store.h"

namespace parlo::storage {

void ChatRecorder::Shared::fail(const StoreError &e)
{
    std::function<void(const StoreError &)> notify;
    {
        std::lock_guard lock(mutex);
        if (error)
            return;
        error = e;
        notify = handler;
    }
    if (notify)
        notify(e);
}

bool ChatRecorder::Shared::failed() const
{
    std::lock_guard lock(mutex);
    return error.has_value();
}

ChatRecorder::ChatRecorder(StoreAccess *access, const QString &memoryOnlyReason) : m_access(access)
{
    if (!m_access)
        m_shared->error = StoreError{ErrorKind::NotOpen, memoryOnlyReason.isEmpty()
                                                             ? QStringLiteral("no history database is open")
                                                             : memoryOnlyReason};
}

ChatRecorder::~ChatRecorder() = default;

bool ChatRecorder::canWrite() const
{
    return m_access && !m_shared->failed();
}
bool ChatRecorder::isPersistent() const
{
    return canWrite();
}

std::optional<StoreError> ChatRecorder::storageError() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->error;
}

void ChatRecorder::setStorageErrorHandler(std::function<void(const StoreError &)> handler)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->handler = std::move(handler);
}

void ChatRecorder::setThrottle(int intervalMs, WriteThrottle::Clock clock)
{
    m_throttle = WriteThrottle(intervalMs, std::move(clock));
}

void ChatRecorder::startNew(const NewConversation &settings)
{
    m_conversation = Conversation();
    m_conversation.title = settings.title.trimmed();
    m_conversation.titleIsAuto = m_conversation.title.isEmpty();
    m_conversation.systemPrompt = settings.systemPrompt;
    m_conversation.model = settings.model;
    m_conversation.sampling = settings.sampling;
    m_conversation.folderId = settings.folderId;
    m_conversation.createdAt = m_conversation.updatedAt = QDateTime::currentDateTimeUtc();
    m_conversation.id = nextMemoryId();
    if (!canWrite())
        return;
    std::optional<StoreResult<Conversation>> created;
    ++m_writesIssued;
    m_access->write([&](HistoryStore &store) { created = store.createConversation(settings); }, true);
    if (created && created->ok())
        m_conversation = std::move(created->value());
    else if (created)
        m_shared->fail(created->error());
}

void ChatRecorder::resume(Conversation conversation)
{
    m_conversation = std::move(conversation);
}

qint64 ChatRecorder::resolveParent(qint64 parentId) const
{
    return parentId >= 0 ? parentId : m_conversation.activeLeafId();
}

Message &ChatRecorder::appendInMemory(Message message)
{
    if (message.parentId != 0) {
        if (Message *parent = m_conversation.message(message.parentId))
            parent->activeChildId = message.id;
    } else {
        m_conversation.activeRootId = message.id;
    }
    if (message.role == Role::User && m_conversation.titleIsAuto && m_conversation.title.isEmpty())
        m_conversation.title = autoTitle(message.content);
    m_conversation.updatedAt = QDateTime::currentDateTimeUtc();
    m_conversation.messages.append(std::move(message));
    m_conversation.messageCount = m_conversation.messages.size();
    return m_conversation.messages.last();
}

qint64 ChatRecorder::addUserMessage(const QString &text, qint64 parentId)
{
    const qint64 parent = resolveParent(parentId);
    Message m;
    m.conversationId = m_conversation.id;
    m.parentId = parent;
    m.role = Role::User;
    m.content = text;
    m.createdAt = QDateTime::currentDateTimeUtc();
    if (canWrite() && m_conversation.id > 0 && parent >= 0) {
        std::optional<StoreResult<Message>> saved;
        ++m_writesIssued;
        m_access->write(
            [&](HistoryStore &store) {
                saved = store.addMessage(m_conversation.id, parent, Role::User, text);
            },
            true);
        if (saved && saved->ok())
            return appendInMemory(saved->value()).id;
        if (saved)
            m_shared->fail(saved->error());
    }
    m.id = nextMemoryId();
    return appendInMemory(std::move(m)).id;
}

qint64 ChatRecorder::beginAssistantMessage(const GenerationInfo &info, qint64 parentId)
{
    const qint64 parent = resolveParent(parentId);
    Message m;
    m.conversationId = m_conversation.id;
    m.parentId = parent;
    m.role = Role::Assistant;
    m.createdAt = QDateTime::currentDateTimeUtc();
    m.state = MessageState::Streaming;
    m.generation = info;
    m_throttle.restart();
    if (canWrite() && m_conversation.id > 0 && parent >= 0) {
        std::optional<StoreResult<Message>> saved;
        ++m_writesIssued;
        m_access->write(
            [&](HistoryStore &store) {
                saved = store.beginAssistantMessage(m_conversation.id, parent, info);
            },
            true);
        if (saved && saved->ok())
            return m_streamingId = appendInMemory(saved->value()).id;
        if (saved)
            m_shared->fail(saved->error());
    }
    m.id = nextMemoryId();
    return m_streamingId = appendInMemory(std::move(m)).id;
}

void ChatRecorder::appendStreamingText(qint64 messageId, QStringView piece)
{
    Message *m = m_conversation.message(messageId);
    if (!m || m->state != MessageState::Streaming)
        return;
    m->content.append(piece);
    if (!m_throttle.changed() || !canWrite() || messageId <= 0)
        return;
    m_throttle.written();
    ++m_writesIssued;
    // Queued, not awaited: decoding never waits for the disk. A failure lands in m_shared.
    m_access->write(
        [shared = m_shared, messageId, content = m->content](HistoryStore &store) {
            if (shared->failed())
                return;
            if (auto r = store.updateStreamingContent(messageId, content); !r)
                shared->fail(r.error());
        },
        false);
}

void ChatRecorder::finishMessage(qint64 messageId, const GenerationInfo &info)
{
    Message *m = m_conversation.message(messageId);
    if (!m)
        return;
    m->state = MessageState::Done;
    m->generation = info;
    if (m_streamingId == messageId)
        m_streamingId = 0;
    if (!canWrite() || messageId <= 0)
        return;
    std::optional<StoreResult<void>> saved;
    ++m_writesIssued;
    const QString content = m->content;
    m_access->write([&](HistoryStore &store) { saved = store.finishMessage(messageId, content, info); },
                    true);
    if (saved && !saved->ok())
        m_shared->fail(saved->error());
    m_throttle.restart();
}

} // namespace parlo::storage
