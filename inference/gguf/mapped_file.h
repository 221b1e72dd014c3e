// A read-only POSIX memory mapping of a whole file.
//
// Hazard: the mapping shares pages with the file on disk. If another process truncates the
// file while it is mapped, touching the lost pages raises SIGBUS; if it rewrites the file in
// place, the bytes change under us (MAP_PRIVATE only isolates *our* writes). Every mapping is
// registered with core/mapping_guard, which turns that SIGBUS into zero pages and sets
// lost(); readers check it and report the change instead of dying. The GGUF parser
// validates the header once, so the engine must treat the mapping as a snapshot: copy or
// upload tensor data at load time and not re-read the header later. Downloads must write to a
// temporary name and rename(), which replaces the directory entry and leaves an existing
// mapping intact.
#pragma once

#include "parlo/result.h"

#include <cstddef>
#include <span>
#include <string>

namespace parlo::gguf {

class MappedFile
{
public:
    MappedFile() = default;
    ~MappedFile();
    MappedFile(MappedFile &&other) noexcept;
    MappedFile &operator=(MappedFile &&other) noexcept;
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    // Maps `path`; errors name the path and the system's reason.
    static Result<MappedFile> open(const std::string &path);

    std::span<const std::byte> bytes() const { return {static_cast<const std::byte *>(m_data), m_size}; }
    // True once part of the file vanished under the mapping (truncated or rewritten while
    // mapped); the bytes read since then are zeros, not the model.
    bool lost() const;

private:
    void reset();
    void *m_data = nullptr;
    size_t m_size = 0;
    int m_guardSlot = -1;
};

} // namespace parlo::gguf
