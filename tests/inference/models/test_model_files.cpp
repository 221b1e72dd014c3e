// The shared test models are real GGUF files (not Git LFS pointers or truncated copies):
// every later model test depends on that, so a broken checkout fails here, by name.
#include "test_data.h"

#include <QDir>
#include <QFile>
#include <QtEndian>
#include <QtTest>

class TestModelFiles : public QObject
{
    Q_OBJECT

private slots:
    void everyModelHasGgufHeader()
    {
        PARLO_REQUIRE_TEST_FILE(modelsDir, "models");
        const QStringList files = QDir(modelsDir).entryList({"*.gguf"}, QDir::Files);
        QVERIFY2(files.size() >= 4, "expected the stories260K models at least");
        for (const QString &name : files) {
            QFile file(QDir(modelsDir).filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray header = file.read(24);
            QVERIFY2(header.size() == 24, qPrintable(name + " is shorter than a GGUF header"));
            QVERIFY2(header.startsWith("GGUF"), qPrintable(name + " has no GGUF magic"));
            const quint32 version = qFromLittleEndian<quint32>(header.constData() + 4);
            QVERIFY2(version == 2 || version == 3, qPrintable(name + ": GGUF version " + QString::number(version)));
            const quint64 tensorCount = qFromLittleEndian<quint64>(header.constData() + 8);
            QVERIFY2(tensorCount > 0 && tensorCount < 10000, qPrintable(name + ": implausible tensor count"));
        }
    }
};

QTEST_GUILESS_MAIN(TestModelFiles)
#include "test_model_files.moc"
