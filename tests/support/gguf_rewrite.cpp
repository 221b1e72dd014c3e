#include "gguf_rewrite.h"

#include "parlo/gguf.h"

namespace parlo::test {

bool rewriteGguf(const QString &source, const QString &target, const std::function<void(gguf::Writer &)> &edit,
                 const TensorEdit &tensorEdit)
{
    auto in = gguf::File::open(source.toStdString());
    if (!in)
        return false;
    gguf::Writer w;
    for (const auto &kv : (*in)->metadata()) {
        if (kv.key != "general.alignment")
            w.setValue(kv.key, kv.value);
    }
    edit(w);
    for (const auto &t : (*in)->tensors()) {
        const std::span<const std::byte> data = (*in)->tensorData(t);
        const auto replaced = tensorEdit ? tensorEdit(t, data) : std::nullopt;
        if (replaced && replaced->size() != data.size())
            return false;
        if (!w.addTensor(t.name, t.shape, t.type, replaced ? std::span<const std::byte>(*replaced) : data).ok())
            return false;
    }
    return w.writeFile(target.toStdString()).ok();
}

} // namespace parlo::test
