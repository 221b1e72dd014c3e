// A fixed pool of worker threads for the CPU backend. run(fn) splits a job into chunks that
// the caller and the workers take from a shared counter, so when the machine is busy and a
// worker is not scheduled, the threads that are running do its share instead of waiting.
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
    // fn(chunk, nChunks, thread): handles chunk `chunk` of nChunks; `thread` (< size()) names
    // the thread, for per-thread scratch.
    using Job = std::function<void(unsigned chunk, unsigned nChunks, unsigned thread)>;

    // n_threads total, the caller included; 0 means the hardware's core count.
    explicit ThreadPool(unsigned n_threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    unsigned size() const { return m_nThreads; }
    // Returns when every chunk is done. nChunks 0: four per thread.
    void run(const Job &fn, unsigned nChunks = 0);

    // [begin, end) of `count` items for chunk ith of nth, in contiguous even parts.
    static void split(size_t count, unsigned ith, unsigned nth, size_t &begin, size_t &end)
    {
        const size_t per = (count + nth - 1) / nth;
        begin = std::min(count, per * ith);
        end = std::min(count, begin + per);
    }

    static unsigned hardwareThreads();

private:
    void workerLoop(unsigned thread);
    void drain(unsigned thread);

    unsigned m_nThreads = 1;
    std::vector<std::thread> m_workers;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    const Job *m_job = nullptr;      // guarded by m_mutex; null when no job is open
    unsigned m_nChunks = 0;
    std::atomic<unsigned> m_next{0}; // next chunk to take
    std::atomic<unsigned> m_done{0}; // chunks finished
    std::atomic<unsigned> m_active{0}; // workers inside drain()
    std::atomic<uint64_t> m_generation{0};
    bool m_stop = false;
};

} // namespace parlo::cpu
