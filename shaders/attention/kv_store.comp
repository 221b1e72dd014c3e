#version 450
// KV-cache write: copies k and v (n values each, F32) to the caches at element dst_k / dst_v,
// converting to F16 with KV_F16. Workgroup row y = 0 writes K, y = 1 writes V. With F16 each
// thread owns one 32-bit word of the cache; a word shared with neighbouring data at either
// end of the range is updated with atomics, so those neighbours are never clobbered.
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 64;

layout(std430, binding = 0) readonly buffer KSrc { float ksrc[]; };
layout(std430, binding = 1) readonly buffer VSrc { float vsrc[]; };
#ifdef KV_F16
layout(std430, binding = 2) buffer KCache { uint kc[]; };
layout(std430, binding = 3) buffer VCache { uint vc[]; };
#else
layout(std430, binding = 2) writeonly buffer KCache { float kc[]; };
layout(std430, binding = 3) writeonly buffer VCache { float vc[]; };
#endif

layout(push_constant) uniform Params {
    uint n;
    uint k_offset;
    uint v_offset;
    uint dst_k;
    uint dst_v;
} p;

#ifdef KV_F16
#define STORE(SRC, SRC_OFF, CACHE, DST)                                                            \
    {                                                                                              \
        const uint w = ((DST) >> 1) + gl_GlobalInvocationID.x;                                     \
        const uint e0 = 2u * w;                                                                    \
        if (e0 + 1u < (DST) || e0 >= (DST) + p.n) {                                                \
            return;                                                                                \
        }                                                                                          \
        const bool lo = e0 >= (DST), hi = e0 + 1u < (DST) + p.n;                                   \
        const float a = lo ? SRC[(SRC_OFF) + e0 - (DST)] : 0.0;                                    \
        const float b = hi ? SRC[(SRC_OFF) + e0 + 1u - (DST)] : 0.0;                               \
        const uint packed = packHalf2x16(vec2(a, b));                                              \
        if (lo && hi) {                                                                            \
            CACHE[w] = packed;                                                                     \
        } else if (lo) {                                                                           \
            atomicAnd(CACHE[w], 0xFFFF0000u);                                                      \
            atomicOr(CACHE[w], packed & 0xFFFFu);                                                  \
        } else {                                                                                   \
            atomicAnd(CACHE[w], 0x0000FFFFu);                                                      \
            atomicOr(CACHE[w], packed & 0xFFFF0000u);                                              \
        }                                                                                          \
    }
#else
#define STORE(SRC, SRC_OFF, CACHE, DST)                                                            \
    {                                                                                              \
        const uint i = gl_GlobalInvocationID.x;                                                    \
        if (i < p.n) {                                                                             \
            CACHE[(DST) + i] = SRC[(SRC_OFF) + i];                                                 \
        }                                                                                          \
    }
#endif

void main()
{
    if (gl_WorkGroupID.y == 0u) {
        STORE(ksrc, p.k_offset, kc, p.dst_k)
    } else {
        STORE(vsrc, p.v_offset, vc, p.dst_v)
    }
}
