// libFuzzer entry: any byte string must parse cleanly or fail with an Error. Parsed files are
// then used the way the engine and `parlo-cli info` use them (getters, summary, tensor data,
// dequantization), and written back with gguf::Writer, which must reproduce what was read.
#include "core/quant/dequantize.h"
#include "parlo/gguf.h"
#include "parlo/gguf_summary.h"
#include "parlo/gguf_writer.h"

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace parlo;

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

void exercise(const gguf::File &f)
{
    for (const auto &kv : f.metadata()) {
        check(f.find(kv.key) == &kv.value);
        (void)f.getStringArray(kv.key);
        (void)f.getFloatArray(kv.key);
        (void)f.getIntArray(kv.key);
        (void)f.getFloat(kv.key);
    }
    const auto summary = gguf::summarize(f);
    (void)summary.kvCacheBytes(summary.defaultContext());
    std::vector<float> values;
    for (const auto &t : f.tensors()) {
        const auto data = f.tensorData(t);
        check(data.size() == t.byteSize);
        if (quant::canDequantize(t.type) && t.elementCount() <= (uint64_t(1) << 16)) {
            values.resize(size_t(t.elementCount()));
            check(quant::dequantize(t.type, data, values).ok());
        }
    }
}

void roundTrip(const gguf::File &f)
{
    if (f.alignment() > (uint64_t(1) << 16))
        return;
    gguf::Writer w;
    for (const auto &kv : f.metadata())
        w.setValue(kv.key, kv.value);
    if (f.find("general.alignment"))
        check(w.setAlignment(uint32_t(f.alignment())).ok());
    for (const auto &t : f.tensors())
        check(w.addTensor(t.name, t.shape, t.type, f.tensorData(t)).ok());
    auto again = gguf::File::fromBytes(w.toBytes());
    check(again.ok());
    const gguf::File &g = **again;
    check(g.metadata().size() == f.metadata().size());
    check(g.tensors().size() == f.tensors().size());
    for (size_t i = 0; i < f.tensors().size(); ++i) {
        const auto a = f.tensorData(f.tensors()[i]);
        const auto b = g.tensorData(g.tensors()[i]);
        check(g.tensors()[i].name == f.tensors()[i].name && a.size() == b.size());
        for (size_t j = 0; j < a.size(); ++j)
            check(a[j] == b[j]);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto file = gguf::File::fromBytes({reinterpret_cast<const std::byte *>(data), size});
    if (!file) {
        check(!file.error().message.empty());
        return 0;
    }
    exercise(**file);
    roundTrip(**file);
    return 0;
}
