// CPU references for the transformer ops other than norms and matmuls. Plain loops over
// row ranges: the backend splits rows between threads, tests call them whole.
#pragma once

#include "backend/backend.h"

#include <cstddef>
#include <cstdint>

namespace parlo::cpu {

// Rotates heads in place. x [n_tokens, n_head * head_dim]; positions [n_tokens];
// freqFactors [n_rot / 2] or null: the data of params.freqFactors, which this level does not
// read. Handles tokens [t0, t1).
void rope(float *x, size_t t0, size_t t1, uint32_t n_head, uint32_t head_dim, const int32_t *positions,
          const RopeParams &params, const float *freqFactors);

// One query row against the cache, one head: scores over rows 0..n_kv-1, softmax, sum of V.
// q, out [head_dim]; k/v rows have `kvStride` elements and this head starts at `kvOffset`.
// kvType F32 or F16. scratch [n_kv]. Rows before `first` are masked (sliding window);
// softcap > 0 caps each scaled score at ±softcap through tanh.
void attentionHead(const float *q, const void *kCache, const void *vCache, TensorType kvType, size_t kvStride,
                   size_t kvOffset, uint32_t n_kv, uint32_t head_dim, float scale, float *scratch, float *out,
                   uint32_t first = 0, float softcap = 0.0f);

inline float silu(float x) { return x / (1.0f + __builtin_expf(-x)); }
void swiglu(const float *gate, const float *up, float *out, size_t n);
void softmaxRow(float *x, size_t n);

// Router for one token: softmax of logits [n_expert], the k largest (ties to the lower id)
// into ids/weights [k], renormalised to sum 1 when asked.
void moeRouteRow(const float *logits, uint32_t n_expert, uint32_t k, bool renormalise, int32_t *ids, float *weights);

} // namespace parlo::cpu
