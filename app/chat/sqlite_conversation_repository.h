// The persistent ConversationRepository: the chat controllers' view of the SQLite history
// (storage::HistoryStore). Conversations, the message tree with its active branches, pins,
// renames, deletes and FTS5 search all go to the database the CLI shares.
//
// The repository interface is synchronous, so this runs the store on the calling thread. Each
// call is one small indexed statement (streaming updates rewrite one row), well under a
// millisecond on the sizes the benchmark covers; a conversation opened is cached so
// repaints do not re-read it.
#pragma once

#include "chat/conversation_repository.h"
#include "storage/history_store.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace parlo::app {

class SqliteConversationRepository : public ConversationRepository
{
public:
    SqliteConversationRepository();
    ~SqliteConversationRepository() override;

    // Opens (creating, migrating or setting aside a damaged file as needed). On failure the
    // repository is unusable and the error says why.
    storage::StoreResult<storage::OpenReport> open(const QString &path);
    // Sentences for the user: a damaged file set aside, answers cut off by a crash, a write
    // that failed. Taken (and cleared) by the caller.
    QStringList takeNotices();

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

    // The default database: $XDG_DATA_HOME/parlo/history.sqlite, shared with parlo-cli.
    static QString defaultPath();

private:
    // The whole conversation, from the cache when it holds it.
    const storage::Conversation *load(qint64 id) const;
    void invalidate(qint64 conversationId) const;
    template <typename T>
    bool check(const storage::StoreResult<T> &result) const;

    mutable storage::HistoryStore m_store;
    mutable QHash<qint64, storage::Conversation> m_cache; // one entry: the conversation on screen
    mutable QHash<qint64, qint64> m_conversationOf;       // message id → conversation id
    QSet<qint64> m_streaming;                             // assistant rows still being written
    mutable QStringList m_notices;
};

} // namespace parlo::app
