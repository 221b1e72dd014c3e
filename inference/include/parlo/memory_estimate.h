// What a model will take in memory once loaded, known from its header alone: weights, KV
// cache and scratch, as the engine's own memory plan computes them (the same numbers it
// checks against a GPU's budget), so the model picker can say honestly whether it fits.
#pragma once

#include "parlo/gguf.h"
#include "parlo/result.h"

#include <cstdint>

namespace parlo {

struct MemoryEstimate
{
    uint32_t n_ctx = 0;        // the context the estimate is for (the engine's default when 0 was asked)
    uint64_t weightBytes = 0;  // every weight the engine uses, as stored in the file
    uint64_t kvBytes = 0;      // K and V caches of every layer for n_ctx tokens (F16)
    uint64_t scratchBytes = 0; // activations of one prompt micro-batch

    uint64_t contextBytes() const { return kvBytes + scratchBytes; }
    uint64_t totalBytes() const { return weightBytes + kvBytes + scratchBytes; }
};

// The plan for `file` at `n_ctx` tokens (0: the engine's default, the trained length up to
// 4096), with the engine's default KV type and batch size. Fails, with the reason, where the
// engine would refuse to load the file (unsupported architecture, missing or misshapen tensors).
// Nothing is read beyond the header: weights stay untouched in the mapping.
Result<MemoryEstimate> estimateModelMemory(const gguf::File &file, uint32_t n_ctx = 0);

} // namespace parlo
