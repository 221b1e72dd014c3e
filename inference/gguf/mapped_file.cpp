#include "gguf/mapped_file.h"

#include "core/mapping_guard.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace parlo::gguf {

MappedFile::~MappedFile() { reset(); }

MappedFile::MappedFile(MappedFile &&other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)),
      m_guardSlot(std::exchange(other.m_guardSlot, -1))
{
}

MappedFile &MappedFile::operator=(MappedFile &&other) noexcept
{
    if (this != &other) {
        reset();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_guardSlot = std::exchange(other.m_guardSlot, -1);
    }
    return *this;
}

bool MappedFile::lost() const { return core::mappingLost(m_guardSlot); }

void MappedFile::reset()
{
    core::unguardMapping(std::exchange(m_guardSlot, -1));
    if (m_data)
        ::munmap(m_data, m_size);
    m_data = nullptr;
    m_size = 0;
}

Result<MappedFile> MappedFile::open(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError("cannot open " + path + ": " + std::strerror(errno));
    struct stat st{};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return makeError("cannot read " + path + ": " + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return makeError(path + " is not a regular file");
    }
    if (st.st_size <= 0) {
        ::close(fd);
        return makeError(path + " is empty");
    }
    MappedFile file;
    file.m_size = size_t(st.st_size);
    void *data = ::mmap(nullptr, file.m_size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int err = errno;
    // The mapping keeps its own reference to the file; the descriptor is no longer needed.
    ::close(fd);
    if (data == MAP_FAILED) {
        file.m_size = 0;
        return makeError("cannot map " + path + " into memory: " + std::strerror(err));
    }
    file.m_data = data;
    file.m_guardSlot = core::guardMapping(data, file.m_size);
    return file;
}

} // namespace parlo::gguf
