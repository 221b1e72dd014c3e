// The settings' self-test table: what each GPU's self-test recorded, per driver and weight type,
// and "Run again", which tests every Vulkan device off the GUI thread and records the result
// where device choice reads it (app/selftest).
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class SelfTestController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QVariantList rows READ rows NOTIFY rowsChanged)
    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    Q_PROPERTY(QString status READ status NOTIFY rowsChanged)

public:
    explicit SelfTestController(QObject *parent = nullptr);

    // Each row: {device, driver, type, outcome, detail, when}.
    QVariantList rows() const { return m_rows; }
    bool running() const { return m_watcher.isRunning(); }
    QString status() const { return m_status; }

    Q_INVOKABLE void refresh();
    Q_INVOKABLE void runAgain();

signals:
    void rowsChanged();
    void runningChanged();

private:
    QVariantList m_rows;
    QString m_status;
    QFutureWatcher<QString> m_watcher;
};

} // namespace parlo::ui
