#include "vk_norm.h"

#include <algorithm>
#include <array>

namespace parlo::vk {
namespace {

struct RmsNormParams
{
    uint32_t n_cols;
    uint32_t n_rows;
    float eps;
    uint32_t use_weight;
    uint32_t x_offset;
    uint32_t y_offset;
};

constexpr uint32_t k_workgroupSize = 128; // a power of two, as the shared-memory reduction needs
constexpr uint32_t k_maxGroupsX = 65535;  // the minimum maxComputeWorkGroupCount[0] Vulkan guarantees

} // namespace

Result<void> recordRmsNorm(Context &context, CommandBatch &batch, const Binding &x, uint32_t xOffset,
                           const Binding *weight, const Binding &y, uint32_t yOffset, uint32_t n_cols,
                           uint32_t n_rows, float eps, bool allowSubgroups)
{
    if (n_cols == 0 || n_rows == 0)
        return {};
    auto pipeline = context.pipeline({allowSubgroups && context.useSubgroups() ? "rms_norm_f32" : "rms_norm_f32_nosg", 3,
                                      sizeof(RmsNormParams), {k_workgroupSize}});
    if (!pipeline)
        return pipeline.error();
    const RmsNormParams params{n_cols, n_rows, eps, weight ? 1u : 0u, xOffset, yOffset};
    // Without a weight the shader never reads binding 1, but a valid buffer must be bound there.
    Binding unusedWeight = x;
    unusedWeight.writes = false;
    const std::array<Binding, 3> bindings{x, weight ? *weight : unusedWeight, y};
    const uint32_t groupsX = std::min(n_rows, k_maxGroupsX);
    const uint32_t groupsY = (n_rows + groupsX - 1) / groupsX;
    return batch.dispatch(**pipeline, bindings, std::as_bytes(std::span(&params, 1)), groupsX, groupsY);
}

Result<void> recordRmsNorm(Context &context, CommandBatch &batch, const Buffer &x, const Buffer *weight, Buffer &y,
                           uint32_t n_cols, uint32_t n_rows, float eps, bool allowSubgroups)
{
    if (n_cols == 0 || n_rows == 0)
        return {};
    const uint64_t bytes = uint64_t(n_cols) * n_rows * sizeof(float);
    if (x.size() < bytes || y.size() < bytes || (weight && weight->size() < n_cols * sizeof(float)))
        return makeError("rms_norm: buffers are smaller than the [" + std::to_string(n_rows) + ", " +
                         std::to_string(n_cols) + "] shape");
    const Binding xb{&x, 0, VK_WHOLE_SIZE, false};
    const Binding yb{&y, 0, VK_WHOLE_SIZE, true};
    Binding wb{weight ? weight : &x, 0, VK_WHOLE_SIZE, false};
    return recordRmsNorm(context, batch, xb, 0, weight ? &wb : nullptr, yb, 0, n_cols, n_rows, eps, allowSubgroups);
}

} // namespace parlo::vk
