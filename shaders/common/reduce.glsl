// Workgroup-wide sum. Include after declaring `BLOCK_SIZE` (constant_id 0, a power of two).
// With USE_SUBGROUPS the sum goes through subgroupAdd and one shared slot per subgroup;
// without it, a shared-memory tree, for devices that lack subgroup arithmetic.
#ifdef USE_SUBGROUPS
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif

shared float reduce_scratch[BLOCK_SIZE];

float workgroupSum(float v)
{
#ifdef USE_SUBGROUPS
    v = subgroupAdd(v);
    if (subgroupElect()) {
        reduce_scratch[gl_SubgroupID] = v;
    }
    barrier();
    float total = 0.0;
    for (uint i = 0; i < gl_NumSubgroups; ++i) {
        total += reduce_scratch[i];
    }
    barrier(); // the scratch may be reused by the caller's next reduction
    return total;
#else
    const uint lid = gl_LocalInvocationID.x;
    reduce_scratch[lid] = v;
    barrier();
    for (uint stride = BLOCK_SIZE / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            reduce_scratch[lid] += reduce_scratch[lid + stride];
        }
        barrier();
    }
    const float total = reduce_scratch[0];
    barrier();
    return total;
#endif
}

// Workgroup-wide maximum, the same shape as workgroupSum.
float workgroupMax(float v)
{
#ifdef USE_SUBGROUPS
    v = subgroupMax(v);
    if (subgroupElect()) {
        reduce_scratch[gl_SubgroupID] = v;
    }
    barrier();
    float total = reduce_scratch[0];
    for (uint i = 1; i < gl_NumSubgroups; ++i) {
        total = max(total, reduce_scratch[i]);
    }
    barrier();
    return total;
#else
    const uint lid = gl_LocalInvocationID.x;
    reduce_scratch[lid] = v;
    barrier();
    for (uint stride = BLOCK_SIZE / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            reduce_scratch[lid] = max(reduce_scratch[lid], reduce_scratch[lid + stride]);
        }
        barrier();
    }
    const float total = reduce_scratch[0];
    barrier();
    return total;
#endif
}
