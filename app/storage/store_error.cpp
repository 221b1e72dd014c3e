#include "store_error.h"

namespace parlo::storage {

const char *errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Corrupt:
        return "corrupt";
    case ErrorKind::DiskFull:
        return "disk-full";
    case ErrorKind::ReadOnly:
        return "read-only";
    case ErrorKind::Busy:
        return "busy";
    case ErrorKind::TooNew:
        return "too-new";
    case ErrorKind::NotFound:
        return "not-found";
    case ErrorKind::InvalidInput:
        return "invalid-input";
    case ErrorKind::NotOpen:
        return "not-open";
    case ErrorKind::Io:
        return "io";
    case ErrorKind::Internal:
        return "internal";
    }
    return "internal";
}

} // namespace parlo::storage
