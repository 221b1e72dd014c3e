// StoreThread: one HistoryStore on its own QThread, fed by a queue of jobs. Jobs run in order,
// one at a time; each returns its result through a QFuture.
#pragma once

#include "history_store.h"

#include <QFuture>
#include <QPromise>
#include <QThread>
#include <memory>
#include <type_traits>

namespace parlo::storage {

class StoreThread
{
public:
    explicit StoreThread(const QString &name);
    ~StoreThread(); // closes the store on its thread, then stops the thread
    StoreThread(const StoreThread &) = delete;
    StoreThread &operator=(const StoreThread &) = delete;

    bool isCurrent() const { return QThread::currentThread() == m_thread.get(); }

    template <typename F> auto post(F job) -> QFuture<std::invoke_result_t<F, HistoryStore &>>
    {
        using R = std::invoke_result_t<F, HistoryStore &>;
        auto promise = std::make_shared<QPromise<R>>();
        QFuture<R> future = promise->future();
        promise->start();
        enqueue([promise, job = std::move(job)](HistoryStore &store) mutable {
            if constexpr (std::is_void_v<R>) {
                job(store);
            } else {
                promise->addResult(job(store));
            }
            promise->finish();
        });
        return future;
    }

    // Runs `job` now when already on this thread, else queues it and waits.
    void runAndWait(std::function<void(HistoryStore &)> job);

private:
    void enqueue(std::function<void(HistoryStore &)> job);

    std::unique_ptr<QThread> m_thread;
    std::unique_ptr<QObject> m_context; // lives on m_thread; queued calls run there
    std::unique_ptr<HistoryStore> m_store;
};

} // namespace parlo::storage
