// WriterToken: a history writer's proof of life that other processes can test without races.
//
// Each store that writes a database takes a token: a file "<db>.writers/<uuid>.lock" on which
// it holds an exclusive flock() for as long as it is open. The kernel drops the lock the moment
// the process ends, however it ends (kill -9 too), and a PID cannot be reused into a false
// "alive". Every answer being written records its writer's token, so crash recovery marks an
// answer interrupted only when nobody holds that token's lock any more.
#pragma once

#include <QString>

#include <memory>

namespace parlo::storage {

class WriterToken
{
public:
    ~WriterToken();
    WriterToken(const WriterToken &) = delete;
    WriterToken &operator=(const WriterToken &) = delete;

    // Creates and locks a new token beside the database at `dbPath`. Null when the folder
    // cannot be written (the store then cannot write either); `error` says why.
    static std::unique_ptr<WriterToken> acquire(const QString &dbPath, QString *error = nullptr);

    QString id() const { return m_id; }

    // Whether the writer that took token `id` for `dbPath` still runs. No lock file, or one
    // whose lock can be taken, means it is gone. When the lock cannot be tested (no permission)
    // it counts as alive: a live answer must never be cut off on a guess.
    static bool isAlive(const QString &dbPath, const QString &id);

    // Removes the lock files of writers that are gone.
    static void sweep(const QString &dbPath);

    static QString folderFor(const QString &dbPath);

private:
    WriterToken(QString id, QString file, int fd) : m_id(std::move(id)), m_file(std::move(file)), m_fd(fd) {}

    QString m_id;
    QString m_file;
    int m_fd = -1;
};

} // namespace parlo::storage
