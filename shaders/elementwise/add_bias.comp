#version 450
// x [n_rows, n_cols] += bias [n_cols] on every row, in place. One thread per element; the
// bias is a small F32 weight, uploaded like the norm weights.
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 256;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Bias { float bias[]; };

layout(push_constant) uniform Params {
    uint n;       // n_rows * n_cols
    uint n_cols;
    uint x_offset;
} p;

void main()
{
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * BLOCK_SIZE;
    if (i >= p.n) {
        return;
    }
    x[p.x_offset + i] += bias[i % p.n_cols];
}
