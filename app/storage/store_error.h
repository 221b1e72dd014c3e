// StoreError and StoreResult<T>: what every history call returns.
// Like parlo::Result, but the error carries a kind, because callers act on it differently: a
// full disk lets the conversation continue in memory, a damaged file is set aside, a newer
// schema is refused.
#pragma once

#include "parlo/result.h"

#include <QString>
#include <optional>
#include <utility>
#include <variant>

namespace parlo::storage {

enum class ErrorKind
{
    Corrupt,      // the file is not a database or is damaged
    DiskFull,     // SQLITE_FULL: no space (or the page limit was hit)
    ReadOnly,     // the file or its folder cannot be written
    Busy,         // another process held the lock past the busy timeout
    TooNew,       // written by a newer Parlo; refused and left untouched
    NotFound,     // no such conversation, message or folder
    InvalidInput, // bad argument or an import file that is not ours
    NotOpen,      // no database (memory-only mode)
    Io,           // any other I/O failure
    Internal,     // a bug: SQL error, misuse
};

const char *errorKindName(ErrorKind kind);

struct StoreError
{
    ErrorKind kind = ErrorKind::Internal;
    QString message;

    StoreError withContext(const QString &context) const
    {
        return {kind, context + QStringLiteral(": ") + message};
    }
    parlo::Error toError() const { return parlo::Error{message.toStdString()}; }
};

inline StoreError storeError(ErrorKind kind, QString message)
{
    return StoreError{kind, std::move(message)};
}

template <typename T> class [[nodiscard]] StoreResult
{
public:
    StoreResult(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    StoreResult(StoreError error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const StoreError &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, StoreError> m_state;
};

template <> class [[nodiscard]] StoreResult<void>
{
public:
    StoreResult() = default;
    StoreResult(StoreError error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const StoreError &error() const { return *m_error; }

private:
    std::optional<StoreError> m_error;
};

} // namespace parlo::storage

// Returns the error of `expr` (a StoreResult) from the enclosing function.
#define STORE_TRY(expr)                                                                                      \
    do {                                                                                                     \
        auto &&store_try_result_ = (expr);                                                                   \
        if (!store_try_result_.ok())                                                                         \
            return store_try_result_.error();                                                                \
    } while (0)
