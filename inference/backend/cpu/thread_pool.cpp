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
// Decode dispatches a few hundred small ops per token; spinning this long before sleeping
// keeps the wake-up cost off the critical path without burning a core when idle.
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

void ThreadPool::run(const std::function<void(unsigned, unsigned)> &fn)
{
    if (m_nThreads == 1) {
        fn(0, 1);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_job = &fn;
        m_pending.store(m_nThreads - 1);
        m_generation.fetch_add(1);
    }
    m_wake.notify_all();
    fn(0, m_nThreads);
    while (m_pending.load(std::memory_order_acquire) != 0)
        PARLO_CPU_RELAX();
}

void ThreadPool::workerLoop(unsigned ith)
{
    uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (m_generation.load(std::memory_order_acquire) == seen && spins < k_spinIterations) {
            PARLO_CPU_RELAX();
            ++spins;
        }
        if (m_generation.load(std::memory_order_acquire) == seen) {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_generation.load() != seen; });
        }
        const std::function<void(unsigned, unsigned)> *job = nullptr;
        {
            std::lock_guard lock(m_mutex);
            seen = m_generation.load();
            if (m_stop)
                return;
            job = m_job;
        }
        (*job)(ith, m_nThreads);
        m_pending.fetch_sub(1, std::memory_order_release);
    }
}

} // namespace parlo::cpu
