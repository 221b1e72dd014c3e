#include "controllers/model_controller.h"

#include "chat/model_chat_format.h"

#include <QDir>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <unistd.h>

namespace parlo::ui {

namespace {

QString fingerprintKey(const QString &path)
{
    const QFileInfo info(path);
    return QStringLiteral("%1|%2|%3").arg(info.absoluteFilePath()).arg(info.size()).arg(
        info.lastModified().toMSecsSinceEpoch());
}

qint64 availableSystemMemory()
{
    const long pages = sysconf(_SC_AVPHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? qint64(pages) * pageSize : 0;
}

} // namespace

ModelController::ModelController(AppSettings *settings, app::ChatService *service, QString engineName, QObject *parent)
    : QObject(parent), m_settings(settings), m_service(service), m_engineName(std::move(engineName))
{
    m_devices.setInventory({});
    connect(&m_scan, &QFutureWatcher<QList<app::ModelFileInfo>>::finished, this, [this] {
        m_models.setModels(m_scan.result());
        m_scanning = false;
        emit scanningChanged();
        emit scanFinished();
        if (m_rescanQueued) {
            m_rescanQueued = false;
            rescan();
        }
    });
    connect(&m_deviceScan, &QFutureWatcher<DeviceInventory>::finished, this, [this] {
        m_inventory = m_deviceScan.result();
        m_devices.setInventory(m_inventory);
        updateDevice();
    });
    m_deviceScan.setFuture(QtConcurrent::run([] { return enumerateVulkanDevices(); }));
    connect(m_settings, &AppSettings::modelFoldersChanged, this, &ModelController::rescan);
    connect(m_settings, &AppSettings::deviceChanged, this, &ModelController::updateDevice);

    connect(m_service, &app::ChatService::loadProgress, this, [this](float fraction) {
        m_loadProgress = fraction;
        emit loadProgressChanged();
    });
    connect(m_service, &app::ChatService::modelLoaded, this, [this](const QString &path, const app::LoadedModelInfo &info) {
        if (path != m_loadingPath)
            return;
        m_loading = false;
        m_loadError.clear(); // a refusal made while this load ran is no longer news
        m_loadedPath = path;
        m_loadedName = QString::fromStdString(info.name);
        m_loadedQuantization = QString::fromStdString(info.quantization);
        if (const int row = m_models.rowOfPath(path); m_loadedQuantization.isEmpty() && row >= 0)
            m_loadedQuantization = m_models.modelAt(row).quantization;
        m_contextLength = info.contextLength;
        m_deviceName = QString::fromStdString(info.deviceName);
        m_deviceReason = QString::fromStdString(info.deviceReason);
        m_promptNotice = QString::fromStdString(info.notice);
        m_deviceFromEngine = true;
        fingerprintLoaded();
        emit stateChanged();
        emit deviceChanged();
    });
    connect(&m_fingerprint, &QFutureWatcher<Fingerprint>::finished, this, [this] {
        const Fingerprint f = m_fingerprint.result();
        if (f.sha256.isEmpty())
            return;
        m_sha256ByFile.insert(f.key, f.sha256);
        if (f.key == fingerprintKey(m_loadedPath))
            m_loadedSha256 = f.sha256;
    });
    connect(m_service, &app::ChatService::loadFailed, this, [this](const QString &path, const QString &message) {
        if (path != m_loadingPath)
            return;
        m_loading = false;
        m_loadError = message;
        m_loadedPath.clear(); // the worker unloaded the previous model before trying
        m_loadedName.clear();
        m_loadedQuantization.clear();
        m_loadedSha256.clear();
        emit stateChanged();
    });
    updateDevice();
    rescan();
}

ModelController::~ModelController()
{
    if (m_cancelHash)
        m_cancelHash->store(true);
}

QString ModelController::modelsFolder() const { return app::defaultModelsFolder(); }

void ModelController::rescan()
{
    if (m_scanning) {
        m_rescanQueued = true;
        return;
    }
    m_scanning = true;
    emit scanningChanged();
    const QList<app::ModelFolder> folders = app::modelFolders(m_settings->modelFolders());
    m_scan.setFuture(QtConcurrent::run([folders] { return app::scanModelFolders(folders); }));
}

void ModelController::load(const QString &path)
{
    if (path.isEmpty() || (m_loading && path == m_loadingPath))
        return;
    const int row = m_models.rowOfPath(path);
    // The picker disables such entries; a programmatic request gets the same reason, and the
    // model in use stays loaded.
    if (const QString reason = row >= 0 ? m_models.modelAt(row).unavailableReason() : QString(); !reason.isEmpty()) {
        m_loadError = reason;
        emit stateChanged();
        return;
    }
    m_loadingPath = path;
    m_loadingName = row >= 0 ? m_models.modelAt(row).name : QFileInfo(path).completeBaseName();
    m_loading = true;
    m_loadError.clear();
    m_loadProgress = 0.0;
    emit loadProgressChanged();
    emit stateChanged();
    app::SamplingSettings settings = m_settings->sampling();
    settings.device = m_settings->device().toStdString();
    m_service->loadModel(path, settings);
}

void ModelController::fingerprintLoaded()
{
    // Hashing reads the whole file (gigabytes): never on the GUI thread, and once per file.
    const QString key = fingerprintKey(m_loadedPath);
    m_loadedSha256 = m_sha256ByFile.value(key);
    if (m_cancelHash)
        m_cancelHash->store(true); // the model it was for is gone
    m_cancelHash.reset();
    if (!m_loadedSha256.isEmpty())
        return;
    m_cancelHash = std::make_shared<std::atomic<bool>>(false);
    m_fingerprint.setFuture(QtConcurrent::run([path = m_loadedPath, key, cancel = m_cancelHash] {
        auto sha = app::fileSha256Prefix(path, 16, cancel.get());
        return Fingerprint{key, sha ? *sha : QString()};
    }));
}

void ModelController::cancelLoad()
{
    if (m_loading)
        m_service->cancelLoad();
}

QUrl ModelController::openModelsFolder()
{
    QDir().mkpath(modelsFolder());
    return QUrl::fromLocalFile(modelsFolder());
}

void ModelController::updateDevice()
{
    auto request = parseDeviceRequest(m_settings->device().toStdString());
    if (!request)
        request = DeviceRequest{};
    auto choice = chooseDevice(m_inventory, *request);
    QString name = QStringLiteral("CPU");
    qint64 memory = availableSystemMemory();
    if (choice && choice->backend == BackendKind::Vulkan && choice->vulkanIndex) {
        for (const VulkanDeviceInfo &d : m_inventory.devices) {
            if (d.index == *choice->vulkanIndex) {
                name = QString::fromStdString(d.name);
                memory = qint64(d.deviceLocalBudget());
            }
        }
    }
    m_models.setDeviceMemory(memory, name);
    if (!m_deviceFromEngine) {
        m_deviceName = name;
        m_deviceReason = choice ? QString::fromStdString(choice->reason) : QString::fromStdString(choice.error().message);
        emit deviceChanged();
    }
}

} // namespace parlo::ui
