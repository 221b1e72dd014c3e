// A fixed pool of worker threads for the CPU backend. run(fn) calls fn(ith, nth) on every
// thread (the caller is thread 0) and returns when all are done: each op splits its own work
// by ith/nth, as ggml does, so one dispatch costs one wake-up and one barrier.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace parlo::cpu {

class ThreadPool
{
public:
    // n_threads total, the caller included; 0 means the hardware's core count.
    explicit ThreadPool(unsigned n_threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    unsigned size() const { return m_nThreads; }
    void run(const std::function<void(unsigned ith, unsigned nth)> &fn);

    // [begin, end) of `count` items for thread ith of nth, in contiguous even chunks.
    static void split(size_t count, unsigned ith, unsigned nth, size_t &begin, size_t &end)
    {
        const size_t per = (count + nth - 1) / nth;
        begin = std::min(count, per * ith);
        end = std::min(count, begin + per);
    }

    static unsigned hardwareThreads();

private:
    void workerLoop(unsigned ith);

    unsigned m_nThreads = 1;
    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    const std::function<void(unsigned, unsigned)> *m_job = nullptr;
    std::atomic<uint64_t> m_generation{0};
    std::atomic<unsigned> m_pending{0};
    std::atomic<bool> m_stop{false};
};

} // namespace parlo::cpu
