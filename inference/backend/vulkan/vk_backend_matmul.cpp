// The weight-reading ops of the Vulkan backend: embedding lookup, matmul (decode mat-vec and
// prefill mat-mat) and the expert matmul. Each dispatch covers one chunk of the weight.
#include "vk_backend.h"
#include "vk_dispatch.h"

#include <algorithm>
#include <array>

namespace parlo::vk {
namespace {

constexpr uint32_t k_matvecBlock = 64;   // threads per row group
constexpr uint32_t k_matvecRows = 2;     // rows per workgroup: x is loaded once for both
constexpr uint32_t k_matmulTileRows = 64; // shaders/matmul/matmul.comp's BM and BN
constexpr uint32_t k_matmulTileTokens = 32;
constexpr uint32_t k_getRowsBlock = 128;
// Up to this many tokens the mat-vec (weights read once per token) beats tiling's setup.
constexpr uint32_t k_matvecMaxTokens = 4;

struct MatvecParams
{
    uint32_t n_cols, n_rows, row_bytes, x_offset, x_stride, y_offset, y_stride, row_base, chunk_rows, ids_offset, k,
        x_shared;
};
struct MatmulParams
{
    uint32_t n_cols, n_rows, row_bytes, x_offset, x_stride, y_offset, y_stride, row_base, n_tokens;
};
struct GetRowsParams
{
    uint32_t n_cols, row_bytes, ids_offset, out_offset, out_stride, row_base, chunk_rows, total_rows;
};

Binding weightBinding(const DeviceWeight::Chunk &chunk) { return {&chunk.buffer, 0, VK_WHOLE_SIZE, false}; }

} // namespace

void VulkanBackend::getRows(const Weight &table, BufferView ids, BufferView out)
{
    if (failed() || out.ne1 == 0)
        return;
    auto run = [&]() -> Result<void> {
        const WeightView &w = table.view;
        if (out.ne0 != w.n_cols)
            return makeError("get_rows: output rows of " + std::to_string(out.ne0) + " for a table of " +
                             std::to_string(w.n_cols) + " columns");
        auto dw = deviceWeight(table);
        if (!dw)
            return dw.error();
        auto bi = bind(ids, out.ne1, false);
        auto bo = bind(out, out.elements(), true);
        if (!bi || !bo)
            return (!bi ? bi : bo).error();
        auto p = pipeline("get_rows_" + typeSuffix(w.type) + "_f32", 3, sizeof(GetRowsParams), {k_getRowsBlock});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        for (const auto &chunk : (*dw)->chunks) {
            const GetRowsParams params{uint32_t(w.n_cols), uint32_t(w.rowBytes), bi->offset, bo->offset, out.ne0,
                                       uint32_t(chunk.firstRow), uint32_t(chunk.rows), uint32_t(w.n_rows)};
            const std::array<Binding, 3> bindings{weightBinding(chunk), bi->binding, bo->binding};
            PARLO_TRY(b->dispatch(**p, bindings, bytesOf(params), (out.ne0 + k_getRowsBlock - 1) / k_getRowsBlock,
                                  out.ne1));
        }
        return {};
    };
    dispatchOrFail(run());
}

void VulkanBackend::matmul(const Weight &w, BufferView x, BufferView y)
{
    if (failed() || x.ne1 == 0)
        return;
    auto run = [&]() -> Result<void> {
        const WeightView &wv = w.view;
        if (x.ne0 < wv.n_cols || y.ne0 < wv.n_rows || y.ne1 < x.ne1)
            return makeError("matmul: x [" + std::to_string(x.ne1) + ", " + std::to_string(x.ne0) + "] and y [" +
                             std::to_string(y.ne1) + ", " + std::to_string(y.ne0) + "] do not fit a weight of " +
                             std::to_string(wv.n_rows) + " x " + std::to_string(wv.n_cols));
        auto dw = deviceWeight(w);
        if (!dw)
            return dw.error();
        auto bx = bind(x, x.elements(), false);
        auto by = bind(y, size_t(y.ne0) * x.ne1, true);
        if (!bx || !by)
            return (!bx ? bx : by).error();
        const uint32_t n_tokens = x.ne1;
        const bool matvec = m_matmulPath == MatmulPath::MatVec ||
                            (m_matmulPath == MatmulPath::Auto && n_tokens <= k_matvecMaxTokens);
        const std::string type = typeSuffix(wv.type);
        auto p = matvec ? pipeline(subgroupVariant("matvec_" + type + "_f32"), 3, sizeof(MatvecParams),
                                   {k_matvecBlock, k_matvecRows})
                        : pipeline("matmul_" + type + "_f32", 3, sizeof(MatmulParams), {});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        for (const auto &chunk : (*dw)->chunks) {
            const std::array<Binding, 3> bindings{weightBinding(chunk), bx->binding, by->binding};
            const uint32_t rows = uint32_t(chunk.rows);
            if (matvec) {
                const MatvecParams params{uint32_t(wv.n_cols), rows, uint32_t(wv.rowBytes), bx->offset, x.ne0,
                                          by->offset, y.ne0, uint32_t(chunk.firstRow), rows, 0, 1, 0};
                const auto [gx, gy] = splitGroups((rows + k_matvecRows - 1) / k_matvecRows);
                PARLO_TRY(b->dispatch(**p, bindings, bytesOf(params), gx, gy, n_tokens));
            } else {
                const MatmulParams params{uint32_t(wv.n_cols), rows, uint32_t(wv.rowBytes), bx->offset, x.ne0,
                                          by->offset, y.ne0, uint32_t(chunk.firstRow), n_tokens};
                PARLO_TRY(b->dispatch(**p, bindings, bytesOf(params), (rows + k_matmulTileRows - 1) / k_matmulTileRows,
                                      (n_tokens + k_matmulTileTokens - 1) / k_matmulTileTokens));
            }
        }
        return {};
    };
    dispatchOrFail(run());
}

void VulkanBackend::matmulExperts(const Weight &w, uint32_t rowsPerExpert, BufferView x, BufferView ids, BufferView y)
{
    if (failed() || ids.ne1 == 0 || ids.ne0 == 0)
        return;
    auto run = [&]() -> Result<void> {
        const WeightView &wv = w.view;
        const uint32_t k = ids.ne0, n_tokens = ids.ne1;
        const uint32_t slots = k * n_tokens;
        const bool shared = x.ne1 == n_tokens;
        if (rowsPerExpert == 0 || wv.n_rows % rowsPerExpert != 0 || x.ne0 < wv.n_cols || y.ne0 < rowsPerExpert ||
            (!shared && x.ne1 < slots) || y.ne1 < slots)
            return makeError("matmul_experts: shapes do not fit " + std::to_string(wv.n_rows / std::max(rowsPerExpert, 1u)) +
                             " experts of " + std::to_string(rowsPerExpert) + " rows");
        auto dw = deviceWeight(w);
        if (!dw)
            return dw.error();
        auto bx = bind(x, x.elements(), false);
        auto bi = bind(ids, ids.elements(), false);
        auto by = bind(y, size_t(y.ne0) * slots, true);
        if (!bx || !bi || !by)
            return (!bx ? bx : !bi ? bi : by).error();
        auto p = pipeline(subgroupVariant("matvec_id_" + typeSuffix(wv.type) + "_f32"), 4, sizeof(MatvecParams),
                          {k_matvecBlock, k_matvecRows});
        if (!p)
            return p.error();
        CommandBatch *b = batch();
        if (!b)
            return *m_error;
        for (const auto &chunk : (*dw)->chunks) {
            const std::array<Binding, 4> bindings{weightBinding(chunk), bx->binding, by->binding, bi->binding};
            const MatvecParams params{uint32_t(wv.n_cols), rowsPerExpert, uint32_t(wv.rowBytes), bx->offset, x.ne0,
                                      by->offset, y.ne0, uint32_t(chunk.firstRow), uint32_t(chunk.rows), bi->offset,
                                      k, shared ? 1u : 0u};
            const auto [gx, gy] = splitGroups((rowsPerExpert + k_matvecRows - 1) / k_matvecRows);
            PARLO_TRY(b->dispatch(**p, bindings, bytesOf(params), gx, gy, slots));
        }
        return {};
    };
    dispatchOrFail(run());
}

} // namespace parlo::vk
