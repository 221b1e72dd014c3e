// The desktop entry and AppStream metadata pass their validators, as distributions check them.
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

namespace {

bool toolMissing(const QString &tool) { return tool.isEmpty() || tool.endsWith("NOTFOUND"); }

} // namespace

class TestDesktopFiles : public QObject
{
    Q_OBJECT

private slots:
    void desktopFileIsValid()
    {
        if (toolMissing(PARLO_DESKTOP_FILE_VALIDATE))
            QSKIP("desktop-file-validate is not installed (Debian: desktop-file-utils)");
        QProcess p;
        p.start(PARLO_DESKTOP_FILE_VALIDATE, {PARLO_PACKAGING_DIR "/io.github.parlo.Parlo.desktop"});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0 && out.trimmed().isEmpty(), qPrintable(out));
    }

    void metainfoIsValidPedantic()
    {
        if (toolMissing(PARLO_APPSTREAMCLI))
            QSKIP("appstreamcli is not installed (Debian: appstream)");
        QProcess p;
        p.start(PARLO_APPSTREAMCLI,
                {"validate", "--pedantic", "--no-net", PARLO_PACKAGING_DIR "/io.github.parlo.Parlo.metainfo.xml"});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(out));
        QVERIFY2(!out.contains("\nE:") && !out.startsWith("E:") && !out.contains("\nW:"), qPrintable(out));
    }

    void metainfoScreenshotsAreInTheRepository()
    {
        QFile file(PARLO_PACKAGING_DIR "/io.github.parlo.Parlo.metainfo.xml");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString xml = QString::fromUtf8(file.readAll());
        const QRegularExpression image("<image>[^<]*/packaging/screenshots/([^<]+)</image>");
        int count = 0;
        for (auto it = image.globalMatch(xml); it.hasNext();) {
            const QString name = it.next().captured(1);
            QVERIFY2(QFileInfo::exists(PARLO_PACKAGING_DIR "/screenshots/" + name), qPrintable(name));
            ++count;
        }
        QVERIFY2(count >= 2, "the light and the dark screenshot");
    }

    void flatpakManifestIsValidAndOffline()
    {
        QFile file(PARLO_PACKAGING_DIR "/flatpak/io.github.parlo.Parlo.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonObject manifest = doc.object();
        QCOMPARE(manifest["id"].toString(), QStringLiteral("io.github.parlo.Parlo"));
        QCOMPARE(manifest["runtime"].toString(), QStringLiteral("org.kde.Platform")); // brings KF6 SyntaxHighlighting
        QVERIFY(manifest["runtime-version"].toString().startsWith("6."));
        const QJsonArray args = manifest["finish-args"].toArray();
        QVERIFY(args.contains(QJsonValue("--device=dri")));
        QVERIFY2(!args.contains(QJsonValue("--share=network")), "Parlo must not ask for network access by default");
    }

    void appImageRecipeParses()
    {
        QProcess p;
        p.start("bash", {"-n", PARLO_PACKAGING_DIR "/appimage/build-appimage.sh"});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }

    void mimeTypeIsDeclaredOnBothSides()
    {
        QFile desktop(PARLO_PACKAGING_DIR "/io.github.parlo.Parlo.desktop");
        QVERIFY(desktop.open(QIODevice::ReadOnly));
        QVERIFY(desktop.readAll().contains("MimeType=application/x-gguf;"));
        QFile mime(PARLO_PACKAGING_DIR "/parlo-gguf-mime.xml");
        QVERIFY(mime.open(QIODevice::ReadOnly));
        const QByteArray xml = mime.readAll();
        QVERIFY(xml.contains("type=\"application/x-gguf\""));
        QVERIFY(xml.contains("*.gguf"));
    }
};

QTEST_GUILESS_MAIN(TestDesktopFiles)
#include "test_desktop_files.moc"
