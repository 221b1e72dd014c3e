// Running a program (usually parlo-cli) as a user would, for end-to-end tests.
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace parlo::test {

struct ProcessRun
{
    int exitCode = -1;   // -1 when the program crashed or timed out
    QByteArray outBytes; // stdout, exactly as written
    QByteArray errBytes;
    QString out;         // the same, decoded as UTF-8
    QString err;
};

ProcessRun runProcess(const QString &program, const QStringList &args,
                      const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                      int timeoutMs = 120000);

} // namespace parlo::test
