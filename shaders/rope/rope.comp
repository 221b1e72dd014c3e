#version 450
// Rotary position embedding, in place. One thread per rotated pair of one head of one token.
// Normal layout rotates (x[2i], x[2i+1]); NeoX rotates (x[i], x[i + n_rot/2]).
// theta_i = pos * freq_scale * freq_base^(-2i/n_rot) / factor_i, reduced modulo 2*pi before
// sin/cos, whose precision Vulkan only promises on [-pi, pi]. Both are scaled by attn_factor.
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 64;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Pos { int positions[]; };
layout(std430, binding = 2) readonly buffer Factors { float factors[]; };

layout(push_constant) uniform Params {
    uint x_offset;
    uint x_stride;
    uint n_head;
    uint head_dim;
    uint n_rot;
    uint neox;
    float freq_base;
    float freq_scale;
    uint has_factors;
    uint pos_offset;
    float attn_factor; // scales cos and sin (LongRoPE)
} p;

void main()
{
    const uint half_rot = p.n_rot / 2u;
    const uint idx = gl_GlobalInvocationID.x, t = gl_WorkGroupID.y;
    if (idx >= p.n_head * half_rot) {
        return;
    }
    const uint h = idx / half_rot, i = idx % half_rot;
    float inv_freq = exp2(-2.0 * float(i) / float(p.n_rot) * log2(p.freq_base));
    if (p.has_factors != 0u) {
        inv_freq /= factors[i];
    }
    const float pos = float(positions[p.pos_offset + t]) * p.freq_scale;
    // Cody-Waite reduction with the rounding error of the product carried along.
    const float theta = pos * inv_freq;
    const float theta_err = fma(pos, inv_freq, -theta);
    const float n = round(theta * 0.15915494309189535);
    float r = fma(-n, 6.2831854820251465, theta);
    r = fma(-n, -1.7484556e-7, r) + theta_err;
    const float c = cos(r) * p.attn_factor, s = sin(r) * p.attn_factor;
    const uint base = p.x_offset + t * p.x_stride + h * p.head_dim;
    const uint a = base + (p.neox != 0u ? i : 2u * i);
    const uint b = base + (p.neox != 0u ? i + half_rot : 2u * i + 1u);
    const float x0 = x[a], x1 = x[b];
    x[a] = x0 * c - x1 * s;
    x[b] = x0 * s + x1 * c;
}
