// HistoryService: the history for the GUI. One writer thread owns the only read-write
// connection, so writes are serialised; a reader thread has its own connection, so with WAL a
// long write never delays a list, an open or a search. Nothing here blocks the calling thread:
// every call returns a QFuture (use .then(context, …) or a QFutureWatcher).
#pragma once

#include "history_store.h"
#include "store_access.h"
#include "store_thread.h"

#include <QFuture>
#include <QObject>

namespace parlo::storage {

class HistoryService : public QObject, public StoreAccess
{
    Q_OBJECT

public:
    explicit HistoryService(QObject *parent = nullptr);
    ~HistoryService() override;

    // Opens the writer (creating, migrating, recovering), then the reader. Notices (a damaged
    // file set aside, answers cut off by a crash) also arrive through notice().
    QFuture<StoreResult<OpenReport>> open(const QString &path, const OpenOptions &options = {});

    template <typename F> auto read(F job) { return m_reader.post(std::move(job)); }
    template <typename F> auto writeAsync(F job)
    {
        return m_writer.post([this, job = std::move(job)](HistoryStore &store) mutable {
            auto result = job(store);
            if (result.ok())
                emit changed();
            else
                emit writeFailed(result.error().message);
            return result;
        });
    }

    // Runs `job` on the writer thread, after every write queued before it: for a caller that
    // posts its writes without waiting and must read them back (SqliteConversationRepository).
    template <typename F> auto readAfterWrites(F job) { return m_writer.post(std::move(job)); }
    // Returns once every write queued so far has run (shutdown, tests).
    void waitForWrites();

    QFuture<StoreResult<QList<ConversationSummary>>> listConversations(const ListQuery &query = {});
    QFuture<StoreResult<Conversation>> conversation(qint64 conversationId);
    QFuture<StoreResult<QList<SearchHit>>> search(const QString &text, int limit = 50);
    QFuture<StoreResult<QList<Folder>>> folders();

    // StoreAccess, for a ChatRecorder on the chat worker's thread.
    void write(std::function<void(HistoryStore &)> job, bool wait) override;

signals:
    void notice(const QString &text);
    void changed();
    void writeFailed(const QString &message);

private:
    StoreThread m_writer{QStringLiteral("parlo-history-writer")};
    StoreThread m_reader{QStringLiteral("parlo-history-reader")};
};

} // namespace parlo::storage
