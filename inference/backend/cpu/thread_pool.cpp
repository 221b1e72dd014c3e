#include "thread_pool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PARLO_CPU_RELAX() _mm_pause()
#else
#define PARLO_CPU_RELAX() std::this_thread::yield()
#endif

namespace parlo::cpu {

namespace {
// Decode dispatches a few hundred small ops per token with short single-threaded gaps
// between them; spinning a little before sleeping keeps the wake-up off the critical path
// without burning a core when idle.
constexpr int k_spinIterations = 20000;
// The caller, waiting for the last chunks, yields after this many spins: on an oversubscribed
// machine the worker it waits for may need this very core to finish.
constexpr int k_spinBeforeYield = 2000;
} // namespace

unsigned ThreadPool::hardwareThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

ThreadPool::ThreadPool(unsigned n_threads)
{
    m_nThreads = n_threads == 0 ? hardwareThreads() : n_threads;
    m_nThreads = std::clamp(m_nThreads, 1u, 256u);
    for (unsigned i = 1; i < m_nThreads; ++i)
        m_workers.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool()
{
    m_stop.store(true);
    m_state.fetch_add(2); // a new generation wakes everyone; closed, so nobody joins
    {
        std::lock_guard lock(m_mutex);
    }
    m_wake.notify_all();
    for (auto &t : m_workers)
        t.join();
}

void ThreadPool::drain(unsigned thread)
{
    const unsigned nChunks = m_nChunks;
    for (;;) {
        const unsigned chunk = m_next.fetch_add(1, std::memory_order_relaxed);
        if (chunk >= nChunks)
            return;
        (*m_job)(chunk, nChunks, thread);
        m_pending.fetch_sub(1, std::memory_order_release);
    }
}

void ThreadPool::run(Job fn, unsigned nChunks)
{
    if (nChunks == 0)
        nChunks = m_nThreads * k_chunksPerThread;
    if (m_nThreads == 1) {
        for (unsigned c = 0; c < nChunks; ++c)
            fn(c, nChunks, 0);
        return;
    }
    m_job = &fn;
    m_nChunks = nChunks;
    m_next.store(0, std::memory_order_relaxed);
    m_pending.store(nChunks, std::memory_order_relaxed);
    const uint64_t open = ((m_state.load(std::memory_order_relaxed) >> 1) + 1) << 1 | 1;
    m_state.store(open); // seq_cst: pairs with m_sleeping below and with the workers' m_active
    if (m_sleeping.load() != 0) {
        {
            std::lock_guard lock(m_mutex); // a worker between its check and its wait sees the new state
        }
        m_wake.notify_all();
    }
    drain(0);
    int spins = 0;
    while (m_pending.load(std::memory_order_acquire) != 0) {
        if (++spins < k_spinBeforeYield)
            PARLO_CPU_RELAX();
        else
            std::this_thread::yield();
    }
    m_state.store(open & ~uint64_t(1)); // close: late workers see it and do not join
    while (m_active.load() != 0)
        PARLO_CPU_RELAX();
}

void ThreadPool::workerLoop(unsigned thread)
{
    uint64_t seen = 0; // the constructor's generation: run() or the destructor may come before this thread starts
    for (;;) {
        int spins = 0;
        while ((m_state.load(std::memory_order_acquire) >> 1) == seen && spins < k_spinIterations) {
            PARLO_CPU_RELAX();
            ++spins;
        }
        if ((m_state.load() >> 1) == seen) {
            std::unique_lock lock(m_mutex);
            m_sleeping.fetch_add(1);
            m_wake.wait(lock, [&] { return (m_state.load() >> 1) != seen; });
            m_sleeping.fetch_sub(1);
        }
        if (m_stop.load())
            return;
        m_active.fetch_add(1);
        const uint64_t state = m_state.load();
        seen = state >> 1;
        if (state & 1)
            drain(thread);
        m_active.fetch_sub(1, std::memory_order_release);
    }
}

} // namespace parlo::cpu
