// The network switch, against a real loopback server that counts connections: off by default
// and while off nothing connects (the reply fails at once and says why); on, the request
// arrives and is answered; the choice is kept in the settings; turning it off aborts a request
// still running. And the QML engines' local-only manager never connects, whatever it is asked.
#include "network/local_only_network_manager.h"
#include "network/network_access.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using parlo::app::LocalOnlyNetworkManager;
using parlo::app::NetworkAccess;

namespace {

// Counts connections; answers each request with "hello" unless `silent`.
class CountingServer : public QObject
{
public:
    QTcpServer server;
    int connections = 0;
    bool silent = false;

    bool start()
    {
        connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                ++connections;
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    if (!socket->readAll().contains("\r\n\r\n") || silent)
                        return;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
                    socket->disconnectFromHost();
                });
            }
        });
        return server.listen(QHostAddress::LocalHost);
    }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(server.serverPort()).arg(path));
    }
};

} // namespace

class TestNetworkAccess : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    CountingServer m_server;

    std::unique_ptr<QSettings> settings()
    {
        return std::make_unique<QSettings>(m_dir.filePath("parlo.ini"), QSettings::IniFormat);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
    }

    void init()
    {
        m_server.connections = 0;
        m_server.silent = false;
    }

    void offByDefaultAndNothingConnects()
    {
        auto s = settings();
        NetworkAccess network(s.get());
        QVERIFY(!network.allowed());
        const std::function<QNetworkReply *()> requests[] = {
            [&] { return network.get(QNetworkRequest(m_server.url("/get"))); },
            [&] { return network.head(QNetworkRequest(m_server.url("/head"))); },
            [&] { return network.post(QNetworkRequest(m_server.url("/post")), "secret"); }};
        for (const auto &send : requests) {
            QNetworkReply *reply = send();
            // Finished already, as a refused request is, yet the signals are still to come.
            QVERIFY(reply->isFinished());
            QSignalSpy errors(reply, &QNetworkReply::errorOccurred);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            QVERIFY(finished.wait(2000));
            QCOMPARE(errors.size(), 1);
            QCOMPARE(reply->error(), QNetworkReply::ContentAccessDenied);
            QVERIFY2(reply->errorString().contains(QStringLiteral("Allow network access")),
                     qPrintable(reply->errorString()));
            QVERIFY(reply->readAll().isEmpty());
            reply->deleteLater();
        }
        QTest::qWait(300);
        QCOMPARE(m_server.connections, 0);
    }

    void onTheRequestArrivesAndTheChoiceIsKept()
    {
        {
            auto s = settings();
            NetworkAccess network(s.get());
            QSignalSpy changed(&network, &NetworkAccess::allowedChanged);
            network.setAllowed(true);
            QCOMPARE(changed.size(), 1);
            QCOMPARE(changed.first().first().toBool(), true);
            QNetworkReply *reply = network.get(QNetworkRequest(m_server.url("/hello")));
            QSignalSpy finished(reply, &QNetworkReply::finished);
            QVERIFY(finished.wait(5000));
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(reply->readAll(), QByteArray("hello"));
            reply->deleteLater();
            QCOMPARE(m_server.connections, 1);
        }
        auto s = settings();
        NetworkAccess again(s.get());
        QVERIFY(again.allowed());
        again.setAllowed(false);
        QVERIFY(!NetworkAccess(settings().get()).allowed());
    }

    void turningItOffAbortsWhatIsRunning()
    {
        auto s = settings();
        NetworkAccess network(s.get());
        network.setAllowed(true);
        m_server.silent = true;
        QNetworkReply *reply = network.get(QNetworkRequest(m_server.url("/slow")));
        QTRY_COMPARE(m_server.connections, 1);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        network.setAllowed(false);
        QVERIFY(finished.size() == 1 || finished.wait(2000));
        QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
        reply->deleteLater();
        // And the next request is refused without connecting.
        QNetworkReply *refused = network.get(QNetworkRequest(m_server.url("/after")));
        QSignalSpy refusedFinished(refused, &QNetworkReply::finished);
        QVERIFY(refusedFinished.wait(2000));
        QCOMPARE(refused->error(), QNetworkReply::ContentAccessDenied);
        refused->deleteLater();
        QTest::qWait(200);
        QCOMPARE(m_server.connections, 1);
    }

    void localOnlyManagerNeverConnects()
    {
        QDir(m_dir.path()).mkpath("own");
        QFile own(m_dir.filePath("own/style.txt"));
        QVERIFY(own.open(QIODevice::WriteOnly));
        own.write("ours");
        own.close();
        QFile other(m_dir.filePath("other.txt"));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write("not ours");
        other.close();

        LocalOnlyNetworkManager manager({m_dir.filePath("own")});
        auto fetch = [&](const QUrl &url, QByteArray *body) {
            QNetworkReply *reply = manager.get(QNetworkRequest(url));
            QSignalSpy finished(reply, &QNetworkReply::finished);
            if (!reply->isFinished())
                finished.wait(3000);
            const bool ok = reply->error() == QNetworkReply::NoError;
            if (body)
                *body = reply->readAll();
            reply->deleteLater();
            return ok;
        };
        QByteArray body;
        QVERIFY(fetch(QUrl::fromLocalFile(m_dir.filePath("own/style.txt")), &body));
        QCOMPARE(body, QByteArray("ours"));
        QVERIFY(fetch(QUrl(QStringLiteral("data:text/plain,inline")), &body));
        QCOMPARE(body, QByteArray("inline"));
        // Outside our folders, also by "../", and network shares.
        QVERIFY(!fetch(QUrl::fromLocalFile(m_dir.filePath("other.txt")), nullptr));
        QVERIFY(!fetch(QUrl::fromLocalFile(m_dir.filePath("own/../other.txt")), nullptr));
        QVERIFY(!fetch(QUrl(QStringLiteral("file://fileserver/share/x.png")), nullptr));
        QVERIFY(!fetch(QUrl(QStringLiteral("smb://127.0.0.1/share")), nullptr));
        QVERIFY(!fetch(m_server.url("/leak?pin=4711"), nullptr));
        QVERIFY(!fetch(QUrl(QStringLiteral("https://127.0.0.1:%1/tls").arg(m_server.server.serverPort())), nullptr));
        QTest::qWait(300);
        QCOMPARE(m_server.connections, 0);
    }
};

QTEST_GUILESS_MAIN(TestNetworkAccess)
#include "test_network_access.moc"
