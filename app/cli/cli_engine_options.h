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

// The sampling and length options of `generate`, shared with `chat`.
struct GenerationOptions
{
    QCommandLineOption count{QStringList{"n", "n-predict"}, "Tokens to generate (default 128).", "n"};
    QCommandLineOption temp{"temp", "Temperature; 0 is greedy (default 0.8).", "t"};
    QCommandLineOption topK{"top-k", "Top-k (default 40; 0 off).", "k"};
    QCommandLineOption topP{"top-p", "Top-p (default 0.95; 1 off).", "p"};
    QCommandLineOption minP{"min-p", "Min-p (default 0.05; 0 off).", "p"};
    QCommandLineOption repeat{"repeat-penalty", "Repetition penalty (default 1, off).", "x"};
    QCommandLineOption presence{"presence-penalty", "Presence penalty (default 0).", "x"};
    QCommandLineOption frequency{"frequency-penalty", "Frequency penalty (default 0).", "x"};
    QCommandLineOption lastN{"penalty-last-n", "Tokens the penalties look back over (default 64).", "n"};
    QCommandLineOption seed{"seed", "Random seed (default: random).", "s"};
    QCommandLineOption stop{"stop", "Stop when this text is generated (repeatable).", "text"};
    QCommandLineOption ignoreEos{"ignore-eos", "Keep going past end-of-text tokens."};

    void addTo(QCommandLineParser &parser) const;
    // Fills maxTokens, sampling (a random seed unless --seed), stop strings and ignoreEos;
    // prints the error and returns false on a bad value.
    bool read(const QCommandLineParser &parser, GenerateRequest &request) const;
};

// "1 2 3" → ids; an error names the first word that is not an integer.
Result<std::vector<int32_t>> parseTokenIds(const QString &text);

} // namespace parlo::cli
