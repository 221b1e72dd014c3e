#version 450
// Elementwise ops on n values: OP_ADD out = a + b, OP_MUL out = a * b,
// OP_SWIGLU out = silu(a) * b (a: gate, b: up), OP_GEGLU out = gelu(a) * b. out may alias a or b: each thread reads
// its element before writing it.
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 256;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Out { float dst[]; };

layout(push_constant) uniform Params {
    uint n;
    uint a_offset;
    uint b_offset;
    uint out_offset;
} p;

#include "gelu.glsl"

void main()
{
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * BLOCK_SIZE;
    if (i >= p.n) {
        return;
    }
    const float va = a[p.a_offset + i], vb = b[p.b_offset + i];
#if defined(OP_ADD)
    dst[p.out_offset + i] = va + vb;
#elif defined(OP_MUL)
    dst[p.out_offset + i] = va * vb;
#elif defined(OP_SWIGLU)
    dst[p.out_offset + i] = va / (1.0 + exp(-va)) * vb;
#elif defined(OP_GEGLU)
    dst[p.out_offset + i] = geluTanh(va) * vb;
#else
#error "define OP_ADD, OP_MUL, OP_SWIGLU or OP_GEGLU"
#endif
}
