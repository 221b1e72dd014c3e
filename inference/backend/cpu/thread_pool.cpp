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
// Decode dispatches a few hundred small ops per token; spinning a little before sleeping
// keeps the wake-up off the critical path without burning a core when idle.
constexpr int k_spinIterations = 4000;
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
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_generation.fetch_add(1);
    }
    m_wake.notify_all();
    for (auto &t : m_workers)
        t.join();
}

void ThreadPool::drain(unsigned thread)
{
    for (;;) {
        const unsigned chunk = m_next.fetch_add(1, std::memory_order_acq_rel);
        if (chunk >= m_nChunks)
            return;
        (*m_job)(chunk, m_nChunks, thread);
        m_done.fetch_add(1, std::memory_order_acq_rel);
    }
}

void ThreadPool::run(const Job &fn, unsigned nChunks)
{
    if (nChunks == 0)
        nChunks = m_nThreads * 4;
    if (m_nThreads == 1) {
        for (unsigned c = 0; c < nChunks; ++c)
            fn(c, nChunks, 0);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_job = &fn;
        m_nChunks = nChunks;
        m_next.store(0);
        m_done.store(0);
        m_generation.fetch_add(1);
    }
    m_wake.notify_all();
    drain(0);
    while (m_done.load(std::memory_order_acquire) < nChunks)
        PARLO_CPU_RELAX();
    // Close the job; a worker that joined is at most finishing its failed fetch.
    {
        std::lock_guard lock(m_mutex);
        m_job = nullptr;
    }
    while (m_active.load(std::memory_order_acquire) != 0)
        PARLO_CPU_RELAX();
}

void ThreadPool::workerLoop(unsigned thread)
{
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (m_generation.load(std::memory_order_acquire) == seen && spins < k_spinIterations) {
            PARLO_CPU_RELAX();
            ++spins;
        }
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_generation.load() != seen; });
            seen = m_generation.load();
            if (m_stop)
                return;
            if (!m_job)
                continue; // woke after the job closed: the others did the work
            m_active.fetch_add(1);
        }
        drain(thread);
        m_active.fetch_sub(1, std::memory_order_release);
    }
}

} // namespace parlo::cpu
