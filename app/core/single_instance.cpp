#include "single_instance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QLoggingCategory>
#include <QPointer>
#include <QStandardPaths>

Q_LOGGING_CATEGORY(lcInstance, "parlo.instance", QtInfoMsg)

namespace parlo::app {

namespace {

constexpr qint64 kMaxMessageBytes = 1 << 20; // a few thousand paths; anything larger is not ours
const QByteArray kAcknowledgement = QByteArrayLiteral("ok\n");

QByteArray encodeFiles(const QStringList &files)
{
    return QJsonDocument(QJsonArray::fromStringList(files)).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

SingleInstance::SingleInstance(const QString &serverPath, QObject *parent)
    : QObject(parent), m_serverPath(serverPath.isEmpty() ? defaultServerPath() : serverPath)
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultServerPath()
{
    QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (runtime.isEmpty())
        runtime = QDir::tempPath();
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QByteArray hash = QCryptographicHash::hash(data.toUtf8(), QCryptographicHash::Sha256).toHex().left(12);
    return QDir(runtime).filePath(QStringLiteral("parlo-%1.socket").arg(QString::fromLatin1(hash)));
}

SingleInstance::Role SingleInstance::start(const QStringList &files, int timeoutMs)
{
    QStringList absolute;
    for (const QString &file : files)
        absolute.append(QFileInfo(file).absoluteFilePath());

    // Two launches at once must not both decide they are first: the decision is made under a
    // lock. The running instance is recognised by its socket answering, never by a PID.
    QLockFile decision(m_serverPath + QStringLiteral(".lock"));
    decision.setStaleLockTime(10000);
    if (!decision.tryLock(timeoutMs)) {
        qCWarning(lcInstance) << "could not take" << decision.fileName() << "; starting a separate instance";
        return Role::Alone;
    }

    QLocalSocket socket;
    socket.connectToServer(m_serverPath);
    if (socket.waitForConnected(timeoutMs)) {
        socket.write(encodeFiles(absolute));
        socket.flush();
        QElapsedTimer timer;
        timer.start();
        while (!socket.canReadLine() && timer.elapsed() < timeoutMs &&
               socket.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - timer.elapsed())))) {
        }
        const bool acknowledged = socket.canReadLine() && socket.readLine() == kAcknowledgement;
        if (acknowledged) {
            qCDebug(lcInstance) << "handed" << absolute << "to the running instance";
            return Role::HandedOff;
        }
        // Something holds the socket but does not answer: do not wait on it forever.
        qCWarning(lcInstance) << "the running Parlo did not answer on" << m_serverPath << "; starting a separate instance";
        return Role::Alone;
    }

    // Nobody answers: whatever socket file is there was left by an instance that is gone.
    QLocalServer::removeServer(m_serverPath);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_serverPath)) {
        qCWarning(lcInstance) << "cannot listen on" << m_serverPath << ":" << m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return Role::Alone;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::acceptConnections);
    return Role::Primary;
}

void SingleInstance::acceptConnections()
{
    while (QLocalSocket *connection = m_server->nextPendingConnection()) {
        connect(connection, &QLocalSocket::disconnected, connection, &QObject::deleteLater);
        connect(connection, &QLocalSocket::readyRead, this, [this, connection = QPointer<QLocalSocket>(connection)] {
            if (!connection)
                return;
            if (!connection->canReadLine()) {
                if (connection->bytesAvailable() > kMaxMessageBytes)
                    connection->abort();
                return;
            }
            const QJsonDocument message = QJsonDocument::fromJson(connection->readLine(kMaxMessageBytes).trimmed());
            QStringList files;
            if (message.isArray()) {
                for (const QJsonValue &value : message.array())
                    if (value.isString())
                        files.append(value.toString());
            }
            connection->write(kAcknowledgement);
            connection->disconnectFromServer();
            qCDebug(lcInstance) << "another launch handed over" << files;
            emit filesReceived(files);
        });
    }
}

} // namespace parlo::app
