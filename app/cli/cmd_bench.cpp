// parlo-cli bench: prefill and decode speed, and decode's achieved weight bandwidth against
// the machine's measured memory-copy bandwidth.
#include "cli_command.h"
#include "cli_engine_options.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <thread>

namespace {

// Copy bandwidth with `threads` threads over 256 MiB buffers, best of 5, counted as STREAM
// does: bytes read plus bytes written per second.
double measureCopyBandwidth(unsigned threads)
{
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

struct Summary
{
    double mean = 0, sd = 0;
};

Summary summarise(const std::vector<double> &v)
{
    Summary s;
    for (double x : v)
        s.mean += x;
    s.mean /= double(v.size());
    for (double x : v)
        s.sd += (x - s.mean) * (x - s.mean);
    s.sd = v.size() > 1 ? std::sqrt(s.sd / double(v.size() - 1)) : 0.0;
    return s;
}

int runBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Measure prefill and decode speed on random tokens.");
    parlo::cli::EngineOptions engineOptions;
    engineOptions.addTo(parser);
    const QCommandLineOption prompt("p", "Prompt tokens (default 512).", "n");
    const QCommandLineOption gen("n", "Generated tokens (default 128).", "n");
    const QCommandLineOption reps("repetitions", "Repetitions (default 3).", "r");
    parser.addOptions({prompt, gen, reps});
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;
    const int p = parser.isSet(prompt) ? parser.value(prompt).toInt() : 512;
    const int n = parser.isSet(gen) ? parser.value(gen).toInt() : 128;
    const int r = parser.isSet(reps) ? parser.value(reps).toInt() : 3;
    if (p < 1 || n < 2 || r < 1) {
        parlo::cli::printError("-p must be at least 1, -n at least 2, --repetitions at least 1");
        return 2;
    }
    auto engine = engineOptions.load(parser, uint32_t(p + n + 1));
    if (!engine)
        return 1;
    const parlo::ModelDescription &d = engine->describe();
    std::printf("model: %s (%s), %.1fM parameters, %.1f MiB of weights [%s]\n", d.path.c_str(), d.architecture.c_str(),
                double(d.n_params) / 1e6, double(d.weightBytes) / 1048576.0, d.weightTypes.c_str());
    std::printf("backend: %s — %s; KV cache %s\n", d.backend.c_str(), d.deviceReason.c_str(),
                d.kvType == parlo::TensorType::F16 ? "F16" : "F32");

    std::mt19937 rng(7);
    std::uniform_int_distribution<int32_t> pick(0, int32_t(d.n_vocab) - 1);
    std::vector<double> prefill, decode;
    for (int rep = 0; rep < r; ++rep) {
        std::vector<int32_t> tokens(static_cast<size_t>(p));
        for (auto &t : tokens)
            t = pick(rng);
        parlo::GenerateRequest req;
        req.prompt = {parlo::PromptSegment{parlo::PromptSegment::Role::Turn, tokens}};
        req.maxTokens = n;
        req.sampling.temperature = 0.0f;
        req.ignoreEos = true;
        engine->reset();
        auto stats = engine->generate(req, {});
        if (!stats) {
            parlo::cli::printError(QString::fromStdString(stats.error().message));
            return 1;
        }
        prefill.push_back(stats->prefillTokensPerSecond);
        decode.push_back(stats->decodeTokensPerSecond);
    }
    const Summary pf = summarise(prefill), dc = summarise(decode);
    const double gbps = dc.mean * double(d.decodeBytesPerToken) / 1e9;
    std::printf("prefill: %.1f ± %.1f tokens/s (%d tokens, %d runs)\n", pf.mean, pf.sd, p, r);
    std::printf("decode: %.2f ± %.2f tokens/s (%d tokens)\n", dc.mean, dc.sd, n);
    std::printf("decode weight bandwidth: %.2f GB/s (%.1f MiB of weights per token)\n", gbps,
                double(d.decodeBytesPerToken) / 1048576.0);
    if (d.backend.rfind("CPU", 0) == 0) {
        // The same number of threads as the engine, so the ratio compares like with like.
        const unsigned threads = parser.isSet(engineOptions.threads) ? parser.value(engineOptions.threads).toUInt()
                                                                      : std::max(1u, std::thread::hardware_concurrency());
        const double copy = measureCopyBandwidth(threads);
        std::printf("memory copy bandwidth: %.2f GB/s (read + write, %u threads); decode reaches %.0f%% of it\n", copy,
                    threads, 100.0 * gbps / copy);
    }
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("bench", "Measure prefill and decode speed and decode bandwidth", runBench);
