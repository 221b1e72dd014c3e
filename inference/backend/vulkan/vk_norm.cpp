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
};

constexpr uint32_t k_workgroupSize = 128; // a power of two, as the shared-memory reduction needs
constexpr uint32_t k_maxGroupsX = 65535;  // the minimum maxComputeWorkGroupCount[0] Vulkan guarantees

} // namespace

Result<void> recordRmsNorm(Context &context, CommandBatch &batch, const Buffer &x, const Buffer *weight, Buffer &y,
                           uint32_t n_cols, uint32_t n_rows, float eps, bool allowSubgroups)
{
    if (n_cols == 0 || n_rows == 0)
        return {};
    const uint64_t bytes = uint64_t(n_cols) * n_rows * sizeof(float);
    if (x.size() < bytes || y.size() < bytes || (weight && weight->size() < n_cols * sizeof(float)))
        return makeError("rms_norm: buffers are smaller than the [" + std::to_string(n_rows) + ", " +
                         std::to_string(n_cols) + "] shape");
    auto pipeline = context.pipeline({allowSubgroups && context.useSubgroups() ? "rms_norm_f32" : "rms_norm_f32_nosg", 3,
                                      sizeof(RmsNormParams), {k_workgroupSize}});
    if (!pipeline)
        return pipeline.error();
    const RmsNormParams params{n_cols, n_rows, eps, weight ? 1u : 0u};
    // Without a weight the shader never reads binding 1, but a valid buffer must be bound there.
    const std::array<const Buffer *, 3> buffers{&x, weight ? weight : &x, &y};
    const uint32_t groupsX = std::min(n_rows, k_maxGroupsX);
    const uint32_t groupsY = (n_rows + groupsX - 1) / groupsX;
    return batch.dispatch(**pipeline, buffers, std::as_bytes(std::span(&params, 1)), groupsX, groupsY);
}

} // namespace parlo::vk
