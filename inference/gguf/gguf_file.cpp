// gguf::File: owns the bytes (a mapping or a copy) and the parsed header.
#include "gguf/gguf_parser.h"
#include "gguf/mapped_file.h"

namespace parlo::gguf {

uint64_t TensorInfo::elementCount() const
{
    uint64_t n = 1;
    for (uint64_t d : shape)
        n *= d; // the parser rejected shapes whose product overflows
    return n;
}

uint64_t TensorInfo::rows() const { return shape.empty() ? 0 : elementCount() / shape[0]; }

struct File::Impl
{
    std::string path;
    MappedFile mapping;
    std::vector<std::byte> copy; // fromBytes() keeps its own bytes here
    std::span<const std::byte> bytes;
    ParsedGguf parsed;
};

File::File() : m(std::make_unique<Impl>()) {}
File::~File() = default;

Result<std::unique_ptr<File>> File::open(const std::string &path)
{
    auto mapping = MappedFile::open(path);
    if (!mapping)
        return mapping.error();
    std::unique_ptr<File> file(new File());
    file->m->path = path;
    file->m->mapping = std::move(mapping.value());
    file->m->bytes = file->m->mapping.bytes();
    auto parsed = parseGguf(file->m->bytes);
    if (!parsed)
        return parsed.error().withContext(path);
    file->m->parsed = std::move(parsed.value());
    return file;
}

Result<std::unique_ptr<File>> File::fromBytes(std::span<const std::byte> bytes)
{
    std::unique_ptr<File> file(new File());
    file->m->path = "<memory>";
    file->m->copy.assign(bytes.begin(), bytes.end());
    file->m->bytes = file->m->copy;
    auto parsed = parseGguf(file->m->bytes);
    if (!parsed)
        return parsed.error().withContext(file->m->path);
    file->m->parsed = std::move(parsed.value());
    return file;
}

const std::string &File::path() const { return m->path; }
uint32_t File::version() const { return m->parsed.version; }
uint64_t File::alignment() const { return m->parsed.alignment; }
uint64_t File::dataOffset() const { return m->parsed.dataOffset; }
uint64_t File::fileSize() const { return m->bytes.size(); }
bool File::mappingLost() const { return m->mapping.lost(); }
const std::vector<KeyValue> &File::metadata() const { return m->parsed.metadata; }
const std::vector<TensorInfo> &File::tensors() const { return m->parsed.tensors; }

const Value *File::find(std::string_view key) const
{
    const auto it = m->parsed.keyIndex.find(key);
    return it == m->parsed.keyIndex.end() ? nullptr : &m->parsed.metadata[it->second].value;
}

const TensorInfo *File::findTensor(std::string_view name) const
{
    const auto it = m->parsed.tensorIndex.find(name);
    return it == m->parsed.tensorIndex.end() ? nullptr : &m->parsed.tensors[it->second];
}

std::span<const std::byte> File::tensorData(const TensorInfo &tensor) const
{
    // Bounds were checked at parse time; guard against a TensorInfo from another file.
    const uint64_t start = m->parsed.dataOffset + tensor.offset;
    if (start > m->bytes.size() || tensor.byteSize > m->bytes.size() - start)
        return {};
    return m->bytes.subspan(size_t(start), size_t(tensor.byteSize));
}

std::string_view File::architecture() const { return getString("general.architecture").value_or(""); }

std::optional<std::string_view> File::getString(std::string_view key) const
{
    const Value *v = find(key);
    return v ? v->asString() : std::nullopt;
}

std::optional<uint64_t> File::getUInt(std::string_view key) const
{
    const Value *v = find(key);
    return v ? v->asUInt() : std::nullopt;
}

std::optional<int64_t> File::getInt(std::string_view key) const
{
    const Value *v = find(key);
    return v ? v->asInt() : std::nullopt;
}

std::optional<double> File::getFloat(std::string_view key) const
{
    const Value *v = find(key);
    return v ? v->asDouble() : std::nullopt;
}

std::optional<bool> File::getBool(std::string_view key) const
{
    const Value *v = find(key);
    return v ? v->asBool() : std::nullopt;
}

std::optional<std::vector<std::string_view>> File::getStringArray(std::string_view key) const
{
    const Value *v = find(key);
    if (!v || v->type != ValueType::Array || v->elementType != ValueType::String)
        return std::nullopt;
    std::vector<std::string_view> out;
    out.reserve(v->elements.size());
    for (const Value &e : v->elements)
        out.push_back(e.str);
    return out;
}

std::optional<std::vector<float>> File::getFloatArray(std::string_view key) const
{
    const Value *v = find(key);
    if (!v || v->type != ValueType::Array)
        return std::nullopt;
    std::vector<float> out;
    out.reserve(v->elements.size());
    for (const Value &e : v->elements) {
        const auto d = e.asDouble();
        if (!d)
            return std::nullopt;
        out.push_back(float(*d));
    }
    return out;
}

std::optional<std::vector<int64_t>> File::getIntArray(std::string_view key) const
{
    const Value *v = find(key);
    if (!v || v->type != ValueType::Array)
        return std::nullopt;
    std::vector<int64_t> out;
    out.reserve(v->elements.size());
    for (const Value &e : v->elements) {
        const auto i = e.asInt();
        if (!i)
            return std::nullopt;
        out.push_back(*i);
    }
    return out;
}

} // namespace parlo::gguf
