// A reply for a request that was never sent: it fails at once (on the next turn of the event
// loop, as real replies do) with a message saying why, and no socket is ever opened.
#pragma once

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace parlo::app {

class RefusedReply : public QNetworkReply
{
    Q_OBJECT

public:
    RefusedReply(const QNetworkRequest &request, QNetworkAccessManager::Operation operation, const QString &reason,
                 QObject *parent = nullptr);

    void abort() override {}
    qint64 bytesAvailable() const override { return 0; }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *, qint64) override { return -1; }
};

} // namespace parlo::app
