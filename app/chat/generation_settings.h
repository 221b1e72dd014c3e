// The chat's sampling settings as the engine takes them, and as an answer records them
// (storage::GenerationInfo::sampler). `parlo-cli chat` and the GUI write the same keys, so an
// answer's record reads the same whichever wrote it.
#pragma once

#include "chat/inference_engine.h"
#include "parlo/engine.h"

#include <QJsonObject>

namespace parlo::app {

// The seed an answer uses: the setting, or a fresh random one where it is -1.
uint64_t seedFor(const SamplingSettings &settings);
// The engine request for `settings` (no prompt yet), with seedFor(settings).
GenerateRequest generateRequestFor(const SamplingSettings &settings);

// temperature, top_k, top_p, min_p, the penalties, max_tokens (and ignore_eos where set).
QJsonObject samplerJson(const GenerateRequest &request);
// The same keys for the GUI's settings, plus context_length.
QJsonObject samplerJson(const SamplingSettings &settings);

} // namespace parlo::app
