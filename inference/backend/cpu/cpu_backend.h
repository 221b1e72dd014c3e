// The CPU backend: the reference implementation of every op, threaded over rows.
#pragma once

#include "backend/backend.h"
#include "cpu_quant_dot.h"
#include "thread_pool.h"

#include <memory>
#include <vector>

namespace parlo::cpu {

class CpuBuffer : public BackendBuffer
{
public:
    CpuBuffer(TensorType type, size_t count, size_t bytes);
    void *data() { return m_storage.get(); }

private:
    struct Free { void operator()(void *p) const; };
    std::unique_ptr<void, Free> m_storage;
};

class CpuBackend : public Backend
{
public:
    // n_threads 0: one per hardware thread.
    explicit CpuBackend(unsigned n_threads = 0);
    ~CpuBackend() override;

    std::string name() const override;
    unsigned threadCount() const override { return m_pool.size(); }

    Result<std::unique_ptr<BackendBuffer>> createBuffer(TensorType type, size_t count) override;
    Result<void> prepareWeight(Weight &weight) override;
    void write(BufferView dst, std::span<const float> src) override;
    void writeIds(BufferView dst, std::span<const int32_t> src) override;
    void read(BufferView src, std::span<float> dst) override;

    void getRows(const Weight &table, BufferView ids, BufferView out) override;
    void rmsNorm(BufferView x, const Weight *weight, BufferView y, float eps) override;
    void layerNorm(BufferView x, const Weight *weight, const Weight *bias, BufferView y, float eps) override;
    void matmul(const Weight &w, BufferView x, BufferView y) override;
    // Off: decode mat-vecs keep float activations instead of rounding them to int8 blocks for
    // integer dots. Parity tests of other backends compare against the exact float result.
    void setIntegerDecode(bool enabled) { m_integerDecode = enabled; }
    void matmulExperts(const Weight &w, uint32_t rowsPerExpert, BufferView x, BufferView ids, BufferView y) override;
    void rope(BufferView x, uint32_t head_dim, BufferView positions, const RopeParams &params) override;
    void kvStore(BufferView k, BufferView v, BufferView kCache, BufferView vCache, uint32_t pos0) override;
    void attention(BufferView q, BufferView kCache, BufferView vCache, BufferView out, const AttentionParams &params) override;
    void swiglu(BufferView gate, BufferView up, BufferView out) override;
    void geglu(BufferView gate, BufferView up, BufferView out) override;
    void gelu(BufferView x, BufferView out) override;
    void clamp(BufferView x, float limit) override;
    void softcap(BufferView x, float cap) override;
    void scale(BufferView x, float s) override;
    void add(BufferView a, BufferView b, BufferView out) override;
    void addBias(BufferView x, const Weight &bias) override;
    void mul(BufferView a, BufferView b, BufferView out) override;
    void softmax(BufferView x) override;
    void moeRoute(BufferView logits, uint32_t k, bool renormalise, BufferView ids, BufferView weights) override;
    void moeCombine(BufferView expertOut, BufferView weights, BufferView out) override;

private:
    template<typename F>
    void parallel(size_t work, F &&fn);

    ThreadPool m_pool;
    std::vector<std::vector<float>> m_scratch; // one per thread
    std::vector<ActBlock> m_actBlocks; // decode activations, rounded once per matmul
    bool m_integerDecode = true;
};

} // namespace parlo::cpu
