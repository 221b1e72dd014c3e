#include "validation_watch.h"

#include "parlo/log.h"

#include <cstdio>

namespace parlo::test {

ValidationWatch::ValidationWatch()
{
    setLogSink([this](LogLevel level, std::string_view subsystem, std::string_view message) {
        const bool validation = subsystem == "vulkan.validation";
        const bool layerMissing = subsystem == "vulkan" && message.find("validation was requested") != message.npos;
        if (validation || layerMissing) {
            if (m_count.fetch_add(1) == 0) {
                std::lock_guard lock(m_firstMutex);
                m_first.assign(message);
            }
        }
        if (level >= LogLevel::Warning)
            std::fprintf(stderr, "parlo.%.*s: %.*s\n", int(subsystem.size()), subsystem.data(), int(message.size()),
                         message.data());
    });
}

ValidationWatch::~ValidationWatch() { setLogSink({}); }

bool ValidationWatch::clean(QString &problem)
{
    const size_t count = m_count.exchange(0);
    if (count == 0)
        return true;
    std::lock_guard lock(m_firstMutex);
    problem = QStringLiteral("%1 Vulkan validation message(s) from the engine, first: %2")
                  .arg(count)
                  .arg(QString::fromStdString(m_first));
    m_first.clear();
    return false;
}

} // namespace parlo::test
