// Binds named GGUF tensors to weights, checking each shape against the hyper-parameters and
// each type against what the backends can compute with. Errors name the tensor.
#pragma once

#include "backend/backend.h"
#include "parlo/gguf.h"
#include "parlo/result.h"

#include <cstdint>
#include <initializer_list>
#include <string>

namespace parlo::model {

class TensorBinder
{
public:
    explicit TensorBinder(const gguf::File &file) : m_file(file) {}

    // The tensor `name` with exactly the dimensions `ne` (ggml order). Missing: an error, or
    // an empty Weight when `optional`.
    Result<Weight> bind(const std::string &name, std::initializer_list<uint64_t> ne, bool optional = false) const;
    bool has(const std::string &name) const { return m_file.findTensor(name) != nullptr; }

private:
    const gguf::File &m_file;
};

// Metadata helpers: the key, or an error naming it when it is missing or not a number.
Result<uint32_t> requireUInt(const gguf::File &file, const std::string &key);
uint32_t optionalUInt(const gguf::File &file, const std::string &key, uint32_t fallback);
float optionalFloat(const gguf::File &file, const std::string &key, float fallback);

} // namespace parlo::model
