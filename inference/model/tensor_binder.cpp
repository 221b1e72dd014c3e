#include "model/tensor_binder.h"

#include <limits>

namespace parlo::model {

namespace {

std::string shapeText(const std::vector<uint64_t> &ne)
{
    std::string s = "[";
    for (size_t i = 0; i < ne.size(); ++i)
        s += (i ? ", " : "") + std::to_string(ne[i]);
    return s + "]";
}

} // namespace

Result<Weight> TensorBinder::bind(const std::string &name, std::initializer_list<uint64_t> ne, bool optional) const
{
    const gguf::TensorInfo *info = m_file.findTensor(name);
    if (!info) {
        if (optional)
            return Weight{};
        return makeError("tensor '" + name + "' is missing");
    }
    const std::vector<uint64_t> expected(ne);
    // Trailing 1s are equivalent ([256] and [256, 1] are one shape).
    std::vector<uint64_t> actual = info->shape;
    while (actual.size() > expected.size() && actual.back() == 1)
        actual.pop_back();
    if (actual != expected) {
        return makeError("tensor '" + name + "' has shape " + shapeText(info->shape) + " but the metadata implies "
                         + shapeText(expected));
    }
    const auto typeInfo = tensorTypeInfo(info->typeId);
    if (!typeInfo || !typeInfo->supported)
        return makeError("tensor '" + name + "' has type " + tensorTypeName(info->typeId) + ", which Parlo cannot compute with");
    const std::span<const std::byte> data = m_file.tensorData(*info);
    const uint64_t rows = info->rows();
    if (rows == 0 || expected[0] == 0 || data.size() != info->byteSize || info->byteSize % rows != 0)
        return makeError("tensor '" + name + "' has an inconsistent size");
    Weight w;
    w.view = WeightView{info->type, data.data(), expected[0], rows, info->byteSize / rows};
    return w;
}

Result<uint32_t> requireUInt(const gguf::File &file, const std::string &key)
{
    const auto v = file.getUInt(key);
    if (!v)
        return makeError("metadata key '" + key + "' is missing or not a non-negative integer");
    if (*v == 0 || *v > std::numeric_limits<uint32_t>::max() / 2)
        return makeError("metadata key '" + key + "' has an implausible value " + std::to_string(*v));
    return uint32_t(*v);
}

uint32_t optionalUInt(const gguf::File &file, const std::string &key, uint32_t fallback)
{
    const auto v = file.getUInt(key);
    return v && *v <= std::numeric_limits<uint32_t>::max() ? uint32_t(*v) : fallback;
}

float optionalFloat(const gguf::File &file, const std::string &key, float fallback)
{
    const auto v = file.getFloat(key);
    return v ? float(*v) : fallback;
}

} // namespace parlo::model
