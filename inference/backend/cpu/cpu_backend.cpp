#include "cpu_backend.h"

#include "cpu_matmul.h"
#include "cpu_norm.h"
#include "cpu_ops.h"
#include "cpu_quant_dot.h"
#include "cpu_simd.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

namespace parlo::cpu {

namespace {

float *f32(BufferView v) { return static_cast<float *>(static_cast<CpuBuffer *>(v.buffer)->data()) + v.offset; }
int32_t *i32(BufferView v) { return static_cast<int32_t *>(static_cast<CpuBuffer *>(v.buffer)->data()) + v.offset; }
std::byte *raw(BufferView v)
{
    const size_t elementBytes = v.buffer->type() == TensorType::F16 ? 2 : 4;
    return static_cast<std::byte *>(static_cast<CpuBuffer *>(v.buffer)->data()) + v.offset * elementBytes;
}

// Below this many multiply-adds (or element updates) an op runs on the calling thread: waking
// workers costs more than the work, and much more when the machine is oversubscribed.
constexpr size_t k_minParallelWork = 1 << 15;

} // namespace

template<typename F>
void CpuBackend::parallel(size_t work, F &&fn)
{
    if (work < k_minParallelWork || m_pool.size() == 1)
        fn(0u, 1u, 0u);
    else
        m_pool.run(fn);
}

void CpuBuffer::Free::operator()(void *p) const { std::free(p); }

CpuBuffer::CpuBuffer(TensorType type, size_t count, size_t bytes)
    : BackendBuffer(type, count)
{
    // 64-byte alignment: whole cache lines per row start, aligned vector loads possible.
    const size_t rounded = std::max<size_t>(64, (bytes + 63) / 64 * 64);
    m_storage.reset(std::aligned_alloc(64, rounded));
    if (m_storage)
        std::memset(m_storage.get(), 0, rounded);
}

CpuBackend::CpuBackend(unsigned n_threads)
    : m_pool(n_threads)
    , m_scratch(m_pool.size())
{
}

CpuBackend::~CpuBackend() = default;

std::string CpuBackend::name() const
{
    return "CPU (" + std::to_string(m_pool.size()) + " threads" + (hasAvx2Fma() ? ", AVX2" : "") + ")";
}

Result<std::unique_ptr<BackendBuffer>> CpuBackend::createBuffer(TensorType type, size_t count)
{
    size_t elementBytes = 0;
    switch (type) {
    case TensorType::F32:
    case TensorType::I32:
        elementBytes = 4;
        break;
    case TensorType::F16:
        elementBytes = 2;
        break;
    default:
        return makeError("the CPU backend has no buffers of type " + tensorTypeName(uint32_t(type)));
    }
    if (count > SIZE_MAX / elementBytes / 2)
        return makeError("buffer of " + std::to_string(count) + " elements is too large");
    auto buffer = std::make_unique<CpuBuffer>(type, count, count * elementBytes);
    if (!buffer->data())
        return makeError("out of memory allocating " + std::to_string(count * elementBytes / (1024 * 1024)) + " MiB");
    return std::unique_ptr<BackendBuffer>(std::move(buffer));
}

Result<void> CpuBackend::prepareWeight(Weight &weight)
{
    if (!weightTypeSupported(weight.view.type))
        return makeError("tensor type " + tensorTypeName(uint32_t(weight.view.type)) + " is not supported by the CPU backend");
    return {};
}

void CpuBackend::write(BufferView dst, std::span<const float> src)
{
    std::memcpy(f32(dst), src.data(), std::min(src.size(), dst.elements()) * sizeof(float));
}

void CpuBackend::writeIds(BufferView dst, std::span<const int32_t> src)
{
    std::memcpy(i32(dst), src.data(), std::min(src.size(), dst.elements()) * sizeof(int32_t));
}

void CpuBackend::read(BufferView src, std::span<float> dst)
{
    std::memcpy(dst.data(), f32(src), std::min(dst.size(), src.elements()) * sizeof(float));
}

void CpuBackend::getRows(const Weight &table, BufferView ids, BufferView out)
{
    const int32_t *idp = i32(ids);
    float *o = f32(out);
    const WeightView &w = table.view;
    for (uint32_t t = 0; t < out.ne1; ++t) {
        const int32_t id = std::clamp<int32_t>(idp[t], 0, int32_t(w.n_rows) - 1); // the engine validates ids
        dequantizeRowTo(w.type, w.data + uint64_t(id) * w.rowBytes, o + size_t(t) * out.ne0, w.n_cols);
    }
}

void CpuBackend::rmsNorm(BufferView x, const Weight *weight, BufferView y, float eps)
{
    const float *xp = f32(x);
    float *yp = f32(y);
    std::span<const float> wspan;
    if (weight && weight->valid())
        wspan = {reinterpret_cast<const float *>(weight->view.data), size_t(weight->view.n_cols)};
    parallel(x.elements(), [&](unsigned ith, unsigned nth, unsigned) {
        size_t b, e;
        ThreadPool::split(x.ne1, ith, nth, b, e);
        if (b < e)
            cpu::rmsNorm({xp + b * x.ne0, (e - b) * x.ne0}, wspan, {yp + b * x.ne0, (e - b) * x.ne0}, x.ne0, eps);
    });
}

void CpuBackend::layerNorm(BufferView x, const Weight *weight, const Weight *bias, BufferView y, float eps)
{
    auto floats = [](const Weight *w) {
        return w && w->valid() ? std::span<const float>(reinterpret_cast<const float *>(w->view.data), size_t(w->view.n_cols))
                               : std::span<const float>();
    };
    const std::span<const float> ws = floats(weight), bs = floats(bias);
    const float *xp = f32(x);
    float *yp = f32(y);
    parallel(x.elements(), [&](unsigned ith, unsigned nth, unsigned) {
        size_t b, e;
        ThreadPool::split(x.ne1, ith, nth, b, e);
        if (b < e)
            cpu::layerNorm({xp + b * x.ne0, (e - b) * x.ne0}, ws, bs, {yp + b * x.ne0, (e - b) * x.ne0}, x.ne0, eps);
    });
}

void CpuBackend::matmul(const Weight &w, BufferView x, BufferView y)
{
    const float *xp = f32(x);
    float *yp = f32(y);
    const size_t n_rows = w.view.n_rows;
    const size_t n_cols = w.view.n_cols;
    if (m_integerDecode && x.ne1 <= 2 && quantDotSupported(w.view.type, n_cols)) {
        // Decode: round the activations once, then every row is an integer dot product.
        const size_t nb = n_cols / 32;
        m_actBlocks.resize(nb * x.ne1);
        for (uint32_t t = 0; t < x.ne1; ++t)
            quantizeActivations(w.view.type, xp + size_t(t) * x.ne0, n_cols, m_actBlocks.data() + t * nb);
        parallel(n_rows * n_cols * x.ne1, [&](unsigned ith, unsigned nth, unsigned) {
            size_t b, e;
            ThreadPool::split(n_rows, ith, nth, b, e);
            for (size_t r = b; r < e; ++r)
                for (uint32_t t = 0; t < x.ne1; ++t)
                    yp[t * y.ne0 + r] = quantDot(w.view.type, w.view.data + r * w.view.rowBytes, m_actBlocks.data() + t * nb, n_cols);
        });
        return;
    }
    parallel(n_rows * n_cols * x.ne1, [&](unsigned ith, unsigned nth, unsigned tid) {
        size_t b, e;
        ThreadPool::split(n_rows, ith, nth, b, e);
        matmulRows(w.view, b, e, xp, x.ne0, x.ne1, yp, y.ne0, m_scratch[tid]);
    });
}

void CpuBackend::matmulExperts(const Weight &w, uint32_t rowsPerExpert, BufferView x, BufferView ids, BufferView y)
{
    const float *xp = f32(x);
    float *yp = f32(y);
    const int32_t *idp = i32(ids);
    const uint32_t k = ids.ne0;
    const uint32_t n_tokens = ids.ne1;
    const bool shared = x.ne1 == n_tokens; // one input row per token, used by all its slots
    const uint32_t n_expert = uint32_t(w.view.n_rows / rowsPerExpert);
    // Group (token, slot) pairs by expert so each expert's rows are read once per batch.
    std::vector<std::vector<uint32_t>> slotsOf(n_expert);
    for (uint32_t s = 0; s < n_tokens * k; ++s) {
        const int32_t e = idp[s];
        if (e >= 0 && uint32_t(e) < n_expert)
            slotsOf[e].push_back(s);
    }
    parallel(size_t(rowsPerExpert) * w.view.n_cols * ids.elements(), [&](unsigned ith, unsigned nth, unsigned tid) {
        size_t b, e;
        ThreadPool::split(rowsPerExpert, ith, nth, b, e);
        for (uint32_t ex = 0; ex < n_expert; ++ex) {
            const WeightView we = w.view.rowSlice(uint64_t(ex) * rowsPerExpert, rowsPerExpert);
            for (uint32_t s : slotsOf[ex]) {
                const float *xr = xp + size_t(shared ? s / k : s) * x.ne0;
                matmulRows(we, b, e, xr, x.ne0, 1, yp + size_t(s) * y.ne0, y.ne0, m_scratch[tid]);
            }
        }
    });
}

void CpuBackend::rope(BufferView x, uint32_t head_dim, BufferView positions, const RopeParams &params)
{
    float *xp = f32(x);
    const int32_t *pos = i32(positions);
    const float *factors = params.freqFactors && params.freqFactors->valid()
                               ? reinterpret_cast<const float *>(params.freqFactors->view.data)
                               : nullptr;
    const uint32_t n_head = x.ne0 / head_dim;
    parallel(x.elements() * 8, [&](unsigned ith, unsigned nth, unsigned) {
        size_t b, e;
        ThreadPool::split(x.ne1, ith, nth, b, e);
        if (b < e)
            cpu::rope(xp, b, e, n_head, head_dim, pos, params, factors);
    });
}

void CpuBackend::kvStore(BufferView k, BufferView v, BufferView kCache, BufferView vCache, uint32_t pos0)
{
    const size_t n = k.elements();
    const float *kp = f32(k), *vp = f32(v);
    const size_t at = size_t(pos0) * kCache.ne0;
    if (kCache.buffer->type() == TensorType::F16) {
        floatToHalfRow(kp, reinterpret_cast<uint16_t *>(raw(kCache)) + at, n);
        floatToHalfRow(vp, reinterpret_cast<uint16_t *>(raw(vCache)) + at, n);
    } else {
        std::memcpy(f32(kCache) + at, kp, n * sizeof(float));
        std::memcpy(f32(vCache) + at, vp, n * sizeof(float));
    }
}

void CpuBackend::attention(BufferView q, BufferView kCache, BufferView vCache, BufferView out, const AttentionParams &p)
{
    const float *qp = f32(q);
    float *op = f32(out);
    const void *kc = raw(kCache);
    const void *vc = raw(vCache);
    const TensorType kvType = kCache.buffer->type();
    const uint32_t n_tokens = q.ne1;
    const uint32_t group = p.n_head / p.n_head_kv;
    const size_t jobs = size_t(n_tokens) * p.n_head;
    parallel(jobs * (p.pos0 + n_tokens) * p.head_dim * 2, [&](unsigned ith, unsigned nth, unsigned tid) {
        size_t b, e;
        ThreadPool::split(jobs, ith, nth, b, e);
        std::vector<float> &scratch = m_scratch[tid];
        if (scratch.size() < p.pos0 + n_tokens)
            scratch.resize(p.pos0 + n_tokens);
        for (size_t job = b; job < e; ++job) {
            const uint32_t t = uint32_t(job / p.n_head), h = uint32_t(job % p.n_head);
            const uint32_t n_kv = p.pos0 + t + 1; // causal: keys up to this token's own position
            const uint32_t first = p.window > 0 && n_kv > p.window ? n_kv - p.window : 0;
            const size_t headOffset = size_t(h) * p.head_dim;
            attentionHead(qp + size_t(t) * q.ne0 + headOffset, kc, vc, kvType, kCache.ne0, size_t(h / group) * p.head_dim,
                          n_kv, p.head_dim, p.scale, scratch.data(), op + size_t(t) * out.ne0 + headOffset, first,
                          p.softcap);
        }
    });
}

void CpuBackend::swiglu(BufferView gate, BufferView up, BufferView out)
{
    const float *g = f32(gate), *u = f32(up);
    float *o = f32(out);
    parallel(out.elements() * 8, [&](unsigned ith, unsigned nth, unsigned) {
        size_t b, e;
        ThreadPool::split(out.elements(), ith, nth, b, e);
        if (b < e)
            cpu::swiglu(g + b, u + b, o + b, e - b);
    });
}

void CpuBackend::geglu(BufferView gate, BufferView up, BufferView out)
{
    const float *g = f32(gate), *u = f32(up);
    float *o = f32(out);
    for (size_t i = 0, n = out.elements(); i < n; ++i)
        o[i] = cpu::geluTanh(g[i]) * u[i];
}

void CpuBackend::gelu(BufferView x, BufferView out)
{
    const float *xp = f32(x);
    float *o = f32(out);
    for (size_t i = 0, n = out.elements(); i < n; ++i)
        o[i] = cpu::geluTanh(xp[i]);
}

void CpuBackend::clamp(BufferView x, float limit)
{
    float *xp = f32(x);
    for (size_t i = 0, n = x.elements(); i < n; ++i)
        xp[i] = std::clamp(xp[i], -limit, limit);
}

void CpuBackend::softcap(BufferView x, float cap)
{
    float *xp = f32(x);
    for (size_t i = 0, n = x.elements(); i < n; ++i)
        xp[i] = cap * std::tanh(xp[i] / cap);
}

void CpuBackend::scale(BufferView x, float s)
{
    float *xp = f32(x);
    for (size_t i = 0, n = x.elements(); i < n; ++i)
        xp[i] *= s;
}

void CpuBackend::add(BufferView a, BufferView b, BufferView out)
{
    const float *ap = f32(a), *bp = f32(b);
    float *o = f32(out);
    for (size_t i = 0, n = out.elements(); i < n; ++i)
        o[i] = ap[i] + bp[i];
}

void CpuBackend::addBias(BufferView x, const Weight &bias)
{
    float *xp = f32(x);
    const float *bp = reinterpret_cast<const float *>(bias.view.data);
    if (!bp || bias.view.type != TensorType::F32 || bias.view.n_cols * bias.view.n_rows < x.ne0)
        return; // the loaders only bind F32 biases of the row length
    for (uint32_t r = 0; r < x.ne1; ++r) {
        float *row = xp + size_t(r) * x.ne0;
        for (uint32_t c = 0; c < x.ne0; ++c)
            row[c] += bp[c];
    }
}

void CpuBackend::mul(BufferView a, BufferView b, BufferView out)
{
    const float *ap = f32(a), *bp = f32(b);
    float *o = f32(out);
    for (size_t i = 0, n = out.elements(); i < n; ++i)
        o[i] = ap[i] * bp[i];
}

void CpuBackend::softmax(BufferView x)
{
    float *xp = f32(x);
    for (uint32_t r = 0; r < x.ne1; ++r)
        softmaxRow(xp + size_t(r) * x.ne0, x.ne0);
}

void CpuBackend::moeRoute(BufferView logits, uint32_t k, bool renormalise, BufferView ids, BufferView weights)
{
    const float *lp = f32(logits);
    for (uint32_t t = 0; t < logits.ne1; ++t)
        moeRouteRow(lp + size_t(t) * logits.ne0, logits.ne0, k, renormalise, i32(ids) + size_t(t) * k,
                    f32(weights) + size_t(t) * k);
}

void CpuBackend::moeCombine(BufferView expertOut, BufferView weights, BufferView out)
{
    const float *ep = f32(expertOut), *wp = f32(weights);
    float *o = f32(out);
    const uint32_t k = weights.ne0;
    for (uint32_t t = 0; t < out.ne1; ++t) {
        float *row = o + size_t(t) * out.ne0;
        std::fill(row, row + out.ne0, 0.0f);
        for (uint32_t j = 0; j < k; ++j)
            axpyF32(wp[size_t(t) * k + j], ep + (size_t(t) * k + j) * expertOut.ne0, row, out.ne0);
    }
}

} // namespace parlo::cpu
