#include "regular_file.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace parlo::app {

std::optional<QString> regularFileProblem(const QString &path, const QString &kind)
{
    const QString shown = QDir::toNativeSeparators(path);
    struct stat st{};
    // stat() never opens the file, so a FIFO cannot block here.
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        if (errno == ENOENT)
            return QStringLiteral("%1 does not exist").arg(shown);
        return QStringLiteral("cannot read %1: %2").arg(shown, QString::fromLocal8Bit(std::strerror(errno)));
    }
    if (S_ISREG(st.st_mode))
        return std::nullopt;
    const QString what = S_ISDIR(st.st_mode)    ? QStringLiteral("a folder")
                         : S_ISFIFO(st.st_mode) ? QStringLiteral("a named pipe (FIFO)")
                         : S_ISSOCK(st.st_mode) ? QStringLiteral("a socket")
                         : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? QStringLiteral("a device")
                                                                        : QStringLiteral("a special file");
    return QStringLiteral("%1 is %2, not a %3 file").arg(shown, what, kind);
}

} // namespace parlo::app
