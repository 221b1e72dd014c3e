// StoreAccess: where a ChatRecorder's writes go. DirectStoreAccess runs them on the calling
// thread (parlo-cli, tests); HistoryService runs them on its single writer thread.
#pragma once

#include <functional>

namespace parlo::storage {

class HistoryStore;

class StoreAccess
{
public:
    virtual ~StoreAccess() = default;
    // Runs `job` against the writer's store. With `wait`, returns after it ran; otherwise it is
    // queued and runs in order with every other write.
    virtual void write(std::function<void(HistoryStore &)> job, bool wait) = 0;
};

class DirectStoreAccess : public StoreAccess
{
public:
    explicit DirectStoreAccess(HistoryStore &store) : m_store(store) {}
    void write(std::function<void(HistoryStore &)> job, bool) override { job(m_store); }

private:
    HistoryStore &m_store;
};

} // namespace parlo::storage
