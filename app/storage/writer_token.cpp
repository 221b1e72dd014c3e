#include "writer_token.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUuid>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace parlo::storage {

namespace {

// Ids come back from the database, which may be hostile: only a uuid may become a file name.
bool isTokenId(const QString &id)
{
    static const QRegularExpression uuid(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    return uuid.match(id).hasMatch();
}

QString lockFile(const QString &dbPath, const QString &id)
{
    return QDir(WriterToken::folderFor(dbPath)).filePath(id + QStringLiteral(".lock"));
}

} // namespace

QString WriterToken::folderFor(const QString &dbPath)
{
    return dbPath + QStringLiteral(".writers");
}

#ifdef Q_OS_UNIX

WriterToken::~WriterToken()
{
    // Unlink first, then unlock: nobody can find the file unlocked while it still has its name.
    ::unlink(QFile::encodeName(m_file).constData());
    ::close(m_fd);
}

std::unique_ptr<WriterToken> WriterToken::acquire(const QString &dbPath, QString *error)
{
    auto fail = [&](const QString &what) -> std::unique_ptr<WriterToken> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errno)));
        return nullptr;
    };
    const QByteArray folder = QFile::encodeName(folderFor(dbPath));
    if (::mkdir(folder.constData(), 0700) != 0 && errno != EEXIST)
        return fail(QStringLiteral("cannot create %1").arg(folderFor(dbPath)));
    struct stat st{};
    if (::lstat(folder.constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return fail(folderFor(dbPath));
    }
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // Locked under a temporary name and only then renamed: a "<id>.lock" file is locked from
    // the moment it exists, so a sweep can never take a live writer's file for a dead one's.
    const QByteArray temporary = QFile::encodeName(QDir(folderFor(dbPath)).filePath(QStringLiteral(".%1.tmp").arg(id)));
    const int fd = ::open(temporary.constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(QStringLiteral("cannot create a lock file in %1").arg(folderFor(dbPath)));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        ::unlink(temporary.constData());
        return fail(QStringLiteral("cannot lock a file in %1").arg(folderFor(dbPath)));
    }
    // For people looking at the folder; liveness is the lock, never this number.
    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    (void)!::write(fd, pid.constData(), size_t(pid.size()));
    const QString file = lockFile(dbPath, id);
    if (::rename(temporary.constData(), QFile::encodeName(file).constData()) != 0) {
        ::close(fd);
        ::unlink(temporary.constData());
        return fail(QStringLiteral("cannot create %1").arg(file));
    }
    return std::unique_ptr<WriterToken>(new WriterToken(id, file, fd));
}

bool WriterToken::isAlive(const QString &dbPath, const QString &id)
{
    if (!isTokenId(id))
        return false;
    const int fd = ::open(QFile::encodeName(lockFile(dbPath, id)).constData(),
                          O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return errno != ENOENT;
    bool alive = true;
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0)
        alive = false; // closing the descriptor lets the lock go again
    else
        alive = errno == EWOULDBLOCK || errno == EINTR || errno == ENOLCK;
    ::close(fd);
    return alive;
}

void WriterToken::sweep(const QString &dbPath)
{
    QDir folder(folderFor(dbPath));
    const QFileInfoList entries =
        folder.entryInfoList({QStringLiteral("*.lock"), QStringLiteral(".*.tmp")}, QDir::Files | QDir::Hidden);
    for (const QFileInfo &entry : entries) {
        const bool temporary = entry.fileName().endsWith(QStringLiteral(".tmp"));
        // A temporary file is unlocked for a moment while its writer starts.
        if (temporary && entry.lastModified().secsTo(QDateTime::currentDateTime()) < 60)
            continue;
        const QByteArray name = QFile::encodeName(entry.absoluteFilePath());
        const int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            qCDebug(lcStorage) << "removing the lock file of a writer that is gone:" << entry.fileName();
            ::unlink(name.constData());
        }
        ::close(fd);
    }
}

#else // no flock(): no tokens, and every unfinished answer counts as abandoned, as before

WriterToken::~WriterToken() = default;

std::unique_ptr<WriterToken> WriterToken::acquire(const QString &, QString *error)
{
    if (error)
        *error = QStringLiteral("writer tokens need flock()");
    return nullptr;
}

bool WriterToken::isAlive(const QString &, const QString &)
{
    return false;
}

void WriterToken::sweep(const QString &) {}

#endif

} // namespace parlo::storage
