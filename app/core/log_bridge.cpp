#include "log_bridge.h"

#include "parlo/log.h"

#include <QLoggingCategory>
#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace parlo::app {
namespace {

// Categories must outlive every message, so they are created once per subsystem and kept.
QLoggingCategory &categoryFor(std::string_view subsystem)
{
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<QLoggingCategory>, std::less<>> categories;
    static std::map<std::string, std::string, std::less<>> names;
    std::lock_guard lock(mutex);
    auto it = categories.find(subsystem);
    if (it == categories.end()) {
        auto &name = names[std::string(subsystem)];
        name = "parlo." + std::string(subsystem);
        it = categories.emplace(std::string(subsystem), std::make_unique<QLoggingCategory>(name.c_str(), QtInfoMsg))
                 .first;
    }
    return *it->second;
}

} // namespace

void installEngineLogBridge()
{
    setLogSink([](LogLevel level, std::string_view subsystem, std::string_view message) {
        QLoggingCategory &category = categoryFor(subsystem);
        const QString text = QString::fromUtf8(message.data(), qsizetype(message.size()));
        switch (level) {
        case LogLevel::Debug: qCDebug(category).noquote() << text; break;
        case LogLevel::Info: qCInfo(category).noquote() << text; break;
        case LogLevel::Warning: qCWarning(category).noquote() << text; break;
        case LogLevel::Error: qCCritical(category).noquote() << text; break;
        }
    });
}

} // namespace parlo::app
