#include "chat/memory_conversation_repository.h"

#include <algorithm>

namespace parlo::app {

MemoryConversationRepository::MemoryConversationRepository(std::function<QDateTime()> clock)
    : m_clock(std::move(clock))
{
}

QDateTime MemoryConversationRepository::now() const { return m_clock ? m_clock() : QDateTime::currentDateTime(); }

QList<StoredConversation> MemoryConversationRepository::conversations() const
{
    QList<StoredConversation> list = m_conversations.values();
    std::sort(list.begin(), list.end(), [](const StoredConversation &a, const StoredConversation &b) {
        return a.updatedAt != b.updatedAt ? a.updatedAt > b.updatedAt : a.id > b.id;
    });
    return list;
}

std::optional<StoredConversation> MemoryConversationRepository::conversation(qint64 id) const
{
    auto it = m_conversations.constFind(id);
    if (it == m_conversations.cend())
        return std::nullopt;
    return *it;
}

qint64 MemoryConversationRepository::createConversation(const QString &title)
{
    StoredConversation c;
    c.id = m_nextConversation++;
    c.title = title;
    c.createdAt = c.updatedAt = now();
    m_conversations.insert(c.id, c);
    return c.id;
}

bool MemoryConversationRepository::renameConversation(qint64 id, const QString &title)
{
    auto it = m_conversations.find(id);
    if (it == m_conversations.end())
        return false;
    it->title = title;
    return true;
}

bool MemoryConversationRepository::setPinned(qint64 id, bool pinned)
{
    auto it = m_conversations.find(id);
    if (it == m_conversations.end())
        return false;
    it->pinned = pinned;
    return true;
}

bool MemoryConversationRepository::setSystemPrompt(qint64 id, const QString &prompt)
{
    auto it = m_conversations.find(id);
    if (it == m_conversations.end())
        return false;
    it->systemPrompt = prompt;
    return true;
}

bool MemoryConversationRepository::setCurrentLeaf(qint64 conversationId, qint64 messageId)
{
    auto it = m_conversations.find(conversationId);
    if (it == m_conversations.end())
        return false;
    it->currentLeafId = messageId;
    return true;
}

bool MemoryConversationRepository::deleteConversation(qint64 id)
{
    if (!m_conversations.remove(id))
        return false;
    m_messages.removeIf([id](const StoredMessage &m) { return m.conversationId == id; });
    return true;
}

QList<StoredMessage> MemoryConversationRepository::messages(qint64 conversationId) const
{
    QList<StoredMessage> list;
    for (const StoredMessage &m : m_messages)
        if (m.conversationId == conversationId)
            list.append(m);
    return list;
}

std::optional<StoredMessage> MemoryConversationRepository::message(qint64 id) const
{
    for (const StoredMessage &m : m_messages)
        if (m.id == id)
            return m;
    return std::nullopt;
}

qint64 MemoryConversationRepository::addMessage(const StoredMessage &message)
{
    auto it = m_conversations.find(message.conversationId);
    if (it == m_conversations.end())
        return 0;
    StoredMessage m = message;
    m.id = m_nextMessage++;
    m.createdAt = now();
    it->updatedAt = m.createdAt;
    m_messages.append(m);
    return m.id;
}

bool MemoryConversationRepository::updateMessage(const StoredMessage &message)
{
    for (StoredMessage &m : m_messages) {
        if (m.id == message.id) {
            const QDateTime created = m.createdAt;
            m = message;
            m.createdAt = created;
            return true;
        }
    }
    return false;
}

QString makeSnippet(const QString &text, qsizetype from, qsizetype length, int context)
{
    const qsizetype start = std::max<qsizetype>(0, from - context);
    const qsizetype end = std::min<qsizetype>(text.size(), from + length + context);
    QString snippet = (start > 0 ? QStringLiteral("…") : QString()) + text.mid(start, from - start) + u'['
                      + text.mid(from, length) + u']' + text.mid(from + length, end - from - length)
                      + (end < text.size() ? QStringLiteral("…") : QString());
    return snippet.simplified();
}

QList<SearchHit> MemoryConversationRepository::search(const QString &query, int limit) const
{
    QList<SearchHit> hits;
    const QString needle = query.trimmed();
    if (needle.isEmpty())
        return hits;
    // Newest first, like the sidebar.
    for (auto it = m_messages.crbegin(); it != m_messages.crend() && hits.size() < limit; ++it) {
        const qsizetype at = it->content.indexOf(needle, 0, Qt::CaseInsensitive);
        if (at < 0)
            continue;
        const auto conv = m_conversations.constFind(it->conversationId);
        hits.append({it->conversationId, it->id, conv == m_conversations.cend() ? QString() : conv->title,
                     makeSnippet(it->content, at, needle.size())});
    }
    return hits;
}

void MemoryConversationRepository::setUpdatedAt(qint64 id, const QDateTime &when)
{
    auto it = m_conversations.find(id);
    if (it != m_conversations.end())
        it->updatedAt = when;
}

} // namespace parlo::app
