// Time to map and parse GGUF files (header, metadata, tensor infos; no tensor data read).
// Usage: parlo_bench_gguf_parse FILE...   (best of 20 runs per file)
#include "parlo/gguf.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: parlo_bench_gguf_parse FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; ++i) {
        double best = 1e9;
        size_t keys = 0, tensors = 0, bytes = 0;
        for (int rep = 0; rep < 20; ++rep) {
            const auto start = std::chrono::steady_clock::now();
            auto file = parlo::gguf::File::open(argv[i]);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (!file) {
                std::fprintf(stderr, "%s\n", file.error().message.c_str());
                return 1;
            }
            best = std::min(best, s);
            keys = (*file)->metadata().size();
            tensors = (*file)->tensors().size();
            bytes = size_t((*file)->dataOffset());
        }
        std::printf("%-60s %8.3f ms  (%zu keys, %zu tensors, %zu header bytes)\n", argv[i], best * 1e3, keys, tensors,
                    bytes);
    }
    return 0;
}
