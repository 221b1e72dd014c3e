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
        emit dataChanged(index(0), index(count() - 1), {FitsRole, FitsTextRole, SummaryRole});
}

bool ModelListModel::fits(qint64 fileSize, qint64 deviceMemory)
{
    // Weights plus about a fifth for the KV cache and scratch buffers at default context.
    return deviceMemory <= 0 || double(fileSize) * 1.2 <= double(deviceMemory);
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
    const bool fit = fits(m.fileSize, m_deviceMemory);
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
    case FitsRole: return fit;
    case FitsTextRole:
        if (m_deviceMemory <= 0)
            return QString();
        return fit ? QStringLiteral("Fits in %1 memory").arg(m_deviceName)
                   : QStringLiteral("Too large for %1 (%2 free)").arg(m_deviceName, app::formatBytes(m_deviceMemory));
    case ErrorRole: return m.error;
    case SummaryRole: {
        QStringList parts;
        for (const QString &part : {m.architecture, app::formatParameterCount(m.parameterCount), m.quantization,
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
            {SummaryRole, "summary"}};
}

} // namespace parlo::ui
