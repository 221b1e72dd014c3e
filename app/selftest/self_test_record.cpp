#include "self_test_record.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

#include <mutex>

namespace parlo::app {

namespace {

QString typeName(TensorType type) { return QString::fromStdString(tensorTypeName(uint32_t(type))); }

} // namespace

QString SelfTestRecord::defaultPath()
{
    // The generic cache folder, not the application's: parlo and parlo-cli share the record.
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + "/parlo/selftest.json";
}

SelfTestRecord::SelfTestRecord(QString path) : m_path(std::move(path)) {}

void SelfTestRecord::load()
{
    m_entries.clear();
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QJsonArray rows = QJsonDocument::fromJson(file.readAll()).object().value("entries").toArray();
    for (const QJsonValue &v : rows) {
        const QJsonObject o = v.toObject();
        SelfTestEntry e{o.value("deviceKey").toString(), o.value("deviceName").toString(), o.value("driver").toString(),
                        o.value("type").toString(),      o.value("outcome").toString(),    o.value("detail").toString(),
                        QDateTime::fromString(o.value("when").toString(), Qt::ISODate)};
        if (!e.deviceKey.isEmpty() && !e.type.isEmpty())
            m_entries.append(e);
    }
}

bool SelfTestRecord::save()
{
    QJsonArray rows;
    for (const SelfTestEntry &e : m_entries) {
        rows.append(QJsonObject{{"deviceKey", e.deviceKey}, {"deviceName", e.deviceName}, {"driver", e.driver},
                                {"type", e.type},           {"outcome", e.outcome},       {"detail", e.detail},
                                {"when", e.when.toString(Qt::ISODate)}});
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(QJsonObject{{"version", 1}, {"entries", rows}}).toJson());
    if (!file.commit()) {
        m_error = file.errorString();
        return false;
    }
    return true;
}

std::optional<SelfTestEntry> SelfTestRecord::find(const SelfTestDevice &device, TensorType type) const
{
    const QString key = QString::fromStdString(device.key), driver = QString::fromStdString(device.driver);
    for (const SelfTestEntry &e : m_entries) {
        if (e.deviceKey == key && e.driver == driver && e.type == typeName(type))
            return e;
    }
    return std::nullopt;
}

void SelfTestRecord::store(const SelfTestReport &report)
{
    const QString key = QString::fromStdString(report.device.key), driver = QString::fromStdString(report.device.driver);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const SelfTestCase &c : report.cases) {
        const QString type = typeName(c.type);
        // An older driver's entries go too: they no longer say anything about this device.
        m_entries.removeIf([&](const SelfTestEntry &e) { return e.deviceKey == key && (e.type == type || e.driver != driver); });
        m_entries.append(SelfTestEntry{key, QString::fromStdString(report.device.name), driver, type,
                                       QString::fromUtf8(selfTestOutcomeName(c.outcome).data()),
                                       QString::fromStdString(c.detail), now});
    }
}

std::optional<std::string> refusalFromRecord(const SelfTestRecord &record, const SelfTestDevice &device,
                                             std::span<const TensorType> types)
{
    std::string failures;
    for (TensorType type : types) {
        const auto entry = record.find(device, type);
        if (entry && entry->outcome == QLatin1String("failed"))
            failures += (failures.empty() ? "" : "; ") + entry->detail.toStdString();
    }
    if (failures.empty())
        return std::nullopt;
    return "it failed its self-test (" + failures + "); run `parlo-cli selftest` after a driver update";
}

decltype(LoadOptions::deviceVeto) selfTestVeto(const QString &path)
{
    return [path](const VulkanDeviceInfo &info, std::span<const TensorType> types) -> std::optional<std::string> {
        // One loader at a time tests and writes the record (the app may load from two threads).
        static std::mutex mutex;
        std::lock_guard lock(mutex);
        SelfTestRecord record(path);
        record.load();
        const SelfTestDevice device = selfTestDeviceOf(info);
        SelfTestOptions options;
        options.vulkanIndex = info.index;
        for (TensorType type : types) {
            if (!record.find(device, type))
                options.types.push_back(type);
        }
        if (!options.types.empty()) {
            auto report = runDeviceSelfTest(options);
            if (!report)
                return "its self-test could not run: " + report.error().message;
            record.store(*report);
            record.save(); // unsaved, the test simply runs again next time
        }
        return refusalFromRecord(record, device, types);
    };
}

} // namespace parlo::app
