#version 450
// LayerNorm over the rows of x: y = (x - mean) / sqrt(var + eps) * w + b. One workgroup per
// row; the mean is reduced first, then the variance around it (two passes, as the CPU
// reference does, so large means do not cancel). w and b are [n_cols], each skipped when its
// use_ flag is 0. y may alias x.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 128;

#include "reduce.glsl"

layout(std430, binding = 0) readonly buffer InX { float x[]; };
layout(std430, binding = 1) readonly buffer InW { float w[]; };
layout(std430, binding = 2) readonly buffer InB { float b[]; };
layout(std430, binding = 3) writeonly buffer OutY { float y[]; };

layout(push_constant) uniform Params {
    uint n_cols;
    uint n_rows;
    float eps;
    uint use_weight;
    uint use_bias;
    uint x_offset;
    uint y_offset;
} p;

void main()
{
    const uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (row >= p.n_rows) {
        return; // uniform per workgroup
    }
    const uint xb = p.x_offset + row * p.n_cols, yb = p.y_offset + row * p.n_cols;
    float sum = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.n_cols; i += BLOCK_SIZE) {
        sum += x[xb + i];
    }
    const float mean = workgroupSum(sum) / float(p.n_cols);
    float sum_sq = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.n_cols; i += BLOCK_SIZE) {
        const float d = x[xb + i] - mean;
        sum_sq += d * d;
    }
    const float scale = inversesqrt(workgroupSum(sum_sq) / float(p.n_cols) + p.eps);
    for (uint i = gl_LocalInvocationID.x; i < p.n_cols; i += BLOCK_SIZE) {
        float v = (x[xb + i] - mean) * scale;
        if (p.use_weight != 0) {
            v *= w[i];
        }
        if (p.use_bias != 0) {
            v += b[i];
        }
        y[yb + i] = v;
    }
}
