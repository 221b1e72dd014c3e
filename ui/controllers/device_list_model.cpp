#include "controllers/device_list_model.h"

#include "library/model_library.h"

namespace parlo::ui {

void DeviceListModel::setInventory(const DeviceInventory &inventory)
{
    QList<Row> rows;
    auto choice = chooseDevice(inventory, DeviceRequest{});
    m_defaultReason = choice ? QString::fromStdString(choice->reason) : QString::fromStdString(choice.error().message);
    rows.append({QStringLiteral("auto"), QStringLiteral("Automatic"), m_defaultReason});
    for (const VulkanDeviceInfo &device : inventory.devices) {
        rows.append({QStringLiteral("vulkan:%1").arg(device.index), QString::fromStdString(device.name),
                     QStringLiteral("Vulkan %1 · %2 · %3")
                         .arg(QString::fromStdString(device.apiVersion),
                              QString::fromLatin1(deviceKindName(device.kind).data(), qsizetype(deviceKindName(device.kind).size())),
                              app::formatBytes(qint64(device.deviceLocalBytes())))});
    }
    rows.append({QStringLiteral("cpu"), QStringLiteral("CPU"), QStringLiteral("Always available")});
    const int oldCount = count();
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    if (oldCount != count())
        emit countChanged();
}

int DeviceListModel::rowOfKey(const QString &key) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].key == key)
            return int(i);
    return -1;
}

int DeviceListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : count(); }

QVariant DeviceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case KeyRole: return row.key;
    case Qt::DisplayRole:
    case NameRole: return row.name;
    case DetailRole: return row.detail;
    default: return {};
    }
}

QHash<int, QByteArray> DeviceListModel::roleNames() const
{
    return {{KeyRole, "key"}, {NameRole, "name"}, {DetailRole, "detail"}};
}

} // namespace parlo::ui
