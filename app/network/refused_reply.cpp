#include "network/refused_reply.h"

#include <QMetaObject>

namespace parlo::app {

RefusedReply::RefusedReply(const QNetworkRequest &request, QNetworkAccessManager::Operation operation,
                           const QString &reason, QObject *parent)
    : QNetworkReply(parent)
{
    setRequest(request);
    setUrl(request.url());
    setOperation(operation);
    open(QIODevice::ReadOnly); // before setError(): opening clears the error string
    setError(QNetworkReply::ContentAccessDenied, reason);
    setFinished(true);
    // Callers connect after get() returns, so the signals come from the event loop.
    QMetaObject::invokeMethod(
        this,
        [this] {
            emit errorOccurred(error());
            emit finished();
        },
        Qt::QueuedConnection);
}

} // namespace parlo::app
