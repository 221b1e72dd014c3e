#version 450
// Softmax of each row, in place. One workgroup per row.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 128;

#include "reduce.glsl"

layout(std430, binding = 0) buffer X { float x[]; };

layout(push_constant) uniform Params {
    uint n_cols;
    uint n_rows;
    uint offset;
} p;

void main()
{
    const uint row = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    if (row >= p.n_rows) {
        return; // uniform per workgroup
    }
    const uint base = p.offset + row * p.n_cols, tid = gl_LocalInvocationID.x;
    float m = -3.402823466e38;
    for (uint i = tid; i < p.n_cols; i += BLOCK_SIZE) {
        m = max(m, x[base + i]);
    }
    m = workgroupMax(m);
    float sum = 0.0;
    for (uint i = tid; i < p.n_cols; i += BLOCK_SIZE) {
        sum += exp(x[base + i] - m);
    }
    const float inv = 1.0 / workgroupSum(sum);
    for (uint i = tid; i < p.n_cols; i += BLOCK_SIZE) {
        x[base + i] = exp(x[base + i] - m) * inv;
    }
}
