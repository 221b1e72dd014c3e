// The model picker's entries: every GGUF found, with what a user needs to choose one (its
// family, whether the engine runs it), and whether the engine's memory plan for it fits the
// device it would run on.
#pragma once

#include "library/model_library.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class ModelListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by ModelController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        PathRole = Qt::UserRole + 1,
        NameRole,
        ArchitectureRole,
        ParametersRole,
        QuantizationRole,
        FileSizeRole,
        ContextLengthRole,
        SourceRole,
        FitsRole,
        FitsTextRole,
        ErrorRole,
        SummaryRole,
        FamilyRole,
        SupportedRole,
        FeaturesRole,     // QStringList
        UnavailableRole,  // why the entry cannot be chosen; empty when it can
        MemoryNeededRole, // bytes, 0 when unknown
    };

    using QAbstractListModel::QAbstractListModel;

    void setModels(QList<app::ModelFileInfo> models);
    // Bytes the chosen device can give a model; 0 when unknown.
    void setDeviceMemory(qint64 bytes, const QString &deviceName);
    // Whether the engine's plan (weights + KV cache + scratch) fits; true when either is unknown.
    static bool fits(qint64 memoryNeeded, qint64 deviceMemory);
    // "Needs 1.3 GiB (weights 1.1 GiB + context 4096: 0.2 GiB) · fits in CPU (6.0 GiB free)"
    static QString fitText(const app::ModelFileInfo &model, qint64 deviceMemory, const QString &deviceName);

    int count() const { return int(m_models.size()); }
    const app::ModelFileInfo &modelAt(int row) const { return m_models[row]; }
    Q_INVOKABLE int rowOfPath(const QString &path) const;
    Q_INVOKABLE QString pathAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    QList<app::ModelFileInfo> m_models;
    qint64 m_deviceMemory = 0;
    QString m_deviceName;
};

} // namespace parlo::ui
