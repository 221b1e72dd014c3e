// parlo-cli bench: prefill and decode speed, and decode's achieved weight bandwidth against
// the machine's measured memory-copy bandwidth.
#include "cli_command.h"
#include "bench_bandwidth.h"
#include "cli_engine_options.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <thread>

namespace {

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

struct BenchResult
{
    QString device;
    std::string backend;
    Summary prefill, decode;
    double decodeGBps = 0.0;
};

// Loads the model on `device` and measures it; prints its own section. Null on failure.
std::optional<BenchResult> benchOnDevice(const QCommandLineParser &parser, const parlo::cli::EngineOptions &engineOptions,
                                         const QString &device, int p, int n, int r)
{
    auto engine = engineOptions.load(parser, uint32_t(p + n + 1),
                                     device.isEmpty() ? std::nullopt : std::optional<QString>(device));
    if (!engine)
        return std::nullopt;
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
            return std::nullopt;
        }
        prefill.push_back(stats->prefillTokensPerSecond);
        decode.push_back(stats->decodeTokensPerSecond);
    }
    BenchResult result{device.isEmpty() ? QStringLiteral("default") : device, d.backend, summarise(prefill),
                       summarise(decode), 0.0};
    result.decodeGBps = result.decode.mean * double(d.decodeBytesPerToken) / 1e9;
    std::printf("prefill: %.1f ± %.1f tokens/s (%d tokens, %d runs)\n", result.prefill.mean, result.prefill.sd, p, r);
    std::printf("decode: %.2f ± %.2f tokens/s (%d tokens)\n", result.decode.mean, result.decode.sd, n);
    std::printf("decode weight bandwidth: %.2f GB/s (%.1f MiB of weights per token)\n", result.decodeGBps,
                double(d.decodeBytesPerToken) / 1048576.0);
    if (d.backend.rfind("CPU", 0) == 0) {
        // The same number of threads as the engine, so the ratio compares like with like.
        const unsigned threads = parser.isSet(engineOptions.threads) ? parser.value(engineOptions.threads).toUInt()
                                                                      : std::max(1u, std::thread::hardware_concurrency());
        const double copy = parlo::cli::measureCopyBandwidth(threads);
        std::printf("memory copy bandwidth: %.2f GB/s (read + write, %u threads); decode reaches %.0f%% of it\n", copy,
                    threads, 100.0 * result.decodeGBps / copy);
    } else if (auto peak = parlo::cli::knownGpuBandwidth(d.backend)) {
        std::printf("device memory bandwidth: %.0f GB/s (datasheet); decode reaches %.0f%% of it\n", *peak,
                    100.0 * result.decodeGBps / *peak);
    }
    return result;
}

int runBench(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Measure prefill and decode speed on random tokens. --device takes a "
                                     "comma-separated list (e.g. cpu,vulkan) to compare devices in one run.");
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
    const QStringList devices = parser.isSet(engineOptions.device)
                                    ? parser.value(engineOptions.device).split(',', Qt::SkipEmptyParts)
                                    : QStringList{QString()};
    std::vector<BenchResult> results;
    for (const QString &device : devices) {
        if (devices.size() > 1)
            std::printf("== %s\n", qPrintable(device));
        auto result = benchOnDevice(parser, engineOptions, device.trimmed(), p, n, r);
        if (!result)
            return 1;
        results.push_back(*result);
    }
    if (results.size() > 1) {
        std::printf("\n%-10s %16s %16s %12s  %s\n", "device", "prefill tok/s", "decode tok/s", "decode GB/s", "backend");
        for (const auto &res : results)
            std::printf("%-10s %16.1f %16.2f %12.2f  %s\n", qPrintable(res.device), res.prefill.mean, res.decode.mean,
                        res.decodeGBps, res.backend.c_str());
    }
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("bench", "Measure prefill and decode speed and decode bandwidth", runBench);
