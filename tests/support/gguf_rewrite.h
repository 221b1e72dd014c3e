// Copies a GGUF file with some metadata changed, through our writer: how tests make a model
// that lies about itself without shipping more files.
#pragma once

#include "parlo/gguf_writer.h"

#include <QString>

#include <functional>

namespace parlo::test {

bool rewriteGguf(const QString &source, const QString &target, const std::function<void(gguf::Writer &)> &edit);

} // namespace parlo::test
