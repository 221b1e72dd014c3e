// User settings (QSettings, ~/.config/parlo/parlo.conf): theme, device, model folders and the
// sampling defaults. The system prompt is per conversation and lives with the conversation.
#pragma once

#include "chat/inference_engine.h"
#include "network/network_access.h"

#include <QObject>
#include <QSettings>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace parlo::ui {

class AppSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("AppSettings is provided by the application")
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(bool dark READ dark NOTIFY themeChanged)
    Q_PROPERTY(QString device READ device WRITE setDevice NOTIFY deviceChanged)
    Q_PROPERTY(QStringList modelFolders READ modelFolders WRITE setModelFolders NOTIFY modelFoldersChanged)
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY samplingChanged)
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY samplingChanged)
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY samplingChanged)
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY samplingChanged)
    Q_PROPERTY(double repeatPenalty READ repeatPenalty WRITE setRepeatPenalty NOTIFY samplingChanged)
    Q_PROPERTY(int seed READ seed WRITE setSeed NOTIFY samplingChanged)
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY samplingChanged)
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY samplingChanged)
    // "Allow network access" (off by default), kept by the app's one network door.
    Q_PROPERTY(bool networkAllowed READ networkAllowed WRITE setNetworkAllowed NOTIFY networkAllowedChanged)

public:
    // `settings` defaults to the user's QSettings; tests pass an INI file of their own.
    explicit AppSettings(QSettings *settings = nullptr, QObject *parent = nullptr);

    QString theme() const; // "system", "light", "dark"
    void setTheme(const QString &theme);
    bool dark() const;     // what the window shows
    QString device() const; // "auto", "cpu", "vulkan:N"
    void setDevice(const QString &device);
    QStringList modelFolders() const;
    void setModelFolders(const QStringList &folders);
    Q_INVOKABLE void addModelFolder(const QString &folderOrUrl);
    Q_INVOKABLE void removeModelFolder(const QString &folder);

    double temperature() const { return m_sampling.temperature; }
    void setTemperature(double v);
    int topK() const { return m_sampling.topK; }
    void setTopK(int v);
    double topP() const { return m_sampling.topP; }
    void setTopP(double v);
    double minP() const { return m_sampling.minP; }
    void setMinP(double v);
    double repeatPenalty() const { return m_sampling.repeatPenalty; }
    void setRepeatPenalty(double v);
    int seed() const { return int(m_sampling.seed); }
    void setSeed(int v);
    int maxTokens() const { return m_sampling.maxTokens; }
    void setMaxTokens(int v);
    int contextLength() const { return m_sampling.contextLength; }
    void setContextLength(int v);

    bool networkAllowed() const { return m_network->allowed(); }
    void setNetworkAllowed(bool allowed) { m_network->setAllowed(allowed); }
    // Everything in the app that uses the network sends its requests through this.
    app::NetworkAccess *network() { return m_network.get(); }

    app::SamplingSettings sampling() const { return m_sampling; }
    Q_INVOKABLE void resetSampling();

signals:
    void themeChanged();
    void deviceChanged();
    void modelFoldersChanged();
    void samplingChanged();
    void networkAllowedChanged();

private:
    void saveSampling();
    void applyLinkColor();

    QSettings *m_settings;
    app::SamplingSettings m_sampling;
    std::unique_ptr<app::NetworkAccess> m_network;
};

} // namespace parlo::ui
