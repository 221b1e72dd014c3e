#version 450
// Fused causal attention for one query token and one head per workgroup: scores, mask,
// softmax and the weighted sum of V in one pass over the cache, flash style: keys are taken
// BLOCK_SIZE at a time and the softmax is kept online (running max m, running sum l, the
// accumulator rescaled by exp(m_old - m_new)), so no score row is ever stored.
// GQA/MQA: query head h reads KV head h / (n_head / n_head_kv).
// Hooks for later architectures: `window` > 0 masks keys older than window positions
// (sliding-window attention), `softcap` > 0 applies softcap * tanh(score / softcap).
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 64;
const uint MAX_HEAD_DIM = 256;
const uint DIMS_PER_THREAD = (MAX_HEAD_DIM + 31) / 32; // BLOCK_SIZE >= 32 is asserted on the host

#include "reduce.glsl"

layout(std430, binding = 0) readonly buffer Q { float q[]; };
#ifdef KV_F16
layout(std430, binding = 1) readonly buffer K { uint kc[]; };
layout(std430, binding = 2) readonly buffer V { uint vc[]; };
#define LOAD_K(e) unpackHalf2x16(kc[(e) >> 1])[(e) & 1u]
#define LOAD_V(e) unpackHalf2x16(vc[(e) >> 1])[(e) & 1u]
#else
layout(std430, binding = 1) readonly buffer K { float kc[]; };
layout(std430, binding = 2) readonly buffer V { float vc[]; };
#define LOAD_K(e) kc[e]
#define LOAD_V(e) vc[e]
#endif
layout(std430, binding = 3) writeonly buffer Out { float dst[]; };

layout(push_constant) uniform Params {
    uint head_dim;
    uint n_head;
    uint n_head_kv;
    uint pos0;
    uint q_offset;
    uint q_stride;
    uint k_offset;
    uint v_offset;
    uint kv_stride;
    uint out_offset;
    uint out_stride;
    float scale;
    uint window;
    float softcap;
} p;

shared float qs[MAX_HEAD_DIM];
shared float ps[BLOCK_SIZE];

void main()
{
    const uint h = gl_WorkGroupID.x, t = gl_WorkGroupID.y, tid = gl_LocalInvocationID.x;
    const uint kvHead = h / (p.n_head / p.n_head_kv);
    const uint qpos = p.pos0 + t;
    const uint n_kv = qpos + 1u; // causal: keys up to this token's own position
    const uint first = p.window > 0u && qpos + 1u > p.window ? qpos + 1u - p.window : 0u;
    for (uint d = tid; d < p.head_dim; d += BLOCK_SIZE) {
        qs[d] = q[p.q_offset + t * p.q_stride + h * p.head_dim + d] * p.scale;
    }
    barrier();

    float acc[DIMS_PER_THREAD];
    for (uint i = 0; i < DIMS_PER_THREAD; ++i) {
        acc[i] = 0.0;
    }
    float m = 0.0, l = 0.0;
    bool started = false;
    const uint kvBase = kvHead * p.head_dim;
    for (uint tile = first; tile < n_kv; tile += BLOCK_SIZE) {
        const uint j = tile + tid;
        float s = 0.0;
        if (j < n_kv) {
            const uint kb = p.k_offset + j * p.kv_stride + kvBase;
            for (uint d = 0; d < p.head_dim; ++d) {
                s += qs[d] * LOAD_K(kb + d);
            }
            if (p.softcap > 0.0) {
                s = p.softcap * tanh(s / p.softcap);
            }
        }
        // The first key of every tile is valid, so the tile maximum is a real score.
        const float tileMax = workgroupMax(j < n_kv ? s : -3.402823466e38);
        const float mNew = started ? max(m, tileMax) : tileMax;
        const float pj = j < n_kv ? exp(s - mNew) : 0.0;
        ps[tid] = pj;
        const float tileSum = workgroupSum(pj); // its barriers also publish ps
        const float correction = started ? exp(m - mNew) : 0.0;
        l = l * correction + tileSum;
        m = mNew;
        started = true;
        const uint count = min(BLOCK_SIZE, n_kv - tile);
        for (uint i = 0; i < DIMS_PER_THREAD; ++i) {
            const uint d = tid + i * BLOCK_SIZE;
            if (d < p.head_dim) {
                float a = acc[i] * correction;
                const uint vb = p.v_offset + tile * p.kv_stride + kvBase + d;
                for (uint jj = 0; jj < count; ++jj) {
                    a += ps[jj] * LOAD_V(vb + jj * p.kv_stride);
                }
                acc[i] = a;
            }
        }
        barrier(); // ps is rewritten by the next tile
    }
    for (uint i = 0; i < DIMS_PER_THREAD; ++i) {
        const uint d = tid + i * BLOCK_SIZE;
        if (d < p.head_dim) {
            dst[p.out_offset + t * p.out_stride + h * p.head_dim + d] = acc[i] / l;
        }
    }
}
