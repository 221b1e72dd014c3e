// Options shared by the engine subcommands (generate, eval, perplexity, bench).
#pragma once

#include "parlo/engine.h"
#include "parlo/result.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace parlo::cli {

struct EngineOptions
{
    QCommandLineOption model{"model", "GGUF model file.", "file"};
    QCommandLineOption device{"device", "Device: auto, cpu or vulkan (default: PARLO_DEVICE, else auto).", "device"};
    QCommandLineOption threads{"threads", "CPU threads (default: one per hardware thread).", "n"};
    QCommandLineOption ctx{"ctx", "Context length (default: the trained length, capped at it).", "n"};
    QCommandLineOption kvType{"kv-type", "KV cache type: f16 (default) or f32.", "type"};

    void addTo(QCommandLineParser &parser) const;
    // Loads the model with the options given; prints the error and returns null on failure.
    // `deviceOverride` replaces --device (bench runs one model on several devices).
    std::unique_ptr<Engine> load(const QCommandLineParser &parser, uint32_t defaultCtx = 0,
                                 const std::optional<QString> &deviceOverride = std::nullopt) const;
};

// "1 2 3" → ids; an error names the first word that is not an integer.
Result<std::vector<int32_t>> parseTokenIds(const QString &text);

} // namespace parlo::cli
