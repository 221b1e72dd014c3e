#include "model/transformer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>
#include <utility>

namespace parlo::model {

Result<std::unique_ptr<Transformer>> Transformer::create(Model &model, Backend &backend, const TransformerOptions &options)
{
    const HParams &hp = model.hparams();
    if (options.kvType != TensorType::F16 && options.kvType != TensorType::F32)
        return makeError("the KV cache type must be F16 or F32");
    std::unique_ptr<Transformer> t(new Transformer(model, backend));
    const MemoryPlan memory = plan(hp, options);
    t->m_nCtx = memory.n_ctx;
    t->m_nBatch = memory.n_batch;
    t->m_kvType = options.kvType;
    if (t->m_nCtx == 0)
        return makeError("the context length is zero");
    // LongRoPE: the factor set is fixed for the cache's lifetime, since cached keys are stored
    // rotated; llama.cpp chooses the same way, by the context length.
    const ModelWeights &w = model.weights();
    if (w.rope_factors_long.valid() && w.rope_factors_short.valid())
        t->m_ropeFactors = t->m_nCtx > hp.n_ctx_orig ? &w.rope_factors_long : &w.rope_factors_short;
    else if (w.rope_freqs.valid())
        t->m_ropeFactors = &w.rope_freqs;
    PARLO_TRY(t->allocate());
    return t;
}

namespace {

// Element counts of the activation buffers of one micro-batch of `nb` tokens, in the order of
// the Buf enum; shared by allocate() and plan() so the plan is what gets allocated.
std::array<size_t, 17> scratchSizes(const HParams &hp, size_t nb)
{
    const size_t k = std::max<uint32_t>(1, hp.n_expert_used);
    return {
        nb * hp.n_embd,     // X: the residual stream
        nb * hp.n_embd,     // H: normed input / sub-layer output
        hp.parallelBlock ? nb * hp.n_embd : 1, // H2: the attention's own norm (Falcon 40B)
        nb * hp.n_embd_q(), // Q
        nb * hp.n_embd_kv(),
        nb * hp.n_embd_kv(),
        nb * hp.n_embd_q(), // Att
        nb * k * hp.n_ff,   // Gate
        nb * k * hp.n_ff,   // Up
        nb * hp.n_embd,     // Ffn
        nb * std::max<uint32_t>(1, hp.n_expert),
        nb * k,             // ExpertIds (I32)
        nb * k,
        nb * k * hp.n_embd, // ExpertOut
        nb * hp.n_vocab,    // Logits
        nb,                 // Ids (I32)
        nb,                 // Pos (I32)
    };
}

} // namespace

Transformer::MemoryPlan Transformer::plan(const HParams &hp, const TransformerOptions &options)
{
    MemoryPlan p;
    p.n_ctx = options.n_ctx == 0 ? std::min(hp.n_ctx_train, k_defaultContext) : std::min(options.n_ctx, hp.n_ctx_train);
    p.n_batch = std::clamp<uint32_t>(options.n_batch, 1, std::max<uint32_t>(1, p.n_ctx));
    p.kvBytes = 2ull * hp.n_layer * p.n_ctx * hp.n_embd_kv() * (options.kvType == TensorType::F16 ? 2 : 4);
    for (size_t n : scratchSizes(hp, p.n_batch))
        p.scratchBytes += uint64_t(n) * 4; // F32 and I32 alike
    return p;
}

uint64_t Transformer::kvCacheBytes() const
{
    const HParams &hp = m_model.hparams();
    return 2ull * hp.n_layer * m_nCtx * hp.n_embd_kv() * (m_kvType == TensorType::F16 ? 2 : 4);
}

BufferView Transformer::view(size_t index, uint32_t ne0, uint32_t ne1) const
{
    return BufferView{m_buffers[index].get(), 0, ne0, ne1};
}

Result<void> Transformer::allocate()
{
    const HParams &hp = m_model.hparams();
    const auto sizes = scratchSizes(hp, m_nBatch);
    static_assert(std::tuple_size_v<decltype(sizes)> == BufCount);
    m_buffers.clear();
    for (size_t i = 0; i < BufCount; ++i) {
        const TensorType type = (i == ExpertIds || i == Ids || i == Pos) ? TensorType::I32 : TensorType::F32;
        auto buffer = m_backend.createBuffer(type, sizes[i]);
        if (!buffer)
            return buffer.error();
        m_buffers.push_back(std::move(buffer.value()));
    }
    for (uint32_t il = 0; il < hp.n_layer; ++il) {
        for (auto *cache : {&m_kCache, &m_vCache}) {
            auto buffer = m_backend.createBuffer(m_kvType, size_t(m_nCtx) * hp.n_embd_kv());
            if (!buffer)
                return buffer.error().withContext("allocating the KV cache");
            cache->push_back(BufferView{buffer.value().get(), 0, hp.n_embd_kv(), m_nCtx});
            m_buffers.push_back(std::move(buffer.value()));
        }
    }
    return {};
}

void Transformer::norm(BufferView x, const Weight &weight, const Weight &bias, BufferView y)
{
    const HParams &hp = m_model.hparams();
    const Weight *w = weight.valid() ? &weight : nullptr;
    if (hp.layerNorm)
        m_backend.layerNorm(x, w, bias.valid() ? &bias : nullptr, y, hp.norm_eps);
    else
        m_backend.rmsNorm(x, w, y, hp.rms_eps);
}

void Transformer::feedForward(const LayerWeights &w, BufferView in, uint32_t n)
{
    const HParams &hp = m_model.hparams();
    Backend &be = m_backend;
    const BufferView ffn = view(Ffn, hp.n_embd, n);
    if (hp.n_expert == 0) {
        const BufferView gate = view(Gate, hp.n_ff, n), up = view(Up, hp.n_ff, n);
        be.matmul(w.ffn_up, in, up);
        if (hp.ffn == HParams::Ffn::Gelu) {
            be.gelu(up, up);
            be.matmul(w.ffn_down, up, ffn);
            return;
        }
        be.matmul(w.ffn_gate, in, gate);
        if (hp.ffn == HParams::Ffn::GeGLU)
            be.geglu(gate, up, gate);
        else
            be.swiglu(gate, up, gate);
        be.matmul(w.ffn_down, gate, ffn);
        return;
    }
    const uint32_t kk = hp.n_expert_used;
    const BufferView router = view(RouterLogits, hp.n_expert, n);
    const BufferView ids = view(ExpertIds, kk, n), weights = view(ExpertWeights, kk, n);
    const BufferView gate = view(Gate, hp.n_ff, n * kk), up = view(Up, hp.n_ff, n * kk);
    const BufferView out = view(ExpertOut, hp.n_embd, n * kk);
    be.matmul(w.ffn_gate_inp, in, router);
    be.moeRoute(router, kk, true, ids, weights);
    be.matmulExperts(w.ffn_gate_exps, hp.n_ff, in, ids, gate);
    be.matmulExperts(w.ffn_up_exps, hp.n_ff, in, ids, up);
    be.swiglu(gate, up, gate);
    be.matmulExperts(w.ffn_down_exps, hp.n_embd, gate, ids, out);
    be.moeCombine(out, weights, ffn);
}

void Transformer::layer(uint32_t il, uint32_t n, uint32_t pos0)
{
    const HParams &hp = m_model.hparams();
    const LayerWeights &w = m_model.weights().layers[il];
    Backend &be = m_backend;
    const BufferView x = view(X, hp.n_embd, n), h = view(H, hp.n_embd, n);
    const BufferView q = view(Q, hp.n_embd_q(), n), k = view(K, hp.n_embd_kv(), n), v = view(V, hp.n_embd_kv(), n);
    const BufferView att = view(Att, hp.n_embd_q(), n), pos = view(Pos, n, 1);
    const BufferView ffn = view(Ffn, hp.n_embd, n);

    // Attention block. Families without a pre-norm (OLMo2) feed the residual stream itself.
    BufferView in = x;
    if (hp.preNorm) {
        norm(x, w.attn_norm, w.attn_norm_b, h);
        in = h;
    }
    const BufferView parallelFfnIn = in;
    if (w.attn_norm_2.valid()) {
        // Falcon 40B: attention reads its own norm; attn_norm's output goes to the MLP only.
        in = view(H2, hp.n_embd, n);
        norm(x, w.attn_norm_2, w.attn_norm_2_b, in);
    }
    be.matmul(w.wq, in, q);
    be.matmul(w.wk, in, k);
    be.matmul(w.wv, in, v);
    for (auto [bias, dst] : {std::pair{&w.bq, q}, {&w.bk, k}, {&w.bv, v}}) {
        if (bias->valid())
            be.addBias(dst, *bias);
        if (hp.clamp_kqv > 0.0f)
            be.clamp(dst, hp.clamp_kqv);
    }
    // q/k RMSNorm: a [head_dim] weight normalises each head (Qwen3), a full-width one the
    // whole projection (OLMo2). In place.
    for (auto [nw, dst, heads] : {std::tuple{&w.attn_q_norm, q, hp.n_head}, {&w.attn_k_norm, k, hp.n_head_kv}}) {
        if (!nw->valid())
            continue;
        const BufferView t = nw->view.n_cols == hp.head_dim ? dst.reshaped(hp.head_dim, n * heads) : dst;
        be.rmsNorm(t, nw, t, hp.rms_eps);
    }
    const RopeParams rope{hp.ropeStyle, hp.n_rot, hp.rope_freq_base, hp.rope_freq_scale, m_ropeFactors,
                          hp.rope_attn_factor};
    be.rope(q, hp.head_dim, pos, rope);
    be.rope(k, hp.head_dim, pos, rope);
    be.kvStore(k, v, m_kCache[il], m_vCache[il], pos0);
    AttentionParams ap{hp.n_head, hp.n_head_kv, hp.head_dim, pos0, 1.0f / std::sqrt(float(hp.head_dim))};
    ap.window = hp.slidingLayer(il) ? hp.n_swa : 0;
    ap.softcap = hp.attn_softcap;
    be.attention(q, m_kCache[il], m_vCache[il], att, ap);
    if (hp.parallelBlock) {
        // Falcon: the feed-forward reads the normed input too, and both outputs are added.
        feedForward(w, parallelFfnIn, n);
        be.matmul(w.wo, att, h);
        be.add(x, h, x);
        be.add(x, ffn, x);
        return;
    }
    be.matmul(w.wo, att, h);
    if (w.attn_post_norm.valid())
        be.rmsNorm(h, &w.attn_post_norm, h, hp.rms_eps);
    be.add(x, h, x);

    // Feed-forward block.
    in = x;
    if (hp.preNorm) {
        norm(x, w.ffn_norm, Weight{}, h);
        in = h;
    }
    feedForward(w, parallelFfnIn, n);
    if (w.ffn_post_norm.valid())
        be.rmsNorm(ffn, &w.ffn_post_norm, ffn, hp.rms_eps);
    be.add(x, ffn, x);
}

Result<void> Transformer::forward(std::span<const int32_t> tokens, uint32_t pos0, bool allLogits, std::vector<float> &logits)
{
    const HParams &hp = m_model.hparams();
    if (tokens.empty())
        return makeError("nothing to evaluate: no tokens");
    if (uint64_t(pos0) + tokens.size() > m_nCtx)
        return makeError(std::to_string(pos0 + tokens.size()) + " tokens do not fit the context of " + std::to_string(m_nCtx));
    for (int32_t id : tokens) {
        if (id < 0 || uint32_t(id) >= hp.n_vocab)
            return makeError("token id " + std::to_string(id) + " is out of range (the vocabulary has " + std::to_string(hp.n_vocab)
                             + " tokens)");
    }
    PARLO_TRY(m_model.checkFileUnchanged());

    const uint32_t n_vocab = hp.n_vocab;
    logits.assign(allLogits ? tokens.size() * n_vocab : n_vocab, 0.0f);
    const ModelWeights &mw = m_model.weights();
    for (size_t done = 0; done < tokens.size();) {
        const uint32_t n = uint32_t(std::min<size_t>(m_nBatch, tokens.size() - done));
        const uint32_t p0 = pos0 + uint32_t(done);
        std::vector<int32_t> positions(n);
        for (uint32_t i = 0; i < n; ++i)
            positions[i] = int32_t(p0 + i);
        m_backend.writeIds(view(Ids, n, 1), tokens.subspan(done, n));
        m_backend.writeIds(view(Pos, n, 1), positions);
        m_backend.getRows(mw.tok_embd, view(Ids, 1, n), view(X, hp.n_embd, n));
        if (hp.embd_scale > 0.0f)
            m_backend.scale(view(X, hp.n_embd, n), hp.embd_scale);
        for (uint32_t il = 0; il < hp.n_layer; ++il) {
            layer(il, n, p0);
            // One atomic load: a file truncated mid-pass skips the remaining layers (the rest
            // of the pass still runs, so a backend's recorded work stays consistent) and the
            // check after the pass reports it.
            if (m_model.file().mappingLost())
                break;
        }

        const bool last = done + n == tokens.size();
        if (allLogits || last) {
            // Only the rows whose logits are wanted go through the output norm and head.
            const uint32_t first = allLogits ? 0 : n - 1, rows = allLogits ? n : 1;
            const BufferView x = view(X, hp.n_embd, n).rows(first, rows);
            const BufferView h = view(H, hp.n_embd, rows);
            const BufferView out = view(Logits, n_vocab, rows);
            norm(x, mw.output_norm, mw.output_norm_b, h);
            m_backend.matmul(mw.output, h, out);
            if (hp.final_softcap > 0.0f)
                m_backend.softcap(out, hp.final_softcap);
            float *dst = logits.data() + (allLogits ? done * n_vocab : 0);
            m_backend.read(out, std::span<float>(dst, size_t(rows) * n_vocab));
        }
        done += n;
    }
    // A GPU backend reports device loss or memory exhaustion here; the logits are then void.
    PARLO_TRY(m_backend.status());
    // The file may have changed while this pass read it (cp over it keeps the inode but not
    // the bytes): the logits are only as good as the weights they came from.
    PARLO_TRY(m_model.checkFileUnchanged());
    return checkFinite(logits);
}

Result<void> Transformer::checkFinite(std::span<const float> logits)
{
    // NaN or Inf weights (or a backend bug) poison every logit after them; without this the
    // sampler picks some id from garbage and the user reads "####". One pass over the row is
    // noise next to the pass that made it.
    for (float v : logits) {
        if (!std::isfinite(v))
            return makeError("the model produced non-finite values (NaN/Inf): the file is broken or the backend misbehaves");
    }
    return {};
}

} // namespace parlo::model
