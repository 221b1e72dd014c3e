// The persistent ConversationRepository: the chat controllers' view of the SQLite history
// (storage::HistoryStore). Conversations, the message tree with its active branches, pins,
// renames, deletes and FTS5 search all go to the database the CLI shares.
//
// The interface is synchronous, but no SQLite call runs on the calling (UI) thread: every one
// goes to HistoryService's single writer thread, in order, so a read always sees the writes
// posted before it. Writes whose caller needs nothing back (streaming flushes, finishing an
// answer, the shown branch, pin, rename, system prompt, delete) are posted and not waited for:
// a database held by another process cannot freeze the window. Their failures arrive through
// HistoryService::writeFailed and become notices. Only calls that return data or a new id wait.
// The conversation on screen is cached and kept in step with the posted writes, so repaints
// and streaming never wait for the writer.
#pragma once

#include "chat/conversation_repository.h"
#include "storage/history_service.h"

#include <QHash>
#include <QMutex>
#include <QSet>
#include <QStringList>

#include <memory>

namespace parlo::app {

class SqliteConversationRepository : public ConversationRepository
{
public:
    SqliteConversationRepository();
    // Waits for every queued write, so an answer finished just before exit is kept.
    ~SqliteConversationRepository() override;

    // Opens (creating, migrating or setting aside a damaged file as needed). On failure the
    // repository is unusable and the error says why.
    storage::StoreResult<storage::OpenReport> open(const QString &path, const storage::OpenOptions &options = {});
    // Sentences for the user: a damaged file set aside, answers cut off by a crash, a write
    // that failed. Taken (and cleared) by the caller; safe from any thread.
    QStringList takeNotices();
    // The writer thread's service: its writeFailed signal tells the window at once.
    storage::HistoryService *service() { return m_service.get(); }
    // Returns once every posted write has run.
    void waitForWrites();

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
    // Runs a read on the writer thread after the queued writes and waits for its result.
    template <typename F> auto readNow(F job) const { return m_service->readAfterWrites(std::move(job)).result(); }
    // Queues a write; a failure becomes a notice through writeFailed.
    template <typename F> void post(F job) { m_service->writeAsync(std::move(job)); }
    // The whole conversation, from the cache when it holds it.
    const storage::Conversation *load(qint64 id) const;
    storage::Conversation *cached(qint64 id) { return m_cache.contains(id) ? &m_cache[id] : nullptr; }
    // Makes `conversation` the cached one.
    const storage::Conversation *remember(storage::Conversation conversation) const;
    void addNotice(const QString &text) const;
    template <typename T>
    bool check(const storage::StoreResult<T> &result) const;

    std::unique_ptr<storage::HistoryService> m_service;
    mutable QHash<qint64, storage::Conversation> m_cache; // one entry: the conversation on screen
    mutable QHash<qint64, qint64> m_conversationOf;       // message id → conversation id
    QSet<qint64> m_streaming;                             // assistant rows still being written
    mutable QMutex m_noticeMutex;                         // writeFailed arrives on the writer thread
    mutable QStringList m_notices;
};

} // namespace parlo::app
