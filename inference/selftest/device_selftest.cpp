#include "parlo/selftest.h"

#include "backend/cpu/cpu_backend.h"
#include "backend/vulkan/vk_backend.h"
#include "core/quant/quantize.h"
#include "model/model.h"
#include "model/transformer.h"
#include "parlo/gguf.h"
#include "selftest/random_llama.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>

namespace parlo {

namespace {

// Small enough to run in well under a second per type on a software rasteriser, big enough
// that every row is a whole number of 256-value K-quant blocks and attention has GQA.
selftest::LlamaShape testShape()
{
    selftest::LlamaShape s;
    s.n_vocab = 256;
    s.n_embd = 256;
    s.n_layer = 2;
    s.n_head = 4;
    s.n_head_kv = 2;
    s.n_ff = 512;
    s.n_ctx = 64;
    s.seed = 0x5e1f7e57; // fixed: the same model on every machine
    return s;
}

constexpr uint32_t k_promptTokens = 20; // prefill: the matrix-matrix kernels, two micro-batches
constexpr uint32_t k_batch = 16;
constexpr uint32_t k_decodeSteps = 4;   // decode: the matrix-vector kernels

// The CPU and a GPU round differently (the CPU rounds activations to 8 bits for quantized
// dot products, as llama.cpp does); a real kernel bug moves logits by far more (NMSE near 1).
double toleranceFor(TensorType type)
{
    switch (type) {
    case TensorType::F32: return 1e-5;
    case TensorType::F16:
    case TensorType::BF16: return 1e-4;
    default: return 5e-3;
    }
}

double nmse(std::span<const float> actual, std::span<const float> reference)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
        const double d = double(actual[i]) - double(reference[i]);
        num += d * d;
        den += double(reference[i]) * double(reference[i]);
    }
    if (!std::isfinite(num))
        return INFINITY;
    return den > 0 ? num / den : num;
}

// Prefill then a few decode steps; every logit in order.
Result<std::vector<float>> runModel(const std::vector<std::byte> &bytes, Backend &backend, float perturb)
{
    auto file = gguf::File::fromBytes(bytes);
    if (!file)
        return file.error();
    auto model = model::Model::fromFile(std::move(file.value()));
    if (!model)
        return model.error();
    for (Weight *w : (*model)->allWeights())
        PARLO_TRY(backend.prepareWeight(*w));
    model::TransformerOptions options;
    options.n_ctx = testShape().n_ctx;
    options.n_batch = k_batch;
    options.kvType = TensorType::F32;
    auto transformer = model::Transformer::create(**model, backend, options);
    if (!transformer)
        return transformer.error();
    std::mt19937 rng(7);
    std::vector<int32_t> tokens(k_promptTokens);
    for (int32_t &t : tokens)
        t = int32_t(rng() % testShape().n_vocab);
    std::vector<float> all, logits;
    // Non-finite output is a result here (a broken device), not an error.
    auto forward = [&](std::span<const int32_t> ids, uint32_t pos, bool allLogits) -> Result<void> {
        auto r = (*transformer)->forward(ids, pos, allLogits, logits);
        if (!r && model::Transformer::checkFinite(logits))
            return r.error();
        for (size_t i = 0; i < logits.size(); ++i)
            logits[i] += perturb * float(int(i % 7) - 3);
        all.insert(all.end(), logits.begin(), logits.end());
        return {};
    };
    PARLO_TRY(forward(tokens, 0, true));
    for (uint32_t i = 0; i < k_decodeSteps; ++i) {
        const auto last = logits.end() - testShape().n_vocab;
        const int32_t next = int32_t(std::max_element(last, logits.end()) - last);
        const int32_t one[1] = {next};
        PARLO_TRY(forward(one, k_promptTokens + i, false));
    }
    return all;
}

SelfTestCase testType(TensorType type, Backend &cpu, Backend &device, float perturb)
{
    SelfTestCase c;
    c.type = type;
    c.tolerance = toleranceFor(type);
    const std::string name = tensorTypeName(uint32_t(type));
    if (!quant::canQuantize(type)) {
        c.detail = "not tested: Parlo cannot build a model in " + name;
        return c;
    }
    auto writer = selftest::buildRandomLlama(testShape(), name);
    if (!writer) {
        c.detail = "not tested: " + writer.error().message;
        return c;
    }
    const std::vector<std::byte> bytes = writer->toBytes();
    auto reference = runModel(bytes, cpu, 0.0f);
    if (!reference) {
        c.detail = "not tested: the CPU reference failed: " + reference.error().message;
        return c;
    }
    auto actual = runModel(bytes, device, perturb);
    if (!actual) {
        c.outcome = SelfTestCase::Outcome::Failed;
        c.detail = "the device could not run a " + name + " model: " + actual.error().message;
        return c;
    }
    if (actual->size() != reference->size()) {
        c.outcome = SelfTestCase::Outcome::Failed;
        c.detail = "the device returned the wrong number of logits";
        return c;
    }
    c.nmse = nmse(*actual, *reference);
    char text[160];
    if (c.nmse <= c.tolerance) {
        c.outcome = SelfTestCase::Outcome::Passed;
        std::snprintf(text, sizeof text, "logits match the CPU's (NMSE %.2g, limit %.0e)", c.nmse, c.tolerance);
    } else {
        c.outcome = SelfTestCase::Outcome::Failed;
        std::snprintf(text, sizeof text, "%s logits differ from the CPU's (NMSE %.2g, limit %.0e)", name.c_str(), c.nmse,
                      c.tolerance);
    }
    c.detail = text;
    return c;
}

} // namespace

SelfTestDevice selfTestDeviceOf(const VulkanDeviceInfo &info)
{
    SelfTestDevice d;
    d.vulkanIndex = info.index;
    d.name = info.name;
    char ids[32];
    std::snprintf(ids, sizeof ids, "%04x:%04x", info.vendorId, info.deviceId);
    d.key = "vulkan " + std::string(ids) + " " + info.name;
    d.driver = info.driverName + ", " + info.driverInfo + ", Vulkan " + info.apiVersion;
    return d;
}

std::string_view selfTestOutcomeName(SelfTestCase::Outcome outcome)
{
    switch (outcome) {
    case SelfTestCase::Outcome::Passed: return "passed";
    case SelfTestCase::Outcome::Failed: return "failed";
    case SelfTestCase::Outcome::NotTested: return "not tested";
    }
    return "not tested";
}

bool SelfTestReport::passed() const
{
    return std::none_of(cases.begin(), cases.end(), [](const SelfTestCase &c) { return c.outcome == SelfTestCase::Outcome::Failed; });
}

std::optional<TensorType> selfTestTypeByName(std::string_view name)
{
    std::string upper(name);
    for (char &c : upper)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return selftest::tensorTypeByName(upper);
}

std::vector<TensorType> defaultSelfTestTypes()
{
    return {TensorType::F32,  TensorType::F16,  TensorType::BF16, TensorType::Q8_0, TensorType::Q4_0,
            TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q4_K, TensorType::Q6_K};
}

std::vector<TensorType> selfTestTypesOf(const gguf::File &file)
{
    std::set<uint32_t> ids;
    for (const auto &t : file.tensors()) {
        if (t.shape.size() >= 2 && tensorTypeInfo(t.typeId))
            ids.insert(t.typeId);
    }
    std::vector<TensorType> types;
    for (uint32_t id : ids)
        types.push_back(TensorType(id));
    return types;
}

Result<SelfTestReport> runDeviceSelfTest(const SelfTestOptions &options)
{
    const DeviceInventory inventory = enumerateVulkanDevices();
    if (!inventory.vulkanAvailable)
        return makeError("Vulkan is not available: " + inventory.unavailableReason);
    if (options.vulkanIndex >= inventory.devices.size())
        return makeError("vulkan:" + std::to_string(options.vulkanIndex) + " does not exist; there are " +
                         std::to_string(inventory.devices.size()) + " Vulkan device(s)");
    auto device = vk::VulkanBackend::create(options.vulkanIndex);
    if (!device)
        return device.error().withContext("opening vulkan:" + std::to_string(options.vulkanIndex));
    cpu::CpuBackend cpu(1);
    SelfTestReport report;
    report.device = selfTestDeviceOf(inventory.devices[options.vulkanIndex]);
    for (TensorType type : options.types.empty() ? defaultSelfTestTypes() : options.types)
        report.cases.push_back(testType(type, cpu, **device, options.perturbDeviceLogits));
    return report;
}

} // namespace parlo
