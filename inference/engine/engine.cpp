#include "parlo/engine.h"

#include "backend/cpu/cpu_backend.h"
#include "engine/text_codec.h"
#include "model/model.h"
#include "model/transformer.h"
#include "backend/backend_factory.h"
#include "parlo/devices.h"
#include "parlo/selftest.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

namespace parlo {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// Reads one byte per page of every weight so the first token does not wait on disk, and
// loading can report progress and be cancelled.
bool prefault(const std::vector<Weight *> &weights, const std::function<bool(float)> &progress, float from, float to)
{
    uint64_t total = 0, done = 0;
    for (const Weight *w : weights)
        total += w->view.n_rows * w->view.rowBytes;
    volatile uint8_t sink = 0;
    for (const Weight *w : weights) {
        const uint64_t bytes = w->view.n_rows * w->view.rowBytes;
        const auto *p = reinterpret_cast<const uint8_t *>(w->view.data);
        for (uint64_t off = 0; off < bytes; off += 4096)
            sink = sink + p[off];
        done += bytes;
        if (progress && !progress(from + (to - from) * float(double(done) / double(std::max<uint64_t>(1, total)))))
            return false;
    }
    return true;
}

std::string describeTypes(const gguf::File &file)
{
    std::map<std::string, int> counts;
    for (const auto &t : file.tensors())
        counts[tensorTypeName(t.typeId)]++;
    std::vector<std::pair<int, std::string>> sorted;
    for (auto &[name, n] : counts)
        sorted.emplace_back(-n, name);
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (auto &[n, name] : sorted)
        out += (out.empty() ? "" : ", ") + name + " ×" + std::to_string(-n);
    return out;
}

} // namespace

std::string_view stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::EndOfText:
        return "end of text";
    case StopReason::MaxTokens:
        return "token limit";
    case StopReason::StopString:
        return "stop string";
    case StopReason::Cancelled:
        return "stopped";
    case StopReason::ContextFull:
        return "context full";
    }
    return "unknown";
}

struct Engine::Impl
{
    std::unique_ptr<model::Model> model;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<model::Transformer> transformer;
    std::unique_ptr<engine::TextCodec> codec;
    std::string codecError;
    ModelDescription description;
    std::vector<int32_t> cached; // the tokens whose K/V are in the cache, positions 0..n-1
};

Engine::Engine() : m(std::make_unique<Impl>()) {}
Engine::~Engine() = default;

namespace {

std::string gibText(uint64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", double(bytes) / double(1ull << 30));
    return text;
}

// "the model needs 5.10 GiB of GPU memory (weights …, KV cache … for 4096 tokens, scratch …);
// NVIDIA … has 3.80 GiB free"
std::string describeShortfall(uint64_t needed, uint64_t weightBytes, const model::Transformer::MemoryPlan &memory,
                              uint64_t budget, const std::string &device)
{
    return "the model needs " + gibText(needed) + " of GPU memory (weights " + gibText(weightBytes) + ", KV cache " +
           gibText(memory.kvBytes) + " for " + std::to_string(memory.n_ctx) + " tokens, scratch " +
           gibText(memory.scratchBytes) + "); " + device + " has " + gibText(budget) +
           " free (a shorter context needs less)";
}

} // namespace

Result<std::unique_ptr<Engine>> Engine::load(const std::string &path, const LoadOptions &options)
{
    auto progress = options.progress;
    auto cancelled = [&](float p) { return progress && !progress(p); };
    const Error cancelError = makeError("loading was cancelled");

    auto request = parseDeviceRequest(options.device);
    if (!request)
        return request.error();
    if (cancelled(0.0f))
        return cancelError;

    std::unique_ptr<Engine> engine(new Engine());
    Impl &d = *engine->m;
    auto model = model::Model::load(path);
    if (!model)
        return model.error();
    d.model = std::move(model.value());
    if (cancelled(0.05f))
        return cancelError;

    DeviceVeto veto;
    if (options.deviceVeto) {
        veto = [&options, types = selfTestTypesOf(d.model->file())](const VulkanDeviceInfo &device) {
            return options.deviceVeto(device, types);
        };
    }
    auto selection = createBackend(*request, options.threads, veto);
    if (!selection)
        return selection.error();
    d.backend = std::move(selection->backend);
    std::string reason = selection->reason;
    const auto weights = d.model->allWeights();

    model::TransformerOptions topt;
    topt.n_ctx = options.contextLength;
    topt.n_batch = options.batchSize;
    topt.kvType = options.kvType;
    // The memory plan, before any upload: weights, KV cache and scratch against the device's
    // budget. `auto` may fall back to the CPU, saying why; an explicit device request fails.
    if (const auto budget = d.backend->deviceMemoryBudget()) {
        const model::Transformer::MemoryPlan memory = model::Transformer::plan(d.model->hparams(), topt);
        uint64_t weightBytes = 0;
        for (const Weight *w : weights)
            weightBytes += w->view.n_rows * w->view.rowBytes;
        const uint64_t needed = weightBytes + memory.kvBytes + memory.scratchBytes;
        if (needed > *budget) {
            const std::string why = describeShortfall(needed, weightBytes, memory, *budget, d.backend->name());
            if (request->kind != DeviceRequest::Kind::Auto)
                return makeError(why).withContext(path);
            d.backend = std::make_unique<cpu::CpuBackend>(options.threads);
            reason = "running on the CPU because " + why;
        }
    }
    for (size_t i = 0; i < weights.size(); ++i) {
        if (auto r = d.backend->prepareWeight(*weights[i]); !r)
            return r.error().withContext(path);
    }
    PARLO_TRY(d.model->checkFileUnchanged());
    if (!prefault(weights, progress, 0.05f, 0.95f))
        return cancelError;
    // Uploading and prefaulting read every page: a file truncated meanwhile shows here.
    PARLO_TRY(d.model->checkFileUnchanged());

    auto transformer = model::Transformer::create(*d.model, *d.backend, topt);
    if (!transformer)
        return transformer.error();
    d.transformer = std::move(transformer.value());

    auto codec = engine::createTextCodec(d.model->file());
    if (codec)
        d.codec = std::move(codec.value());
    else
        d.codecError = codec.error().message;

    const model::HParams &hp = d.model->hparams();
    ModelDescription &desc = d.description;
    desc.path = path;
    desc.name = hp.name;
    desc.architecture = hp.arch;
    desc.backend = d.backend->name();
    desc.deviceReason = reason;
    desc.n_vocab = hp.n_vocab;
    desc.n_ctx_train = hp.n_ctx_train;
    desc.n_ctx = d.transformer->contextLength();
    desc.n_embd = hp.n_embd;
    desc.n_layer = hp.n_layer;
    desc.n_head = hp.n_head;
    desc.n_head_kv = hp.n_head_kv;
    desc.n_expert = hp.n_expert;
    desc.n_expert_used = hp.n_expert_used;
    for (const auto &t : d.model->file().tensors())
        desc.n_params += t.elementCount();
    desc.fileBytes = d.model->file().fileSize();
    desc.weightBytes = d.model->weightBytes();
    desc.kvCacheBytes = d.transformer->kvCacheBytes();
    desc.decodeBytesPerToken = d.model->decodeBytesPerToken();
    desc.weightTypes = describeTypes(d.model->file());
    desc.kvType = d.transformer->kvType();
    desc.bos_id = hp.bos_id;
    desc.eos_id = hp.eos_id;
    desc.eot_id = hp.eot_id;
    if (progress)
        progress(1.0f);
    return engine;
}

const ModelDescription &Engine::describe() const { return m->description; }

Result<std::vector<int32_t>> Engine::tokenize(std::string_view text, bool addBos) const
{
    if (!m->codec)
        return makeError(m->codecError);
    return m->codec->tokenize(text, addBos);
}

Result<std::string> Engine::detokenize(std::span<const int32_t> tokens) const
{
    if (!m->codec)
        return makeError(m->codecError);
    return m->codec->detokenize(tokens);
}

void Engine::reset() { m->cached.clear(); }

Result<std::vector<float>> Engine::evaluate(std::span<const int32_t> tokens)
{
    m->cached.clear();
    std::vector<float> logits;
    PARLO_TRY(m->transformer->forward(tokens, 0, true, logits));
    m->cached.assign(tokens.begin(), tokens.end());
    return logits;
}

Result<GenerateStats> Engine::generate(const GenerateRequest &request, const PieceCallback &onPiece)
{
    Impl &d = *m;
    const uint32_t n_ctx = d.transformer->contextLength();
    GenerateStats stats;

    // Fit the prompt: keep system segments and the newest turn, drop the oldest turns until
    // the prompt leaves room to answer (a quarter of the context, or maxTokens if less).
    std::vector<const PromptSegment *> kept;
    size_t total = 0;
    for (const auto &s : request.prompt) {
        kept.push_back(&s);
        total += s.tokens.size();
    }
    if (total == 0)
        return makeError("the prompt is empty");
    const size_t reserve = std::clamp<size_t>(size_t(std::max(request.maxTokens, 1)), 1, std::max<size_t>(1, n_ctx / 4));
    const size_t target = n_ctx > reserve ? n_ctx - reserve : 1;
    size_t lastTurn = kept.size() - 1;
    for (size_t i = 0; i < kept.size() && total > target; ++i) {
        if (i == lastTurn || kept[i]->role == PromptSegment::Role::System)
            continue;
        total -= kept[i]->tokens.size();
        stats.droppedTurns++;
        stats.droppedTokens += uint32_t(kept[i]->tokens.size());
        kept.erase(kept.begin() + ptrdiff_t(i));
        --i;
        --lastTurn;
    }
    if (total >= n_ctx) {
        return makeError("the prompt has " + std::to_string(total) + " tokens, more than the context of " + std::to_string(n_ctx)
                         + " allows even without older turns");
    }
    std::vector<int32_t> prompt;
    prompt.reserve(total);
    for (const PromptSegment *s : kept)
        prompt.insert(prompt.end(), s->tokens.begin(), s->tokens.end());
    for (int32_t id : prompt) {
        if (id < 0 || uint32_t(id) >= d.description.n_vocab)
            return makeError("token id " + std::to_string(id) + " is out of range (the vocabulary has "
                             + std::to_string(d.description.n_vocab) + " tokens)");
    }
    stats.promptTokens = uint32_t(prompt.size());

    // Prefix reuse: keep the cached tokens the new prompt starts with; at least the last
    // prompt token is evaluated again, for its logits.
    size_t common = 0;
    while (common < d.cached.size() && common < prompt.size() && d.cached[common] == prompt[common])
        ++common;
    common = std::min(common, prompt.size() - 1);
    stats.reusedTokens = uint32_t(common);
    d.cached.resize(common);

    Sampler sampler(request.sampling);
    for (int32_t id : prompt)
        sampler.accept(id);
    StopMatcher stopMatcher(request.stopStrings);
    if (d.codec)
        d.codec->resetStream();

    const auto start = Clock::now();
    std::vector<float> logits;
    const std::span<const int32_t> fresh(prompt.data() + common, prompt.size() - common);
    if (auto r = d.transformer->forward(fresh, uint32_t(common), false, logits); !r) {
        d.cached.clear();
        return r.error();
    }
    d.cached = prompt;
    const double prefillMs = msSince(start);
    stats.prefillTokensPerSecond = fresh.size() / std::max(1e-6, prefillMs / 1000.0);

    auto emit = [&](int32_t token, const std::string &text) {
        if (onPiece)
            onPiece(Piece{token, text});
    };
    double decodeMs = 0;
    stats.stopReason = StopReason::MaxTokens;
    for (int32_t i = 0; i < request.maxTokens; ++i) {
        if (request.stop && request.stop->load()) {
            stats.stopReason = StopReason::Cancelled;
            break;
        }
        const int32_t token = sampler.sample(logits);
        if (i == 0)
            stats.timeToFirstTokenMs = msSince(start);
        const bool endOfText = d.codec ? d.codec->isEndOfGeneration(token)
                                       : token == d.description.eos_id || token == d.description.eot_id;
        if (endOfText && !request.ignoreEos) {
            stats.stopReason = StopReason::EndOfText;
            break;
        }
        sampler.accept(token);
        stats.tokens.push_back(token);
        stats.generatedTokens++;
        std::string text = d.codec ? stopMatcher.feed(d.codec->piece(token)) : std::string();
        emit(token, text);
        if (stopMatcher.stopped()) {
            stats.stopReason = StopReason::StopString;
            break;
        }
        if (i + 1 == request.maxTokens)
            break;
        if (d.cached.size() + 1 > n_ctx) {
            stats.stopReason = StopReason::ContextFull;
            break;
        }
        const auto t0 = Clock::now();
        const int32_t one[1] = {token};
        if (auto r = d.transformer->forward(one, uint32_t(d.cached.size()), false, logits); !r) {
            d.cached.clear();
            return r.error();
        }
        decodeMs += msSince(t0);
        d.cached.push_back(token);
    }
    if (std::string rest = stopMatcher.flush(); !rest.empty())
        emit(-1, rest);
    const uint32_t decoded = stats.generatedTokens > 0 ? stats.generatedTokens - 1 : 0;
    stats.decodeTokensPerSecond = decoded > 0 ? decoded / std::max(1e-6, decodeMs / 1000.0) : 0.0;
    return stats;
}

} // namespace parlo
