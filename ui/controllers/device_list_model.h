// Devices for the settings page: "Automatic", every Vulkan device, and the CPU, which is always
// there. `defaultReason` says what "Automatic" picks and why.
#pragma once

#include "parlo/devices.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class DeviceListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by ModelController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString defaultReason READ defaultReason NOTIFY countChanged)

public:
    enum Role { KeyRole = Qt::UserRole + 1, NameRole, DetailRole };

    using QAbstractListModel::QAbstractListModel;

    void setInventory(const DeviceInventory &inventory);
    int count() const { return int(m_rows.size()); }
    QString defaultReason() const { return m_defaultReason; }
    Q_INVOKABLE int rowOfKey(const QString &key) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    struct Row
    {
        QString key; // "auto", "cpu", "vulkan:N" — what PARLO_DEVICE and the settings accept
        QString name;
        QString detail;
    };
    QList<Row> m_rows;
    QString m_defaultReason;
};

} // namespace parlo::ui
