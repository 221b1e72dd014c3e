// Logging hook: inference code has no Qt, so the app installs a sink that forwards to its
// logging categories. Without a sink, warnings and errors go to stderr.
#pragma once

#include <functional>
#include <string_view>

namespace parlo {

enum class LogLevel { Debug, Info, Warning, Error };

using LogSink = std::function<void(LogLevel level, std::string_view subsystem, std::string_view message)>;

void setLogSink(LogSink sink);
void log(LogLevel level, std::string_view subsystem, std::string_view message);

} // namespace parlo
