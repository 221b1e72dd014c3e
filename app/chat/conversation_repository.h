// What the chat controllers need from conversation storage. MemoryConversationRepository keeps
// everything in memory (tests, the mock build); the SQLite store plugs in behind the same
// interface. Messages form a tree: regenerating adds a sibling answer, editing a user message
// adds a sibling question, and each conversation remembers the leaf that is shown.
#pragma once

#include "storage/history_types.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace parlo::app {

struct StoredMessage
{
    qint64 id = 0;
    qint64 conversationId = 0;
    qint64 parentId = 0; // 0: first message of the conversation
    QString role;        // "user", "assistant"
    QString content;
    bool complete = true; // false while streaming or after an interrupted answer
    // What wrote an answer, as `parlo-cli chat` records it: model file, sha256 prefix,
    // quantization, device, sampler and seed, token counts and speeds. Its finishReason is None
    // while the answer streams; a persistent repository writes the final row once it is set.
    storage::GenerationInfo generation;
    QDateTime createdAt;
};

struct StoredConversation
{
    qint64 id = 0;
    QString title;
    QString systemPrompt;
    bool pinned = false;
    qint64 currentLeafId = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct SearchHit
{
    qint64 conversationId = 0;
    qint64 messageId = 0;
    QString title;
    QString snippet; // plain text around the match, with the match in [brackets]
};

class ConversationRepository
{
public:
    virtual ~ConversationRepository() = default;

    virtual QList<StoredConversation> conversations() const = 0; // most recently updated first
    virtual std::optional<StoredConversation> conversation(qint64 id) const = 0;
    virtual qint64 createConversation(const QString &title) = 0;
    virtual bool renameConversation(qint64 id, const QString &title) = 0;
    virtual bool setPinned(qint64 id, bool pinned) = 0;
    virtual bool setSystemPrompt(qint64 id, const QString &prompt) = 0;
    virtual bool setCurrentLeaf(qint64 conversationId, qint64 messageId) = 0;
    virtual bool deleteConversation(qint64 id) = 0;

    virtual QList<StoredMessage> messages(qint64 conversationId) const = 0; // in creation order
    virtual std::optional<StoredMessage> message(qint64 id) const = 0;
    // Returns the new message's id; the conversation's updatedAt moves to now.
    virtual qint64 addMessage(const StoredMessage &message) = 0;
    virtual bool updateMessage(const StoredMessage &message) = 0;

    virtual QList<SearchHit> search(const QString &query, int limit = 50) const = 0;
};

} // namespace parlo::app
