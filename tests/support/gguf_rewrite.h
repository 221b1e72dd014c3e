// Copies a GGUF file with some metadata changed, through our writer: how tests make a model
// that lies about itself without shipping more files.
#pragma once

#include "parlo/gguf_writer.h"

#include <QString>

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace parlo::test {

// Returns new bytes for a tensor (same size and type), or nothing to keep it as it is.
using TensorEdit =
    std::function<std::optional<std::vector<std::byte>>(const gguf::TensorInfo &tensor, std::span<const std::byte> data)>;

// `edit` runs before the source's tensors are copied, so it can change metadata and add
// tensors; `tensorEdit` may replace each copied tensor's data.
bool rewriteGguf(const QString &source, const QString &target, const std::function<void(gguf::Writer &)> &edit,
                 const TensorEdit &tensorEdit = {});

} // namespace parlo::test
