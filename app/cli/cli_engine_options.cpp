#include "cli_engine_options.h"

#include "cli_command.h"
#include "parlo/devices.h"
#include "selftest/self_test_record.h"

#include <QRegularExpression>

#include <cmath>
#include <limits>
#include <random>

namespace parlo::cli {

void EngineOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({model, device, threads, ctx, kvType});
}

std::unique_ptr<Engine> EngineOptions::load(const QCommandLineParser &parser, uint32_t defaultCtx,
                                            const std::optional<QString> &deviceOverride) const
{
    if (!parser.isSet(model)) {
        printError("--model is required");
        return nullptr;
    }
    if (!requireRegularFile(parser.value(model), QStringLiteral("model")))
        return nullptr;
    LoadOptions options;
    // The device text as the user gave it (override, --device, else PARLO_DEVICE), so an index
    // such as vulkan:1 reaches the engine intact.
    std::string requested;
    if (deviceOverride)
        requested = deviceOverride->toStdString();
    else if (parser.isSet(device))
        requested = parser.value(device).toStdString();
    else
        requested = qEnvironmentVariable("PARLO_DEVICE").toStdString();
    if (auto request = parseDeviceRequest(requested); !request) {
        printError(QString::fromStdString(request.error().message));
        return nullptr;
    }
    options.device = requested.empty() ? "auto" : requested;
    bool ok = true;
    if (parser.isSet(threads)) {
        options.threads = parser.value(threads).toUInt(&ok);
        if (!ok || options.threads == 0 || options.threads > 256) {
            printError("--threads must be a number from 1 to 256");
            return nullptr;
        }
    }
    options.contextLength = defaultCtx;
    if (parser.isSet(ctx)) {
        options.contextLength = parser.value(ctx).toUInt(&ok);
        if (!ok || options.contextLength == 0) {
            printError("--ctx must be a positive number");
            return nullptr;
        }
    }
    if (parser.isSet(kvType)) {
        const QString t = parser.value(kvType).toLower();
        if (t != "f16" && t != "f32") {
            printError("--kv-type must be f16 or f32");
            return nullptr;
        }
        options.kvType = t == "f32" ? TensorType::F32 : TensorType::F16;
    }
    options.deviceVeto = app::selfTestVeto(); // auto skips a GPU whose self-test failed
    auto engine = Engine::load(parser.value(model).toStdString(), options);
    if (!engine) {
        printError(QString::fromStdString(engine.error().message));
        return nullptr;
    }
    return std::move(engine.value());
}

namespace {

// A number within [low, high]; NaN and infinities are refused too. Prints why on failure.
bool parseFloat(const QCommandLineParser &p, const QCommandLineOption &o, float &out, double low, double high,
                const char *meaning)
{
    if (!p.isSet(o))
        return true;
    bool ok = false;
    const double value = p.value(o).toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < low || value > high) {
        printError(QStringLiteral("--%1 must be a number from %2 to %3 (%4); \"%5\" is not")
                       .arg(o.names().constLast())
                       .arg(low)
                       .arg(high)
                       .arg(QLatin1String(meaning), p.value(o)));
        return false;
    }
    out = float(value);
    return true;
}

// A whole number within [low, high].
bool parseInt(const QCommandLineParser &p, const QCommandLineOption &o, int32_t &out, qint64 low, qint64 high,
              const char *meaning)
{
    if (!p.isSet(o))
        return true;
    bool ok = false;
    const qint64 value = p.value(o).toLongLong(&ok);
    if (!ok || value < low || value > high) {
        printError(QStringLiteral("--%1 must be a whole number from %2 to %3 (%4); \"%5\" is not")
                       .arg(o.names().constLast())
                       .arg(low)
                       .arg(high)
                       .arg(QLatin1String(meaning), p.value(o)));
        return false;
    }
    out = int32_t(value);
    return true;
}

} // namespace

void GenerationOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({count, temp, topK, topP, minP, repeat, presence, frequency, lastN, seed, stop, ignoreEos});
}

bool GenerationOptions::read(const QCommandLineParser &parser, GenerateRequest &request) const
{
    request.maxTokens = 128;
    if (parser.isSet(count)) {
        bool ok = false;
        const qint64 n = parser.value(count).toLongLong(&ok);
        if (!ok || n < 0 || n > INT32_MAX) {
            printError(QStringLiteral("-n must be a whole number from 0 to %1; \"%2\" is not")
                           .arg(INT32_MAX)
                           .arg(parser.value(count)));
            return false;
        }
        request.maxTokens = int(n);
    }
    SamplerSettings &s = request.sampling;
    if (!parseFloat(parser, temp, s.temperature, 0, 100, "0 is greedy") ||
        !parseFloat(parser, topP, s.top_p, 0, 1, "1 is off") || !parseFloat(parser, minP, s.min_p, 0, 1, "0 is off") ||
        !parseFloat(parser, repeat, s.repeat_penalty, 0.01, 100, "1 is off") ||
        !parseFloat(parser, presence, s.presence_penalty, -100, 100, "0 is off") ||
        !parseFloat(parser, frequency, s.frequency_penalty, -100, 100, "0 is off") ||
        !parseInt(parser, topK, s.top_k, 0, INT32_MAX, "0 is off") ||
        !parseInt(parser, lastN, s.penalty_last_n, 0, INT32_MAX, "0 is off"))
        return false;
    bool ok = true;
    s.seed = std::random_device{}();
    if (ok && parser.isSet(seed))
        s.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) {
        printError(QStringLiteral("--seed must be a whole number from 0 to %1; \"%2\" is not")
                       .arg(std::numeric_limits<quint64>::max())
                       .arg(parser.value(seed)));
        return false;
    }
    for (const QString &text : parser.values(stop))
        request.stopStrings.push_back(text.toStdString());
    request.ignoreEos = parser.isSet(ignoreEos);
    return true;
}

Result<std::vector<int32_t>> parseTokenIds(const QString &text)
{
    std::vector<int32_t> ids;
    const QStringList words = text.split(QRegularExpression("[\\s,]+"), Qt::SkipEmptyParts);
    for (const QString &w : words) {
        bool ok = false;
        const qlonglong v = w.toLongLong(&ok);
        if (!ok || v < INT32_MIN || v > INT32_MAX)
            return makeError("'" + w.toStdString() + "' in --tokens is not a token id");
        ids.push_back(int32_t(v));
    }
    if (ids.empty())
        return makeError("--tokens has no token ids");
    return ids;
}

} // namespace parlo::cli
