#include "self_test_controller.h"

#include "parlo/devices.h"
#include "parlo/selftest.h"
#include "selftest/self_test_record.h"

#include <QtConcurrent>

namespace parlo::ui {

SelfTestController::SelfTestController(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, [this] {
        refresh();
        if (const QString problem = m_watcher.result(); !problem.isEmpty()) {
            m_status = problem;
            emit rowsChanged();
        }
        emit runningChanged();
    });
    refresh();
}

void SelfTestController::refresh()
{
    app::SelfTestRecord record;
    record.load();
    m_rows.clear();
    int failed = 0;
    for (const app::SelfTestEntry &e : record.entries()) {
        failed += e.outcome == QLatin1String("failed");
        m_rows.append(QVariantMap{{"device", e.deviceName}, {"driver", e.driver}, {"type", e.type}, {"outcome", e.outcome},
                                  {"detail", e.detail}, {"when", e.when.toLocalTime().toString(Qt::ISODate)}});
    }
    m_status = m_rows.isEmpty() ? tr("No GPU has been tested yet; each is tested the first time it runs a model.")
               : failed         ? tr("%n test(s) failed: Automatic does not use that device for those types.", "", failed)
                                : tr("Every tested GPU matches the CPU.");
    emit rowsChanged();
}

void SelfTestController::runAgain()
{
    if (m_watcher.isRunning())
        return;
    m_watcher.setFuture(QtConcurrent::run([]() -> QString {
        const DeviceInventory inventory = enumerateVulkanDevices();
        if (!inventory.vulkanAvailable)
            return tr("Vulkan is not available: %1").arg(QString::fromStdString(inventory.unavailableReason));
        app::SelfTestRecord record;
        record.load();
        QString problems;
        for (const VulkanDeviceInfo &d : inventory.devices) {
            SelfTestOptions options;
            options.vulkanIndex = d.index;
            auto report = runDeviceSelfTest(options);
            if (!report) {
                problems += QString::fromStdString(report.error().message) + '\n';
                continue;
            }
            record.store(*report);
        }
        if (!record.save())
            problems += tr("The result was not saved: %1").arg(record.error());
        return problems.trimmed();
    }));
    emit runningChanged();
}

} // namespace parlo::ui
