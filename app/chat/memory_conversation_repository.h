// ConversationRepository held in memory: for tests, the mock build, and until the SQLite store
// is wired in.
#pragma once

#include "chat/conversation_repository.h"

#include <QHash>

#include <functional>

namespace parlo::app {

class MemoryConversationRepository : public ConversationRepository
{
public:
    // `clock` lets tests place conversations on other days.
    explicit MemoryConversationRepository(std::function<QDateTime()> clock = {});

    QList<StoredConversation> conversations() const override;
    std::optional<StoredConversation> conversation(qint64 id) const override;
    qint64 createConversation(const QString &title) override;
    bool renameConversation(qint64 id, const QString &title) override;
    bool setPinned(qint64 id, bool pinned) override;
    bool setSystemPrompt(qint64 id, const QString &prompt) override;
    bool setCurrentLeaf(qint64 conversationId, qint64 messageId) override;
    bool deleteConversation(qint64 id) override;

    QList<StoredMessage> messages(qint64 conversationId) const override;
    std::optional<StoredMessage> message(qint64 id) const override;
    qint64 addMessage(const StoredMessage &message) override;
    bool updateMessage(const StoredMessage &message) override;

    QList<SearchHit> search(const QString &query, int limit = 50) const override;

    // For tests: moves a conversation's updatedAt.
    void setUpdatedAt(qint64 id, const QDateTime &when);

private:
    QDateTime now() const;

    std::function<QDateTime()> m_clock;
    QHash<qint64, StoredConversation> m_conversations;
    QList<StoredMessage> m_messages;
    qint64 m_nextConversation = 1;
    qint64 m_nextMessage = 1;
};

// A snippet of `text` around `from` (length `length`) with the match in [brackets].
QString makeSnippet(const QString &text, qsizetype from, qsizetype length, int context = 40);

} // namespace parlo::app
