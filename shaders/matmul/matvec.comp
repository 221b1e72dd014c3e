#version 450
// Decode mat-vec: y[t, r] = dot(W row r, x[t]) with W dequantized in registers.
// One workgroup computes NUM_ROWS rows for one token (or one expert slot with EXPERTS), each
// thread taking groups of four columns, then a subgroup (or shared-memory) reduction.
// W: the rows of one chunk of the weight (a chunk stays under maxStorageBufferRange).
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 64;
layout(constant_id = 1) const uint NUM_ROWS = 2;

#include "reduce.glsl"

layout(std430, binding = 0) readonly buffer W { uint wdata[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
#ifdef EXPERTS
layout(std430, binding = 3) readonly buffer Ids { int ids[]; };
#endif

#include "weights.glsl"

layout(push_constant) uniform Params {
    uint n_cols;
    uint n_rows;     // rows to compute: of this chunk, or of one expert with EXPERTS
    uint row_bytes;
    uint x_offset;
    uint x_stride;
    uint y_offset;
    uint y_stride;
    uint row_base;   // global row of the chunk's first row
    uint chunk_rows; // rows held by this chunk
    uint ids_offset;
    uint k;          // expert slots per token
    uint x_shared;   // 1: one x row per token for all its slots
} p;

void main()
{
    const uint group = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint slot = gl_WorkGroupID.z; // token, or (token, expert slot) with EXPERTS
    const uint tid = gl_LocalInvocationID.x;
    uint rowOff[NUM_ROWS];
    bool valid[NUM_ROWS];
    float sums[NUM_ROWS];
#ifdef EXPERTS
    const int expert = ids[p.ids_offset + slot];
    const uint xRow = p.x_shared != 0 ? slot / p.k : slot;
#else
    const uint xRow = slot;
#endif
    for (uint i = 0; i < NUM_ROWS; ++i) {
        const uint r = group * NUM_ROWS + i;
#ifdef EXPERTS
        // Global row of this expert's row r; the chunk computes it only if it holds that row.
        const int local = expert * int(p.n_rows) + int(r) - int(p.row_base);
        valid[i] = r < p.n_rows && expert >= 0 && local >= 0 && uint(local) < p.chunk_rows;
        rowOff[i] = valid[i] ? uint(local) * p.row_bytes : 0u;
#else
        valid[i] = r < p.n_rows;
        rowOff[i] = r * p.row_bytes;
#endif
        sums[i] = 0.0;
    }
    const uint xo = p.x_offset + xRow * p.x_stride;
    const uint groups = p.n_cols / 4u;
    for (uint g = tid; g < groups; g += BLOCK_SIZE) {
        const uint c = 4u * g;
        const vec4 xv = vec4(x[xo + c], x[xo + c + 1u], x[xo + c + 2u], x[xo + c + 3u]);
        for (uint i = 0; i < NUM_ROWS; ++i) {
            if (valid[i]) {
                sums[i] += dot(dequant4(rowOff[i], c), xv);
            }
        }
    }
#ifdef FLOAT_WEIGHTS
    for (uint c = groups * 4u + tid; c < p.n_cols; c += BLOCK_SIZE) {
        for (uint i = 0; i < NUM_ROWS; ++i) {
            if (valid[i]) {
                sums[i] += dequant1(rowOff[i], c) * x[xo + c];
            }
        }
    }
#endif
    for (uint i = 0; i < NUM_ROWS; ++i) {
        const float total = workgroupSum(sums[i]); // every thread reaches this: barriers inside
        if (tid == 0u && valid[i]) {
            const uint r = group * NUM_ROWS + i;
#ifdef EXPERTS
            y[p.y_offset + slot * p.y_stride + r] = total;
#else
            y[p.y_offset + slot * p.y_stride + p.row_base + r] = total;
#endif
        }
    }
}
