// SingleInstance: one Parlo window per history. A second `parlo` launch (a file manager's
// "Open with Parlo", a second click on the launcher) hands its files to the running one, which
// opens them and raises its window, instead of starting a second writer of the same history.
//
// The instances meet on a local (Unix domain) socket in the user's runtime folder, named after
// the profile's data folder, so another profile (another XDG_DATA_HOME) is another instance.
// Nothing listens on the network.
#pragma once

#include <QObject>
#include <QStringList>

class QLocalServer;

namespace parlo::app {

class SingleInstance : public QObject
{
    Q_OBJECT

public:
    enum class Role
    {
        Primary,   // this process listens; later launches reach it through filesReceived
        HandedOff, // another instance took the files: this process should exit (0)
        Alone,     // no meeting point could be set up: carry on as a separate instance
    };

    // `serverPath` empty: defaultServerPath().
    explicit SingleInstance(const QString &serverPath = QString(), QObject *parent = nullptr);
    ~SingleInstance() override;

    // Hands `files` (made absolute) to a running instance, or becomes the one others reach.
    // Waits at most `timeoutMs` for a running instance to answer.
    Role start(const QStringList &files, int timeoutMs = 5000);

    QString serverPath() const { return m_serverPath; }
    // <runtime dir>/parlo-<hash of the data folder>.socket
    static QString defaultServerPath();

signals:
    // In the primary: a later launch asked to open these files (possibly none: raise the window).
    void filesReceived(const QStringList &files);

private:
    void acceptConnections();

    QString m_serverPath;
    QLocalServer *m_server = nullptr;
};

} // namespace parlo::app
