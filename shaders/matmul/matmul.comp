#version 450
// Prefill mat-mat: y[t, r] = dot(W row r, x[t]) for many tokens. A workgroup computes a tile
// of 64 weight rows x 32 tokens, stepping through the columns 32 at a time: the weight tile is
// dequantized once into shared memory and reused by all 32 tokens, and each thread keeps a
// 4 x 4 block of outputs in registers. 128 threads.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x = 128) in;

layout(std430, binding = 0) readonly buffer W { uint wdata[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };

#include "weights.glsl"

layout(push_constant) uniform Params {
    uint n_cols;
    uint n_rows;   // rows of this chunk
    uint row_bytes;
    uint x_offset;
    uint x_stride;
    uint y_offset;
    uint y_stride;
    uint row_base; // global row of the chunk's first row
    uint n_tokens;
} p;

const uint BM = 64, BN = 32, BK = 32, TM = 4, TN = 4;
shared float ws[BK][BM + 1]; // +1: no bank conflicts on the transposed store
shared float xs[BK][BN + 1];

void main()
{
    const uint tid = gl_LocalInvocationID.x;
    const uint row0 = gl_WorkGroupID.x * BM, tok0 = gl_WorkGroupID.y * BN;
    const uint tr = tid % (BM / TM), tc = tid / (BM / TM); // 16 x 8 threads
    float acc[TM][TN];
    for (uint i = 0; i < TM; ++i) {
        for (uint j = 0; j < TN; ++j) {
            acc[i][j] = 0.0;
        }
    }
    for (uint k0 = 0; k0 < p.n_cols; k0 += BK) {
        // Weight tile: 64 rows x 8 groups of four columns, four groups per thread.
        for (uint u = 0; u < 4u; ++u) {
            const uint idx = tid + 128u * u;
            const uint r = idx / 8u, c = k0 + 4u * (idx % 8u);
            vec4 v = vec4(0.0);
            if (row0 + r < p.n_rows) {
                const uint rowOff = (row0 + r) * p.row_bytes;
#ifdef FLOAT_WEIGHTS
                if (c + 3u < p.n_cols) {
                    v = dequant4(rowOff, c);
                } else {
                    for (uint e = 0; e < 4u; ++e) {
                        v[e] = c + e < p.n_cols ? dequant1(rowOff, c + e) : 0.0;
                    }
                }
#else
                v = dequant4(rowOff, c); // quantized rows are whole blocks of 32 or 256
#endif
            }
            for (uint e = 0; e < 4u; ++e) {
                ws[4u * (idx % 8u) + e][r] = v[e];
            }
        }
        // Activation tile: 32 tokens x 32 columns, eight values per thread.
        for (uint u = 0; u < 8u; ++u) {
            const uint idx = tid + 128u * u;
            const uint t = idx / BK, c = idx % BK;
            const uint tok = tok0 + t;
            xs[c][t] = tok < p.n_tokens && k0 + c < p.n_cols ? x[p.x_offset + tok * p.x_stride + k0 + c] : 0.0;
        }
        barrier();
        for (uint kk = 0; kk < BK; ++kk) {
            float a[TM], b[TN];
            for (uint i = 0; i < TM; ++i) {
                a[i] = ws[kk][tr * TM + i];
            }
            for (uint j = 0; j < TN; ++j) {
                b[j] = xs[kk][tc * TN + j];
            }
            for (uint i = 0; i < TM; ++i) {
                for (uint j = 0; j < TN; ++j) {
                    acc[i][j] = fma(a[i], b[j], acc[i][j]);
                }
            }
        }
        barrier();
    }
    for (uint i = 0; i < TM; ++i) {
        const uint r = row0 + tr * TM + i;
        for (uint j = 0; j < TN; ++j) {
            const uint tok = tok0 + tc * TN + j;
            if (r < p.n_rows && tok < p.n_tokens) {
                y[p.y_offset + tok * p.y_stride + p.row_base + r] = acc[i][j];
            }
        }
    }
}
