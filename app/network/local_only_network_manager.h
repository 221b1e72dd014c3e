// A QNetworkAccessManager that never reaches the network: `qrc:` and `data:` are served (they
// are in memory), `file:` only below the given folders (the app's own resources), and every
// other request is refused at once with a RefusedReply. The QML engines use it (see
// ui/network/offline_network_factory.h), so nothing a rendered answer names is fetched.
#pragma once

#include <QNetworkAccessManager>
#include <QStringList>

namespace parlo::app {

class LocalOnlyNetworkManager : public QNetworkAccessManager
{
    Q_OBJECT

public:
    // `fileRoots`: folders whose files may be read through `file:` URLs.
    explicit LocalOnlyNetworkManager(QStringList fileRoots, QObject *parent = nullptr);

    // Whether a request for `url` is served (true) or refused.
    bool serves(const QUrl &url) const;

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request, QIODevice *outgoingData) override;

private:
    QStringList m_fileRoots; // canonical, each ending in '/'
};

} // namespace parlo::app
