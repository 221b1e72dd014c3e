#version 450
// RMSNorm over the rows of x: y = x / sqrt(mean(x^2) + eps) * w. One workgroup per row.
// x, y: [n_rows, n_cols] row-major from x_offset / y_offset; w: [n_cols], ignored when
// use_weight == 0. y may alias x.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 128;

#include "reduce.glsl"

layout(std430, binding = 0) readonly buffer InX { float x[]; };
layout(std430, binding = 1) readonly buffer InW { float w[]; };
layout(std430, binding = 2) writeonly buffer OutY { float y[]; };

layout(push_constant) uniform Params {
    uint n_cols;
    uint n_rows;
    float eps;
    uint use_weight;
    uint x_offset;
    uint y_offset;
} p;

void main()
{
    const uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (row >= p.n_rows) {
        return; // uniform per workgroup, so no barrier is left waiting
    }
    const uint xb = p.x_offset + row * p.n_cols, yb = p.y_offset + row * p.n_cols;
    float sum_sq = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.n_cols; i += BLOCK_SIZE) {
        const float v = x[xb + i];
        sum_sq += v * v;
    }
    const float scale = inversesqrt(workgroupSum(sum_sq) / float(p.n_cols) + p.eps);
    for (uint i = gl_LocalInvocationID.x; i < p.n_cols; i += BLOCK_SIZE) {
        const float weight = p.use_weight != 0 ? w[i] : 1.0;
        y[yb + i] = x[xb + i] * scale * weight;
    }
}
