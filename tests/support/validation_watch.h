// Whole-model Vulkan tests run the engine, which makes its own Vulkan context: they cannot ask
// that context for its validation messages as the op tests do. A ValidationWatch listens on
// the engine's log instead, where every validation message is also written ("vulkan.validation"),
// as is the warning that validation was asked for but its layer is missing.
#pragma once

#include <QString>
#include <QtTest>

#include <atomic>
#include <mutex>
#include <string>

namespace parlo::test {

class ValidationWatch
{
public:
    // Installs itself as the engine's log sink; other messages still go to stderr.
    ValidationWatch();
    ~ValidationWatch();
    ValidationWatch(const ValidationWatch &) = delete;
    ValidationWatch &operator=(const ValidationWatch &) = delete;

    // True when no validation message (and no "layer missing" warning) arrived since the last call.
    bool clean(QString &problem);

private:
    std::atomic<size_t> m_count{0};
    std::mutex m_firstMutex;
    std::string m_first;
};

} // namespace parlo::test

#define PARLO_VERIFY_VALIDATION_SILENT(watch)                                                       \
    do {                                                                                            \
        QString problem_;                                                                           \
        QVERIFY2((watch).clean(problem_), qPrintable(problem_));                                     \
    } while (false)
