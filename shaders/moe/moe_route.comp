#version 450
// MoE router, one thread per token: softmax over the expert logits, the k largest
// probabilities (ties to the lower id, as a stable sort gives), renormalised on request.
// At most 256 experts (checked on the host).
layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint BLOCK_SIZE = 64;

layout(std430, binding = 0) readonly buffer Logits { float logits[]; };
layout(std430, binding = 1) writeonly buffer Ids { int ids[]; };
layout(std430, binding = 2) writeonly buffer Weights { float weights[]; };

layout(push_constant) uniform Params {
    uint n_expert;
    uint n_tokens;
    uint k;
    uint renormalise;
    uint logits_offset;
    uint ids_offset;
    uint weights_offset;
} p;

void main()
{
    const uint t = gl_GlobalInvocationID.x;
    if (t >= p.n_tokens) {
        return;
    }
    const uint base = p.logits_offset + t * p.n_expert;
    float m = logits[base];
    for (uint e = 1; e < p.n_expert; ++e) {
        m = max(m, logits[base + e]);
    }
    float sum = 0.0;
    for (uint e = 0; e < p.n_expert; ++e) {
        sum += exp(logits[base + e] - m);
    }
    uint chosen[8] = uint[8](0, 0, 0, 0, 0, 0, 0, 0);
    float picked = 0.0;
    for (uint j = 0; j < p.k; ++j) {
        int best = -1;
        float bestLogit = 0.0;
        for (uint e = 0; e < p.n_expert; ++e) {
            const bool taken = (chosen[e / 32u] & (1u << (e % 32u))) != 0u;
            // Softmax is monotonic, so comparing logits ranks the probabilities.
            if (!taken && (best < 0 || logits[base + e] > bestLogit)) {
                best = int(e);
                bestLogit = logits[base + e];
            }
        }
        chosen[uint(best) / 32u] |= 1u << (uint(best) % 32u);
        const float prob = exp(bestLogit - m) / sum;
        ids[p.ids_offset + t * p.k + j] = best;
        weights[p.weights_offset + t * p.k + j] = prob;
        picked += prob;
    }
    if (p.renormalise != 0u && picked > 0.0) {
        for (uint j = 0; j < p.k; ++j) {
            weights[p.weights_offset + t * p.k + j] /= picked;
        }
    }
}
