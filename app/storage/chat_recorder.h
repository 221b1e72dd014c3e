// ChatRecorder: the narrow API between a chat (parlo-cli chat, the GUI's chat worker) and the
// history. It keeps the conversation in memory and writes through a StoreAccess:
//
//   recorder.startNew(settings) or recorder.resume(conversation)
//   recorder.addUserMessage(text)
//   id = recorder.beginAssistantMessage(info)      // row created, state 'streaming'
//   recorder.appendStreamingText(id, piece) …      // written at most every ~250 ms
//   recorder.finishMessage(id, finalInfo)          // final text + metadata, state 'done'
//
// If a write fails (full disk, read-only file, no store at all) the recorder reports it once
// and carries on in memory: the conversation keeps working, it is just no longer saved.
// One thread uses a recorder; the failure callback may run on the writer's thread.
#pragma once

#include "history_types.h"
#include "store_access.h"
#include "store_error.h"
#include "write_throttle.h"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace parlo::storage {

class ChatRecorder
{
public:
    // `access` may be null: the conversation then lives in memory only, for `reason`.
    explicit ChatRecorder(StoreAccess *access, const QString &memoryOnlyReason = {});
    ~ChatRecorder();

    void startNew(const NewConversation &settings);
    void resume(Conversation conversation);

    // parentId -1: below the last message on screen. Return the message id (negative when the
    // message lives in memory only).
    qint64 addUserMessage(const QString &text, qint64 parentId = -1);
    qint64 beginAssistantMessage(const GenerationInfo &info, qint64 parentId = -1);
    void appendStreamingText(qint64 messageId, QStringView piece);
    void finishMessage(qint64 messageId, const GenerationInfo &info);

    const Conversation &conversation() const { return m_conversation; }
    bool isPersistent() const;
    std::optional<StoreError> storageError() const;
    // Called once, when saving first fails.
    void setStorageErrorHandler(std::function<void(const StoreError &)> handler);
    // Tests replace the clock; the GUI may tune the interval.
    void setThrottle(int intervalMs, WriteThrottle::Clock clock = {});
    int writesIssued() const { return m_writesIssued; }

private:
    struct Shared
    {
        mutable std::mutex mutex;
        std::optional<StoreError> error;
        std::function<void(const StoreError &)> handler;
        void fail(const StoreError &e);
        bool failed() const;
    };

    bool canWrite() const;
    qint64 resolveParent(qint64 parentId) const;
    Message &appendInMemory(Message message);
    qint64 nextMemoryId() { return m_nextMemoryId--; }

    StoreAccess *m_access;
    std::shared_ptr<Shared> m_shared = std::make_shared<Shared>();
    Conversation m_conversation;
    WriteThrottle m_throttle;
    qint64 m_streamingId = 0;
    qint64 m_nextMemoryId = -1;
    int m_writesIssued = 0;
};

} // namespace parlo::storage
