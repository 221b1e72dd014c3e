#include "network/local_only_network_manager.h"

#include "network/refused_reply.h"

#include <QDir>
#include <QFileInfo>

namespace parlo::app {

LocalOnlyNetworkManager::LocalOnlyNetworkManager(QStringList fileRoots, QObject *parent)
    : QNetworkAccessManager(parent)
{
    for (const QString &root : fileRoots) {
        const QString canonical = QFileInfo(root).canonicalFilePath();
        if (!canonical.isEmpty())
            m_fileRoots.append(canonical.endsWith(u'/') ? canonical : canonical + u'/');
    }
}

bool LocalOnlyNetworkManager::serves(const QUrl &url) const
{
    const QString scheme = url.scheme().toLower();
    if (scheme == u"qrc" || scheme == u"data")
        return true;
    if (scheme != u"file" || !url.host().isEmpty()) // file://host/… is a network share
        return false;
    // Canonical, so neither "../" nor a symbolic link leads out of a root.
    const QString path = QFileInfo(url.toLocalFile()).canonicalFilePath();
    if (path.isEmpty())
        return false;
    for (const QString &root : m_fileRoots)
        if (path.startsWith(root))
            return true;
    return false;
}

QNetworkReply *LocalOnlyNetworkManager::createRequest(Operation op, const QNetworkRequest &request,
                                                      QIODevice *outgoingData)
{
    if (op == GetOperation && serves(request.url()))
        return QNetworkAccessManager::createRequest(op, request, outgoingData);
    return new RefusedReply(request, op,
                            tr("Parlo does not load %1: what it shows never comes from the network.")
                                .arg(request.url().toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo)),
                            this);
}

} // namespace parlo::app
