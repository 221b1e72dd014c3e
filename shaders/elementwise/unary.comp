#version 450
// Elementwise ops of one input and a scalar on n values: OP_CLAMP out = clamp(x, -c, c)
// (OLMo's clip_qkv), OP_SOFTCAP out = c * tanh(x / c) (Gemma 2's logit soft-cap),
// OP_SCALE out = x * c,
// OP_GELU out = gelu(x) with the tanh approximation (c unused). out may alias x.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 256;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Out { float dst[]; };

layout(push_constant) uniform Params {
    uint n;
    uint x_offset;
    uint out_offset;
    float c;
} p;

#include "gelu.glsl"

void main()
{
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * BLOCK_SIZE;
    if (i >= p.n) {
        return;
    }
    const float v = x[p.x_offset + i];
#if defined(OP_CLAMP)
    dst[p.out_offset + i] = clamp(v, -p.c, p.c);
#elif defined(OP_SOFTCAP)
    dst[p.out_offset + i] = p.c * tanhStable(v / p.c);
#elif defined(OP_SCALE)
    dst[p.out_offset + i] = v * p.c;
#elif defined(OP_GELU)
    dst[p.out_offset + i] = geluTanh(v);
#else
#error "define OP_CLAMP, OP_SOFTCAP, OP_SCALE or OP_GELU"
#endif
}
