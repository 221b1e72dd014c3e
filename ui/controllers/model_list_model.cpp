#include "controllers/model_list_model.h"

namespace parlo::ui {

void ModelListModel::setModels(QList<app::ModelFileInfo> models)
{
    const int oldCount = count();
    beginResetModel();
    m_models = std::move(models);
    endResetModel();
    if (oldCount != count())
        emit countChanged();
}

void ModelListModel::setDeviceMemory(qint64 bytes, const QString &deviceName)
{
    m_deviceMemory = bytes;
    m_deviceName = deviceName;
    if (count() > 0)
        emit dataChanged(index(0), index(count() - 1), {FitsRole, FitsTextRole});
}

bool ModelListModel::fits(qint64 memoryNeeded, qint64 deviceMemory)
{
    return deviceMemory <= 0 || memoryNeeded <= 0 || memoryNeeded <= deviceMemory;
}

QString ModelListModel::fitText(const app::ModelFileInfo &m, qint64 deviceMemory, const QString &deviceName)
{
    if (m.memoryNeeded <= 0)
        return {};
    const QString needs = QStringLiteral("Needs %1 (weights %2 + context %3: %4)")
                              .arg(app::formatBytes(m.memoryNeeded), app::formatBytes(m.weightBytes))
                              .arg(m.plannedContext)
                              .arg(app::formatBytes(m.contextBytes));
    if (deviceMemory <= 0)
        return needs;
    return QStringLiteral("%1 · %2 %3 (%4 free)")
        .arg(needs, fits(m.memoryNeeded, deviceMemory) ? QStringLiteral("fits in") : QStringLiteral("too large for"),
             deviceName, app::formatBytes(deviceMemory));
}

int ModelListModel::rowOfPath(const QString &path) const
{
    for (qsizetype i = 0; i < m_models.size(); ++i)
        if (m_models[i].path == path)
            return int(i);
    return -1;
}

QString ModelListModel::pathAt(int row) const { return row >= 0 && row < count() ? m_models[row].path : QString(); }

int ModelListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : count(); }

QVariant ModelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const app::ModelFileInfo &m = m_models[index.row()];
    switch (role) {
    case PathRole: return m.path;
    case Qt::DisplayRole:
    case NameRole: return m.name;
    case ArchitectureRole: return m.architecture;
    case ParametersRole: return app::formatParameterCount(m.parameterCount);
    case QuantizationRole: return m.quantization;
    case FileSizeRole: return app::formatBytes(m.fileSize);
    case ContextLengthRole: return m.contextLength;
    case SourceRole: return m.source;
    case FitsRole: return fits(m.memoryNeeded, m_deviceMemory);
    case FitsTextRole: return fitText(m, m_deviceMemory, m_deviceName);
    case ErrorRole: return m.error;
    case FamilyRole: return m.family;
    case SupportedRole: return m.supported;
    case FeaturesRole: return m.features;
    case UnavailableRole: return m.unavailableReason();
    case MemoryNeededRole: return m.memoryNeeded;
    case SummaryRole: {
        QStringList parts;
        const QString family = m.family.isEmpty() ? m.architecture : m.family;
        for (const QString &part : {family, app::formatParameterCount(m.parameterCount), m.quantization,
                                    app::formatBytes(m.fileSize)})
            if (!part.isEmpty())
                parts << part;
        if (m.contextLength > 0)
            parts << QStringLiteral("%1 ctx").arg(m.contextLength);
        return parts.join(QStringLiteral(" · "));
    }
    default: return {};
    }
}

QHash<int, QByteArray> ModelListModel::roleNames() const
{
    return {{PathRole, "path"},
            {NameRole, "name"},
            {ArchitectureRole, "architecture"},
            {ParametersRole, "parameters"},
            {QuantizationRole, "quantization"},
            {FileSizeRole, "fileSize"},
            {ContextLengthRole, "contextLength"},
            {SourceRole, "source"},
            {FitsRole, "fits"},
            {FitsTextRole, "fitsText"},
            {ErrorRole, "error"},
            {SummaryRole, "summary"},
            {FamilyRole, "family"},
            {SupportedRole, "supported"},
            {FeaturesRole, "features"},
            {UnavailableRole, "unavailable"},
            {MemoryNeededRole, "memoryNeeded"}};
}

} // namespace parlo::ui
