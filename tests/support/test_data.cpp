#include "test_data.h"

#include <QDir>
#include <QFileInfo>

namespace parlo::test {

QString testDataDir() { return qEnvironmentVariable("PARLO_TEST_DATA"); }

QString testDataFile(const QString &relative)
{
    const QString dir = testDataDir();
    if (dir.isEmpty())
        return {};
    const QFileInfo info(QDir(dir).filePath(relative));
    return info.exists() ? info.absoluteFilePath() : QString();
}

} // namespace parlo::test
