// A fixed pool of worker threads for the CPU backend. run(fn) splits a job into chunks that
// the caller and the workers take from a shared counter, so when the machine is busy and a
// worker is not scheduled, the threads that are running do its share instead of waiting.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace parlo::cpu {

class ThreadPool
{
public:
    // fn(chunk, nChunks, thread): handles chunk `chunk` of nChunks; `thread` (< size()) names
    // the thread, for per-thread scratch. A non-owning reference to a callable: decode runs a
    // few hundred jobs per token, and std::function would allocate for each.
    class Job
    {
    public:
        template<typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Job>>>
        Job(const F &fn) // NOLINT: implicit on purpose, callers pass lambdas
            : m_object(&fn)
            , m_call([](const void *o, unsigned c, unsigned n, unsigned t) { (*static_cast<const F *>(o))(c, n, t); })
        {
        }
        void operator()(unsigned chunk, unsigned nChunks, unsigned thread) const { m_call(m_object, chunk, nChunks, thread); }

    private:
        const void *m_object;
        void (*m_call)(const void *, unsigned, unsigned, unsigned);
    };

    // n_threads total, the caller included; 0 means the hardware's core count.
    explicit ThreadPool(unsigned n_threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    unsigned size() const { return m_nThreads; }
    // Returns when every chunk is done. nChunks 0: k_chunksPerThread per thread.
    void run(Job fn, unsigned nChunks = 0);

    // Small chunks cost one atomic add each; they matter on a shared machine, where a worker
    // that is preempted holding a chunk makes everyone wait for that chunk.
    static constexpr unsigned k_chunksPerThread = 8;

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
    // m_state = generation << 1 | open. Workers wait for the generation to change, join while
    // the job they saw is still open, and announce themselves in m_active first, so run()
    // never returns while a worker could still read the job.
    alignas(64) std::atomic<uint64_t> m_state{0};
    std::atomic<unsigned> m_active{0};
    std::atomic<unsigned> m_sleeping{0};
    const Job *m_job = nullptr; // set before the state opens a job
    unsigned m_nChunks = 0;
    alignas(64) std::atomic<unsigned> m_next{0};    // next chunk to take
    alignas(64) std::atomic<unsigned> m_pending{0}; // chunks not finished
    std::mutex m_mutex; // only for sleeping workers
    std::condition_variable m_wake;
    std::atomic<bool> m_stop{false};
};

} // namespace parlo::cpu
