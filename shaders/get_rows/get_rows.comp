#version 450
// Embedding lookup: out[t] = dequantized row ids[t] of the table (one chunk of it).
// One thread per output value; tokens along y.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 128;

layout(std430, binding = 0) readonly buffer W { uint wdata[]; };
layout(std430, binding = 1) readonly buffer Ids { int ids[]; };
layout(std430, binding = 2) writeonly buffer Out { float dst[]; };

#include "weights.glsl"

layout(push_constant) uniform Params {
    uint n_cols;
    uint row_bytes;
    uint ids_offset;
    uint out_offset;
    uint out_stride;
    uint row_base;   // global row of the chunk's first row
    uint chunk_rows;
    uint total_rows; // ids are clamped into the table, as the CPU backend does
} p;

void main()
{
    const uint c = gl_GlobalInvocationID.x, t = gl_WorkGroupID.y;
    if (c >= p.n_cols) {
        return;
    }
    const int id = clamp(ids[p.ids_offset + t], 0, int(p.total_rows) - 1);
    const int local = id - int(p.row_base);
    if (local < 0 || uint(local) >= p.chunk_rows) {
        return; // another chunk's row
    }
    dst[p.out_offset + t * p.out_stride + c] = dequant1(uint(local) * p.row_bytes, c);
}
