// Byte-level GGUF builder for hostile-input tests: writes exactly what it is told, including
// lies (wrong counts, lengths, offsets), which gguf::Writer by design refuses to produce.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace parlo::test {

class RawGguf
{
public:
    std::vector<std::byte> bytes;

    template<typename T>
    RawGguf &put(T v)
    {
        const auto *p = reinterpret_cast<const std::byte *>(&v);
        bytes.insert(bytes.end(), p, p + sizeof(T));
        return *this;
    }
    RawGguf &u8(uint8_t v) { return put(v); }
    RawGguf &u32(uint32_t v) { return put(v); }
    RawGguf &u64(uint64_t v) { return put(v); }
    RawGguf &str(std::string_view s)
    {
        u64(s.size());
        const auto *p = reinterpret_cast<const std::byte *>(s.data());
        bytes.insert(bytes.end(), p, p + s.size());
        return *this;
    }
    RawGguf &header(uint64_t tensorCount, uint64_t kvCount, uint32_t version = 3)
    {
        u32(0x46554747u); // "GGUF"
        u32(version);
        u64(tensorCount);
        return u64(kvCount);
    }
    // A key/value with a uint32 value (type 4).
    RawGguf &kvU32(std::string_view key, uint32_t v) { return str(key).u32(4).u32(v); }
    RawGguf &kvString(std::string_view key, std::string_view v) { return str(key).u32(8).str(v); }
    // A tensor info: name, dims, type id, offset.
    RawGguf &tensor(std::string_view name, std::initializer_list<uint64_t> dims, uint32_t type, uint64_t offset)
    {
        str(name).u32(uint32_t(dims.size()));
        for (uint64_t d : dims)
            u64(d);
        return u32(type).u64(offset);
    }
    RawGguf &padTo(size_t alignment)
    {
        while (bytes.size() % alignment)
            bytes.push_back(std::byte{0});
        return *this;
    }
    RawGguf &zeros(size_t n)
    {
        bytes.insert(bytes.end(), n, std::byte{0});
        return *this;
    }
    std::span<const std::byte> span() const { return bytes; }
};

} // namespace parlo::test
