#include "network/network_access.h"

#include "network/refused_reply.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QSettings>

#include <utility>

namespace parlo::app {

NetworkAccess::NetworkAccess(QSettings *settings, QObject *parent) : QObject(parent), m_settings(settings) {}

NetworkAccess::~NetworkAccess() = default;

QString NetworkAccess::settingsKey() { return QStringLiteral("network/allowed"); }

bool NetworkAccess::allowed() const { return m_settings && m_settings->value(settingsKey(), false).toBool(); }

void NetworkAccess::setAllowed(bool allowed)
{
    if (!m_settings || allowed == this->allowed())
        return;
    m_settings->setValue(settingsKey(), allowed);
    m_settings->sync();
    if (!allowed) {
        const auto running = std::exchange(m_running, {});
        for (const QPointer<QNetworkReply> &reply : running)
            if (reply && !reply->isFinished())
                reply->abort();
        if (m_manager)
            m_manager->clearConnectionCache(); // no idle keep-alive socket stays open either
    }
    emit allowedChanged(allowed);
}

QString NetworkAccess::refusalMessage()
{
    return QCoreApplication::translate("NetworkAccess",
                                       "Network access is off, so nothing was sent. Turn on “Allow network access” "
                                       "in the settings to use it.");
}

QNetworkReply *NetworkAccess::get(const QNetworkRequest &request)
{
    return send(QNetworkAccessManager::GetOperation, request, {});
}

QNetworkReply *NetworkAccess::head(const QNetworkRequest &request)
{
    return send(QNetworkAccessManager::HeadOperation, request, {});
}

QNetworkReply *NetworkAccess::post(const QNetworkRequest &request, const QByteArray &data)
{
    return send(QNetworkAccessManager::PostOperation, request, data);
}

QNetworkReply *NetworkAccess::send(QNetworkAccessManager::Operation operation, const QNetworkRequest &request,
                                   const QByteArray &data)
{
    if (!m_manager)
        m_manager = new QNetworkAccessManager(this);
    if (!allowed())
        return new RefusedReply(request, operation, refusalMessage(), m_manager);
    QNetworkReply *reply = nullptr;
    switch (operation) {
    case QNetworkAccessManager::HeadOperation: reply = m_manager->head(request); break;
    case QNetworkAccessManager::PostOperation: reply = m_manager->post(request, data); break;
    default: reply = m_manager->get(request); break;
    }
    m_running.removeIf([](const QPointer<QNetworkReply> &r) { return !r || r->isFinished(); });
    m_running.append(reply);
    return reply;
}

} // namespace parlo::app
