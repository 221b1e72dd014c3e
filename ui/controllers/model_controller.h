// The model picker and the device: scans the model folders (off the GUI thread), loads the
// chosen model through the chat worker with progress and cancel, and says which device runs
// it and why.
#pragma once

#include "chat/chat_service.h"
#include "controllers/app_settings.h"
#include "controllers/device_list_model.h"
#include "controllers/model_list_model.h"

#include <QFutureWatcher>
#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <atomic>
#include <memory>

namespace parlo::ui {

class ModelController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by the application")
    Q_PROPERTY(ModelListModel *models READ models CONSTANT)
    Q_PROPERTY(DeviceListModel *devices READ devices CONSTANT)
    Q_PROPERTY(bool scanning READ scanning NOTIFY scanningChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY stateChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadProgressChanged)
    Q_PROPERTY(bool modelLoaded READ modelLoaded NOTIFY stateChanged)
    Q_PROPERTY(QString loadedPath READ loadedPath NOTIFY stateChanged)
    Q_PROPERTY(QString loadedName READ loadedName NOTIFY stateChanged)
    Q_PROPERTY(QString loadingName READ loadingName NOTIFY stateChanged)
    Q_PROPERTY(QString loadError READ loadError NOTIFY stateChanged)
    Q_PROPERTY(int contextLength READ contextLength NOTIFY stateChanged)
    Q_PROPERTY(QString deviceName READ deviceName NOTIFY deviceChanged)
    Q_PROPERTY(QString deviceReason READ deviceReason NOTIFY deviceChanged)
    Q_PROPERTY(QString modelsFolder READ modelsFolder CONSTANT)
    Q_PROPERTY(QString engineName READ engineName CONSTANT)
    // Set when a built-in chat template lays out prompts for the loaded model.
    Q_PROPERTY(QString promptNotice READ promptNotice NOTIFY stateChanged)

public:
    ModelController(AppSettings *settings, app::ChatService *service, QString engineName, QObject *parent = nullptr);
    ~ModelController() override; // stops a hash still running, so quitting does not wait for it

    ModelListModel *models() { return &m_models; }
    DeviceListModel *devices() { return &m_devices; }
    bool scanning() const { return m_scanning; }
    bool loading() const { return m_loading; }
    double loadProgress() const { return m_loadProgress; }
    bool modelLoaded() const { return !m_loadedPath.isEmpty(); }
    QString loadedPath() const { return m_loadedPath; }
    QString loadedName() const { return m_loadedName; }
    QString loadingName() const { return m_loadingName; }
    QString loadError() const { return m_loadError; }
    int contextLength() const { return m_contextLength; }
    QString deviceName() const { return m_deviceName; }
    QString deviceReason() const { return m_deviceReason; }
    QString modelsFolder() const;
    QString engineName() const { return m_engineName; }
    QString promptNotice() const { return m_promptNotice; }
    // What answers record about the loaded model: "Q4_K_M" (from the engine, else the library
    // scan), and the first 16 hex digits of the file's sha256, hashed on a worker thread after
    // the load and kept per file; empty until the hash is done.
    QString loadedQuantization() const { return m_loadedQuantization; }
    QString loadedSha256() const { return m_loadedSha256; }

    Q_INVOKABLE void rescan();
    Q_INVOKABLE void load(const QString &path);
    Q_INVOKABLE void cancelLoad();
    // Creates Parlo's models folder if needed and returns its URL for Qt.openUrlExternally.
    Q_INVOKABLE QUrl openModelsFolder();

signals:
    void scanningChanged();
    void scanFinished();
    void stateChanged();
    void loadProgressChanged();
    void deviceChanged();

private:
    struct Fingerprint
    {
        QString key; // path, size and modification time: a replaced file is hashed again
        QString sha256;
    };
    void updateDevice();
    void fingerprintLoaded();

    AppSettings *m_settings;
    app::ChatService *m_service;
    QString m_engineName;
    QString m_promptNotice;
    ModelListModel m_models;
    DeviceListModel m_devices;
    DeviceInventory m_inventory;
    QFutureWatcher<QList<app::ModelFileInfo>> m_scan;
    QFutureWatcher<DeviceInventory> m_deviceScan;
    QFutureWatcher<Fingerprint> m_fingerprint;
    QHash<QString, QString> m_sha256ByFile; // Fingerprint::key → sha256 prefix
    std::shared_ptr<std::atomic<bool>> m_cancelHash; // of the hash running, if any
    bool m_scanning = false;
    bool m_rescanQueued = false;
    bool m_loading = false;
    double m_loadProgress = 0.0;
    QString m_loadedPath;
    QString m_loadedName;
    QString m_loadedQuantization;
    QString m_loadedSha256;
    QString m_loadingPath;
    QString m_loadingName;
    QString m_loadError;
    int m_contextLength = 0;
    QString m_deviceName;
    QString m_deviceReason;
    bool m_deviceFromEngine = false;
};

} // namespace parlo::ui
