#include "chat/generation_settings.h"

#include <QString>

#include <random>

namespace parlo::app {

namespace {

// A float setting as the user typed it (0.9, not 0.899999976).
double decimal(float value)
{
    return QString::number(double(value), 'g', 7).toDouble();
}

} // namespace

uint64_t seedFor(const SamplingSettings &settings)
{
    return settings.seed >= 0 ? uint64_t(settings.seed) : uint64_t(std::random_device{}());
}

GenerateRequest generateRequestFor(const SamplingSettings &settings)
{
    GenerateRequest request;
    request.maxTokens = settings.maxTokens;
    request.sampling.temperature = float(settings.temperature);
    request.sampling.top_k = settings.topK;
    request.sampling.top_p = float(settings.topP);
    request.sampling.min_p = float(settings.minP);
    request.sampling.repeat_penalty = float(settings.repeatPenalty);
    request.sampling.seed = seedFor(settings);
    return request;
}

QJsonObject samplerJson(const GenerateRequest &request)
{
    const SamplerSettings &s = request.sampling;
    QJsonObject o;
    o["temperature"] = decimal(s.temperature);
    o["top_k"] = s.top_k;
    o["top_p"] = decimal(s.top_p);
    o["min_p"] = decimal(s.min_p);
    o["repeat_penalty"] = decimal(s.repeat_penalty);
    o["presence_penalty"] = decimal(s.presence_penalty);
    o["frequency_penalty"] = decimal(s.frequency_penalty);
    o["penalty_last_n"] = s.penalty_last_n;
    o["max_tokens"] = request.maxTokens;
    if (request.ignoreEos)
        o["ignore_eos"] = true;
    return o;
}

QJsonObject samplerJson(const SamplingSettings &settings)
{
    SamplingSettings fixedSeed = settings;
    fixedSeed.seed = 0; // the seed is recorded on its own; no need to draw one here
    QJsonObject o = samplerJson(generateRequestFor(fixedSeed));
    o["context_length"] = settings.contextLength;
    return o;
}

} // namespace parlo::app
