// What each device's self-test found, kept across runs: one JSON file in the cache folder
// ($XDG_CACHE_HOME/parlo/selftest.json), shared by the app and parlo-cli. An entry holds for
// one device, one driver version and one weight type; a new driver has no entries, so the
// device is tested again at its next use.
#pragma once

#include "parlo/engine.h"
#include "parlo/selftest.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace parlo::app {

struct SelfTestEntry
{
    QString deviceKey;  // SelfTestDevice::key
    QString deviceName;
    QString driver;     // SelfTestDevice::driver
    QString type;       // "Q4_K"
    QString outcome;    // "passed", "failed", "not tested"
    QString detail;
    QDateTime when;
};

class SelfTestRecord
{
public:
    static QString defaultPath();
    explicit SelfTestRecord(QString path = defaultPath());

    // Reads the file; a missing or unreadable one is an empty record (everything is tested again).
    void load();
    // Writes through a temporary file; false with the reason in error() when it cannot.
    bool save();
    QString error() const { return m_error; }

    const QList<SelfTestEntry> &entries() const { return m_entries; }
    std::optional<SelfTestEntry> find(const SelfTestDevice &device, TensorType type) const;
    // Replaces the entries of the report's device, driver and types.
    void store(const SelfTestReport &report);

private:
    QString m_path;
    QString m_error;
    QList<SelfTestEntry> m_entries;
};

// The LoadOptions::deviceVeto of the app and parlo-cli: a device refused for a type whose
// recorded test failed. A type with no entry for this device and driver (first use, or a new
// driver) is tested now, and recorded in `path`.
decltype(LoadOptions::deviceVeto) selfTestVeto(const QString &path = SelfTestRecord::defaultPath());

// The veto's answer for a device from a record alone (no test is run): the failures, in words.
std::optional<std::string> refusalFromRecord(const SelfTestRecord &record, const SelfTestDevice &device,
                                             std::span<const TensorType> types);

} // namespace parlo::app
