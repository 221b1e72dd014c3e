#version 450
// out[t, d] = sum_j weights[t, j] * expertOut[t * k + j, d]. One thread per output value.
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 128;

layout(std430, binding = 0) readonly buffer E { float expertOut[]; };
layout(std430, binding = 1) readonly buffer Wt { float weights[]; };
layout(std430, binding = 2) writeonly buffer Out { float dst[]; };

layout(push_constant) uniform Params {
    uint n_cols;
    uint k;
    uint e_offset;
    uint e_stride;
    uint w_offset;
    uint out_offset;
} p;

void main()
{
    const uint d = gl_GlobalInvocationID.x, t = gl_WorkGroupID.y;
    if (d >= p.n_cols) {
        return;
    }
    float sum = 0.0;
    for (uint j = 0; j < p.k; ++j) {
        sum += weights[p.w_offset + t * p.k + j] * expertOut[p.e_offset + (t * p.k + j) * p.e_stride + d];
    }
    dst[p.out_offset + t * p.n_cols + d] = sum;
}
