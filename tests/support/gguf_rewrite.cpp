#include "gguf_rewrite.h"

#include "parlo/gguf.h"

namespace parlo::test {

bool rewriteGguf(const QString &source, const QString &target, const std::function<void(gguf::Writer &)> &edit)
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
        if (!w.addTensor(t.name, t.shape, t.type, (*in)->tensorData(t)).ok())
            return false;
    }
    return w.writeFile(target.toStdString()).ok();
}

} // namespace parlo::test
