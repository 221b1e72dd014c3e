#include "parlo/memory_estimate.h"

#include "model/model.h"
#include "model/transformer.h"
#include "parlo/engine.h"

namespace parlo {

Result<MemoryEstimate> estimateModelMemory(const gguf::File &file, uint32_t n_ctx)
{
    // Binding checks every tensor's name and shape, so a file the engine would refuse fails
    // here too; the views point into the mapping and are never dereferenced.
    model::HParams hp;
    model::ModelWeights weights;
    PARLO_TRY(model::Model::bind(file, hp, weights));

    const LoadOptions defaults; // the engine's defaults, so the estimate is what a plain load plans
    model::TransformerOptions options;
    options.n_ctx = n_ctx;
    options.n_batch = defaults.batchSize;
    options.kvType = defaults.kvType;
    const model::Transformer::MemoryPlan plan = model::Transformer::plan(hp, options);

    MemoryEstimate estimate;
    estimate.n_ctx = plan.n_ctx;
    estimate.kvBytes = plan.kvBytes;
    estimate.scratchBytes = plan.scratchBytes;
    for (const Weight *w : model::Model::weightsOf(hp, weights))
        estimate.weightBytes += w->view.n_rows * w->view.rowBytes;
    return estimate;
}

} // namespace parlo
