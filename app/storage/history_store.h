// HistoryStore: Parlo's conversation history in one SQLite file, on one connection.
//
// It is synchronous and not thread-safe: each thread owns its own store. The GUI reaches it
// through HistoryService (one writer thread, one reader thread); parlo-cli and tests use it
// directly. Every call returns a StoreResult whose message a user can act on.
#pragma once

#include "history_types.h"
#include "sqlite_connection.h"
#include "store_error.h"

#include <QString>

#include <memory>

namespace parlo::storage {

class WriterToken;

struct OpenOptions
{
    bool create = true;
    // A damaged file is renamed to "<name>.corrupt-<timestamp>" and a fresh one started. Off:
    // the open fails with ErrorKind::Corrupt instead.
    bool recoverCorrupt = true;
    // Read-only connections (HistoryService's reader, parlo-cli's read commands) open the file
    // with SQLITE_OPEN_READONLY: no migration on disk, no crash recovery, nothing created. An
    // older schema is upgraded in a private in-memory copy.
    bool readOnly = false;
    // Leave "<name>.needs-check" beside a file that showed damage. Read commands leave nothing.
    bool markDamage = true;
    int busyTimeoutMs = 5000;
    // Files up to this size get a full quick_check on every open (~15 ms per MiB). Larger ones
    // get it when the previous session met damage (it leaves "<name>.needs-check"); otherwise
    // the header, the file length and the conversation list are checked, and damage deeper
    // in is reported when read, then set aside at the next open.
    qint64 fullCheckBelowBytes = 16 * 1024 * 1024;
};

class HistoryStore
{
public:
    HistoryStore();
    ~HistoryStore();
    HistoryStore(const HistoryStore &) = delete;
    HistoryStore &operator=(const HistoryStore &) = delete;

    // <AppDataLocation>/history.sqlite
    static QString defaultPath();
    static int schemaVersion();

    // Opens (creating, migrating, recovering) the database at `path`. Refuses a newer schema
    // and leaves that file untouched. Marks messages left 'streaming' by a crash as interrupted.
    StoreResult<OpenReport> open(const QString &path, const OpenOptions &options = {});
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QString path() const { return m_path; }
    // Caps the file at `pages` pages (0: no cap). Past it, writes fail as a full disk would:
    // tests use it to exercise ErrorKind::DiskFull.
    StoreResult<void> setPageLimit(qint64 pages);

    // Folders. Deleting a folder keeps its conversations (they move to no folder).
    StoreResult<Folder> createFolder(const QString &name);
    StoreResult<void> renameFolder(qint64 folderId, const QString &name);
    StoreResult<void> deleteFolder(qint64 folderId);
    StoreResult<QList<Folder>> folders();

    // Conversations.
    StoreResult<Conversation> createConversation(const NewConversation &settings = {});
    StoreResult<void> renameConversation(qint64 conversationId, const QString &title);
    StoreResult<void> setPinned(qint64 conversationId, bool pinned);
    StoreResult<void> moveToFolder(qint64 conversationId, qint64 folderId); // 0: no folder
    StoreResult<void> setConversationSettings(qint64 conversationId, const QString &systemPrompt,
                                              const QString &model, const QJsonObject &sampling);
    StoreResult<void> deleteConversation(qint64 conversationId);
    // Pinned first, then most recently updated.
    StoreResult<QList<ConversationSummary>> listConversations(const ListQuery &query = {});
    StoreResult<qint64> conversationCount();
    StoreResult<Conversation> conversation(qint64 conversationId);
    // Every conversation, oldest first (for "export all").
    StoreResult<QList<Conversation>> allConversations();

    // Messages. A new message becomes the active child of its parent (or the active root).
    // The first user message of an untitled conversation gives it its title.
    StoreResult<Message> addMessage(qint64 conversationId, qint64 parentId, Role role,
                                    const QString &content);
    // Creates the assistant row before the first token, in state 'streaming'.
    StoreResult<Message> beginAssistantMessage(qint64 conversationId, qint64 parentId,
                                               const GenerationInfo &info);
    StoreResult<void> updateStreamingContent(qint64 messageId, const QString &content);
    StoreResult<void> finishMessage(qint64 messageId, const QString &content, const GenerationInfo &info);
    // A new sibling of `messageId` (an edit of a user message, say), made active.
    StoreResult<Message> branchFrom(qint64 messageId, const QString &content);
    // Shows the branch through `messageId`: it becomes the active child of its parent.
    StoreResult<void> switchToBranch(qint64 messageId);
    // Deletes the message and everything below it; the parent shows its newest remaining child.
    StoreResult<void> deleteMessageSubtree(qint64 messageId);
    // Ends every 'streaming' message whose writer is gone (its WriterToken is no longer held)
    // as interrupted, keeping its text. Answers other processes are still writing are left
    // alone. open() calls it.
    StoreResult<int> recoverInterrupted();
    // This store's writer token id (empty when read-only or when no token could be taken).
    QString writerId() const;

    // Full-text search over message text and titles, best first (bm25), with snippets.
    StoreResult<QList<SearchHit>> search(const QString &text, int limit = 50);

    // Adds conversations read from our JSON export. A conversation whose uuid is already here
    // is skipped, so importing twice changes nothing.
    StoreResult<ImportReport> importConversations(const QList<Conversation> &conversations);

private:
    StoreResult<void> configure(const OpenOptions &options);
    StoreResult<OpenReport> openChecked(const QString &path, const OpenOptions &options);
    StoreResult<QString> setAsideCorrupt(const QString &path);
    StoreResult<void> checkIntegrity(const QString &path, const OpenOptions &options);
    StoreResult<void> touchConversation(qint64 conversationId);
    StoreResult<Message> insertMessage(qint64 conversationId, qint64 parentId, Role role,
                                       const QString &content, MessageState state,
                                       const GenerationInfo *info);
    StoreResult<void> writeGeneration(qint64 messageId, const GenerationInfo &info);
    StoreResult<void> setActive(qint64 conversationId, qint64 parentId, qint64 childId);
    StoreResult<ConversationSummary> summary(qint64 conversationId);
    StoreResult<QList<Message>> messagesOf(qint64 conversationId);
    StoreResult<qint64> importOne(const Conversation &conversation);
    StoreError notFound(const char *what, qint64 id) const;
    StoreError describe(const StoreError &error, const QString &action) const;

    Connection m_db;
    QString m_path;
    bool m_readOnly = false;
    bool m_markDamage = true;
    std::unique_ptr<WriterToken> m_writer;
};

} // namespace parlo::storage
