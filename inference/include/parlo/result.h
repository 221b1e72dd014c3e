// Result<T>: the return type of every fallible call at a library boundary.
// Library code never aborts on bad input; it returns an Error whose message a user can act on.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace parlo {

struct Error
{
    std::string message;

    // Prefixes context ("loading model.gguf: ") while keeping the original cause visible.
    Error withContext(const std::string &context) const { return Error{context + ": " + message}; }
};

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// Result<void>: success or an Error.
template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(std::string message) { return Error{std::move(message)}; }

} // namespace parlo

// Returns the error of `expr` (a Result) from the enclosing function that returns a Result.
#define PARLO_TRY(expr)                                                                             \
    do {                                                                                            \
        auto &&parlo_try_result_ = (expr);                                                          \
        if (!parlo_try_result_.ok())                                                                \
            return parlo_try_result_.error();                                                       \
    } while (0)
