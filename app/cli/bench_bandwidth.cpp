#include "bench_bandwidth.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

namespace parlo::cli {

double measureCopyBandwidth(unsigned threads)
{
    threads = std::max(1u, threads);
    const size_t bytes = size_t(256) << 20;
    std::unique_ptr<char[]> src(new char[bytes]), dst(new char[bytes]);
    std::memset(src.get(), 1, bytes);
    std::memset(dst.get(), 0, bytes);
    double best = 0.0;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        const size_t per = bytes / threads;
        for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back([&, t] { std::memcpy(dst.get() + t * per, src.get() + t * per, per); });
        for (auto &t : pool)
            t.join();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::max(best, 2.0 * double(bytes) / s / 1e9);
    }
    return best;
}

std::optional<double> knownGpuBandwidth(std::string_view name)
{
    // Vendor datasheet peaks. More specific names come first (H100 NVL before H100 PCIe, …).
    static const std::pair<std::string_view, double> table[] = {
        {"H200", 4800.0},         {"H100 NVL", 3900.0},     {"H100 PCIe", 2000.0},
        {"H100", 3350.0},         {"A100-SXM4-80GB", 2039.0}, {"A100 80GB PCIe", 1935.0},
        {"A100", 1555.0},         {"L40S", 864.0},          {"L4", 300.0},
        {"RTX 4090", 1008.0},     {"RTX 4080", 717.0},      {"RTX 3090", 936.0},
        {"RTX 3080", 760.0},      {"RX 7900 XTX", 960.0},   {"RX 7900 XT", 800.0},
        {"RX 6900 XT", 512.0},    {"Arc A770", 560.0},
    };
    for (const auto &[key, gbps] : table) {
        if (name.find(key) != std::string_view::npos)
            return gbps;
    }
    return std::nullopt;
}

} // namespace parlo::cli
