#include "core/mapping_guard.h"

#include <atomic>
#include <csignal>
#include <cstdint>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

namespace parlo::core {

namespace {

// One slot per mapped model file; 64 is far more than the app ever holds open at once.
constexpr int k_slots = 64;

enum SlotState : int { Free = 0, Busy = 1, Active = 2 };

struct Slot
{
    std::atomic<int> state{Free};
    std::atomic<uintptr_t> begin{0};
    std::atomic<uintptr_t> end{0};
    std::atomic<bool> lost{false};
};

Slot g_slots[k_slots];
struct sigaction g_previous{};
uintptr_t g_pageSize = 4096;
std::once_flag g_installOnce;

static_assert(std::atomic<uintptr_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the SIGBUS handler needs lock-free atomics");

// What the handler does with a fault that is not ours: the action that was there before.
void forward(int sig, siginfo_t *info, void *context)
{
    if ((g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_sigaction) {
        g_previous.sa_sigaction(sig, info, context);
        return;
    }
    if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
        g_previous.sa_handler(sig);
        return;
    }
    // Default (or ignored, which for a real fault would loop forever): die of SIGBUS as if we
    // had never been here. The raised signal is blocked until this handler returns.
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(sig, &dfl, nullptr);
    ::raise(sig);
}

void onSigbus(int sig, siginfo_t *info, void *context)
{
    // Only faults the kernel raised for an access carry an address worth looking at.
    if (info && info->si_code > 0) {
        const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
        for (Slot &slot : g_slots) {
            if (slot.state.load(std::memory_order_acquire) != Active)
                continue;
            const uintptr_t begin = slot.begin.load(std::memory_order_relaxed);
            const uintptr_t end = slot.end.load(std::memory_order_relaxed);
            if (addr < begin || addr >= end)
                continue;
            // From the faulting page to the end of the range: a truncation loses the file's
            // tail, so one fault instead of one per page (a GB is 262,144 pages).
            const uintptr_t page = addr & ~(g_pageSize - 1);
            const uintptr_t stop = (end + g_pageSize - 1) & ~(g_pageSize - 1);
            void *zeros = ::mmap(reinterpret_cast<void *>(page), stop - page, PROT_READ,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
            if (zeros == MAP_FAILED)
                break; // cannot repair: die as before rather than loop on the fault
            slot.lost.store(true, std::memory_order_release);
            return;
        }
    }
    forward(sig, info, context);
}

void install()
{
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    if (pageSize > 0)
        g_pageSize = uintptr_t(pageSize);
    struct sigaction action{};
    action.sa_sigaction = onSigbus;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, &g_previous);
}

} // namespace

int guardMapping(const void *base, size_t size)
{
    if (!base || size == 0)
        return -1;
    std::call_once(g_installOnce, install);
    for (int i = 0; i < k_slots; ++i) {
        Slot &slot = g_slots[i];
        int expected = Free;
        if (!slot.state.compare_exchange_strong(expected, Busy, std::memory_order_acq_rel))
            continue;
        slot.begin.store(reinterpret_cast<uintptr_t>(base), std::memory_order_relaxed);
        slot.end.store(reinterpret_cast<uintptr_t>(base) + size, std::memory_order_relaxed);
        slot.lost.store(false, std::memory_order_relaxed);
        slot.state.store(Active, std::memory_order_release);
        return i;
    }
    return -1;
}

void unguardMapping(int slot)
{
    if (slot < 0 || slot >= k_slots)
        return;
    Slot &s = g_slots[slot];
    s.state.store(Busy, std::memory_order_release);
    s.begin.store(0, std::memory_order_relaxed);
    s.end.store(0, std::memory_order_relaxed);
    s.lost.store(false, std::memory_order_relaxed);
    s.state.store(Free, std::memory_order_release);
}

bool mappingLost(int slot)
{
    if (slot < 0 || slot >= k_slots)
        return false;
    return g_slots[slot].lost.load(std::memory_order_acquire);
}

} // namespace parlo::core
