// The history's value types: plain structs the store returns and the UI wraps in list models.
// Ids are SQLite rowids (> 0); 0 means "none". A message kept only in memory, because a write
// failed, has a negative id.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace parlo::storage {

enum class Role
{
    System,
    User,
    Assistant
};
// Streaming: the row exists and is being written; Done: final (whatever the finish reason).
enum class MessageState
{
    Streaming,
    Done
};
enum class FinishReason
{
    None,
    Stop,
    Length,
    User,
    Error,
    Interrupted
};

QString roleName(Role role);
std::optional<Role> roleFromName(const QString &name);
QString finishReasonName(FinishReason reason); // "" for None
std::optional<FinishReason> finishReasonFromName(const QString &name);

// What produced an assistant message, as the engine reports it.
struct GenerationInfo
{
    QString modelFile;    // file name, no folder
    QString modelSha256;  // hex prefix (16 characters is plenty to tell files apart)
    QString quantization; // "Q4_K_M"
    QString device;       // "Vulkan: AMD Radeon 780M" or "CPU"
    QJsonObject sampler;  // temperature, top_k, top_p, min_p, penalties …
    std::optional<qint64> seed;
    std::optional<qint64> promptTokens;
    std::optional<qint64> generatedTokens;
    std::optional<double> timeToFirstTokenMs;
    std::optional<double> prefillTokensPerSecond;
    std::optional<double> decodeTokensPerSecond;
    FinishReason finishReason = FinishReason::None;
    QString errorMessage; // with FinishReason::Error

    bool operator==(const GenerationInfo &) const = default;
};

struct Message
{
    qint64 id = 0;
    qint64 conversationId = 0;
    qint64 parentId = 0;      // 0: a root (the first message, or an edit of it)
    qint64 activeChildId = 0; // the branch shown below this message; 0: the newest child
    Role role = Role::User;
    QString content;
    QDateTime createdAt;
    MessageState state = MessageState::Done;
    std::optional<GenerationInfo> generation;

    bool isPersisted() const { return id > 0; }
};

struct Folder
{
    qint64 id = 0;
    QString name;
    QDateTime createdAt;
};

// One row of the conversation list.
struct ConversationSummary
{
    qint64 id = 0;
    QString uuid;
    QString title;
    bool titleIsAuto = true;
    QDateTime createdAt;
    QDateTime updatedAt;
    bool pinned = false;
    qint64 folderId = 0;
    QString model;
    qint64 messageCount = 0;
};

// A whole conversation: every message of every branch.
struct Conversation : ConversationSummary
{
    QString folderName;
    QString systemPrompt;
    QJsonObject sampling;
    qint64 activeRootId = 0; // 0: the newest root
    QList<Message> messages; // parents before children, then by creation

    const Message *message(qint64 id) const;
    Message *message(qint64 id);
    QList<const Message *> children(qint64 parentId) const; // parentId 0: roots
    // Siblings including the message itself, oldest first (for "2 / 3" branch switchers).
    QList<const Message *> siblings(qint64 messageId) const;
    // The branch on screen: from the active root down through each active child.
    QList<const Message *> activePath() const;
    // The last message of the active path, or 0 when empty.
    qint64 activeLeafId() const;
};

// Settings given when a conversation starts.
struct NewConversation
{
    QString title; // empty: auto-titled from the first user message
    QString systemPrompt;
    QString model;
    QJsonObject sampling;
    qint64 folderId = 0;
};

struct ListQuery
{
    std::optional<qint64> folderId; // unset: all; 0: those in no folder
    int limit = 200;
    int offset = 0;
};

struct SearchHit
{
    qint64 conversationId = 0;
    qint64 messageId = 0; // 0: the hit is in the title
    QString conversationTitle;
    Role role = Role::User;
    // Snippet with matches between kMatchStart and kMatchEnd; see snippetWith()/snippetHtml().
    QString snippet;
    double rank = 0; // bm25: lower is better

    static constexpr QChar kMatchStart = QChar(0x2);
    static constexpr QChar kMatchEnd = QChar(0x3);
    QString snippetWith(const QString &open, const QString &close) const;
    QString snippetHtml() const; // escaped, matches in <b>…</b>
};

// Sentences for the user about what happened while opening.
struct OpenReport
{
    QString path;
    int previousVersion = 0; // 0: the file was new
    int schemaVersion = 0;
    QString corruptCopyPath; // set when a damaged file was moved aside
    int interruptedMessages = 0;
    QStringList notices;
};

struct ImportReport
{
    int imported = 0;
    int skipped = 0; // already present (same uuid)
    QList<qint64> conversationIds;
};

// "Plan a trip to Lisbon in May…" from a first user message.
QString autoTitle(const QString &firstUserMessage);

} // namespace parlo::storage
