// Host side of shaders/norm: records RMSNorm dispatches.
#pragma once

#include "vk_context.h"

namespace parlo::vk {

// y = rmsnorm(x) * weight over rows of n_cols floats; weight may be null (no scaling).
// x, y: [n_rows, n_cols] f32; weight: [n_cols] f32.
Result<void> recordRmsNorm(Context &context, CommandBatch &batch, const Buffer &x, const Buffer *weight, Buffer &y,
                           uint32_t n_cols, uint32_t n_rows, float eps, bool allowSubgroups = true);

// The same on bindings: x from element xOffset of its binding, y from yOffset.
Result<void> recordRmsNorm(Context &context, CommandBatch &batch, const Binding &x, uint32_t xOffset,
                           const Binding *weight, const Binding &y, uint32_t yOffset, uint32_t n_cols,
                           uint32_t n_rows, float eps, bool allowSubgroups);

} // namespace parlo::vk
