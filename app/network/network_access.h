// The one door to the network. Parlo works offline; whatever needs the network one day (model
// downloads, the catalog, remote engines) sends its requests through this object, which checks
// the user's "Allow network access" setting (off by default, kept in the settings) first. While
// it is off, a request never opens a socket: it gets a reply that fails at once and says why.
// This is the only place the app creates a QNetworkAccessManager that can reach the network
// (the QML engines get LocalOnlyNetworkManager, which cannot).
#pragma once

#include <QList>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QSettings;

namespace parlo::app {

class NetworkAccess : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool allowed READ allowed WRITE setAllowed NOTIFY allowedChanged)

public:
    // `settings` holds the switch (key settingsKey()) and must outlive this object.
    explicit NetworkAccess(QSettings *settings, QObject *parent = nullptr);
    ~NetworkAccess() override;

    static QString settingsKey(); // "network/allowed"

    bool allowed() const;
    // Turning it off also aborts the requests still running.
    void setAllowed(bool allowed);

    // The reply is owned by this object's manager (delete it with deleteLater() once finished).
    // While network access is off it is a reply that fails at once with
    // QNetworkReply::ContentAccessDenied and refusalMessage() as its errorString().
    QNetworkReply *get(const QNetworkRequest &request);
    QNetworkReply *head(const QNetworkRequest &request);
    QNetworkReply *post(const QNetworkRequest &request, const QByteArray &data);

    // For the user: why a request was not sent, and where to change it.
    static QString refusalMessage();

signals:
    void allowedChanged(bool allowed);

private:
    QNetworkReply *send(QNetworkAccessManager::Operation operation, const QNetworkRequest &request,
                        const QByteArray &data);

    QSettings *m_settings;
    QNetworkAccessManager *m_manager = nullptr; // created on the first allowed request
    QList<QPointer<QNetworkReply>> m_running;
};

} // namespace parlo::app
