#include "parlo/log.h"

#include <cstdio>
#include <mutex>

namespace parlo {
namespace {
std::mutex g_sinkMutex;
LogSink g_sink;

const char *levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    }
    return "?";
}
} // namespace

void setLogSink(LogSink sink)
{
    std::lock_guard lock(g_sinkMutex);
    g_sink = std::move(sink);
}

void log(LogLevel level, std::string_view subsystem, std::string_view message)
{
    std::lock_guard lock(g_sinkMutex);
    if (g_sink) {
        g_sink(level, subsystem, message);
        return;
    }
    if (level >= LogLevel::Warning) {
        std::fprintf(stderr, "parlo.%.*s: %s: %.*s\n", int(subsystem.size()), subsystem.data(), levelName(level),
                     int(message.size()), message.data());
    }
}

} // namespace parlo
