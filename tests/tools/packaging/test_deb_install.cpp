// Builds the .deb (from the tree named by $PARLO_CPACK_CONFIG_UNDER_TEST, else this one), checks
// it with lintian, unpacks it with `dpkg-deb -x` and runs the CLI from there, checks that no
// packaged file names the build or source tree, compares the .rpm with it, and installs it with
// apt into a clean Debian 12 root where the GUI must start, open its folder dialog and answer.
#include "process_run.h"
#include "test_data.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = parlo::test::ProcessRun;

Run run(const QString &program, const QStringList &args)
{
    return parlo::test::runProcess(program, args, QProcessEnvironment::systemEnvironment(), 600000);
}

bool toolMissing(const QString &tool) { return tool.isEmpty() || tool.endsWith("NOTFOUND"); }

QString cpackConfig()
{
    const QString fromEnv = qEnvironmentVariable("PARLO_CPACK_CONFIG_UNDER_TEST");
    return fromEnv.isEmpty() ? QStringLiteral(PARLO_CPACK_CONFIG) : fromEnv;
}

// A CPackConfig.cmake value, e.g. CPACK_DEBIAN_PACKAGE_DEPENDS.
QString cpackValue(const QString &config, const QString &key)
{
    QFile file(config);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QRegularExpression re(QStringLiteral("^set\\(%1 \"([^\"]*)\"\\)$").arg(key),
                                QRegularExpression::MultilineOption);
    return re.match(QString::fromUtf8(file.readAll())).captured(1);
}

// Package names out of a Depends/Requires list, without versions or alternatives' spaces.
QSet<QString> packageNames(const QString &list)
{
    QSet<QString> names;
    for (const QString &entry : list.split(QRegularExpression(QStringLiteral("[,\\n]")), Qt::SkipEmptyParts)) {
        const QString name = entry.trimmed().section(QLatin1Char(' '), 0, 0).section(QLatin1Char('('), 0, 0);
        if (!name.isEmpty())
            names.insert(name);
    }
    return names;
}

// Files of a package as absolute paths, directories left out.
QStringList sortedFiles(QStringList files)
{
    files.removeAll(QString());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

class TestDebInstall : public QObject
{
    Q_OBJECT

    QTemporaryDir m_work;
    QString m_config;
    QString m_deb;
    QString m_root;

    // Every regular file the .deb installs, as /usr/… paths.
    QStringList debFiles() const
    {
        QStringList files;
        QDirIterator it(m_root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next().mid(m_root.size());
        return sortedFiles(files);
    }

private slots:
    void initTestCase()
    {
        if (toolMissing(PARLO_DPKG_DEB))
            QSKIP("dpkg-deb is not installed");
        QVERIFY(m_work.isValid());
        m_config = cpackConfig();
        QVERIFY2(QFile::exists(m_config), qPrintable(m_config + " is missing: was that tree configured?"));
        qInfo("packaging %s", qPrintable(m_config));
        const Run pack = run(PARLO_CPACK, {"-G", "DEB", "--config", m_config, "-B", m_work.path()});
        QVERIFY2(pack.exitCode == 0, qPrintable(pack.out + pack.err));
        const QStringList debs = QDir(m_work.path()).entryList({"*.deb"}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        m_deb = QDir(m_work.path()).filePath(debs.first());
        m_root = QDir(m_work.path()).filePath("root");
        const Run extract = run(PARLO_DPKG_DEB, {"-x", m_deb, m_root});
        QVERIFY2(extract.exitCode == 0, qPrintable(extract.err));
    }

    void lintianReportsNoErrors()
    {
        if (toolMissing(PARLO_LINTIAN))
            QSKIP("lintian is not installed");
        const Run lint = run(PARLO_LINTIAN, {"--tag-display-limit", "0", m_deb});
        QVERIFY2(!lint.out.contains("E: "), qPrintable(lint.out));
    }

    void installsDesktopIntegration()
    {
        for (const char *path : {"usr/bin/parlo-cli", "usr/bin/parlo", "usr/share/applications/io.github.parlo.Parlo.desktop",
                                 "usr/share/metainfo/io.github.parlo.Parlo.metainfo.xml",
                                 "usr/share/icons/hicolor/scalable/apps/io.github.parlo.Parlo.svg",
                                 "usr/share/icons/hicolor/48x48/apps/io.github.parlo.Parlo.png",
                                 "usr/share/mime/packages/io.github.parlo.Parlo.xml",
                                 "usr/share/man/man1/parlo-cli.1.gz", "usr/share/doc/parlo/copyright"})
            QVERIFY2(QFile::exists(QDir(m_root).filePath(path)), path);
    }

    void installedCliRuns()
    {
        const QString cli = QDir(m_root).filePath("usr/bin/parlo-cli");
        const Run version = run(cli, {"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("parlo-cli "));
        const Run devices = run(cli, {"devices"});
        QCOMPARE(devices.exitCode, 0);
        QVERIFY2(devices.out.contains("Parlo would use:"), qPrintable(devices.out));
    }

    void installedCliGenerates()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        const QString cli = QDir(m_root).filePath("usr/bin/parlo-cli");
        const Run help = run(cli, {"generate", "--help"});
        if (help.exitCode == 2 && help.err.contains("unknown command"))
            QSKIP("parlo-cli generate is not part of this build yet (engine issue)");
        const Run gen = run(cli, {"generate", "--model", model, "--tokens", "1 403 407 261 378", "-n", "8", "--temp",
                                  "0", "--print-ids", "--device", "cpu"});
        QVERIFY2(gen.exitCode == 0, qPrintable(gen.err));
        const QStringList ids = gen.out.split(' ', Qt::SkipEmptyParts);
        QVERIFY2(!ids.isEmpty() && ids.size() <= 8, qPrintable(gen.out));
        for (const QString &id : ids) {
            bool ok = false;
            QVERIFY(id.trimmed().toInt(&ok) >= 0 && ok);
        }
    }

    // A shipped binary must not look for anything in the tree it was built in: that path does
    // not exist on a user's machine, and on a shared one it names a folder someone else may own.
    void packagedFilesNameNoBuildTree()
    {
        const QString buildDir = QFileInfo(m_config).absolutePath();
        const QByteArray needles[] = {QDir::cleanPath(buildDir).toUtf8(), QByteArray(PARLO_SOURCE_DIR)};
        QStringList offenders;
        for (const QString &file : debFiles()) {
            QFile f(m_root + file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            for (const QByteArray &needle : needles)
                if (bytes.contains(needle + '/'))
                    offenders << QStringLiteral("%1 names %2").arg(file, QString::fromUtf8(needle));
        }
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join('\n')));
    }

    // The .rpm carries the same files as the .deb, the same QML modules in Fedora's names, the
    // Vulkan loader and the xcb platform plugin, and, like the .deb, no install scripts.
    void rpmMatchesDeb()
    {
        if (toolMissing(PARLO_RPM) || toolMissing(PARLO_RPMBUILD))
            QSKIP("rpm or rpmbuild is not installed (Debian: rpm)");
        const QString rpmDir = QDir(m_work.path()).filePath("rpm");
        const Run pack = run(PARLO_CPACK, {"-G", "RPM", "--config", m_config, "-B", rpmDir});
        QVERIFY2(pack.exitCode == 0, qPrintable(pack.out + pack.err));
        const QStringList rpms = QDir(rpmDir).entryList({"*.rpm"}, QDir::Files);
        QCOMPARE(rpms.size(), 1);
        const QString rpm = QDir(rpmDir).filePath(rpms.first());

        // rpm -qlp lists directories too; -qp --qf with the file modes tells them apart.
        const Run list = run(PARLO_RPM, {"-qp", "--qf", "[%{FILEMODES:perms} %{FILENAMES}\\n]", rpm});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QStringList rpmFiles;
        // rpmbuild adds a /usr/lib/.build-id/ link per ELF file on its own (Fedora's debuginfo
        // lookup); the .deb has no counterpart, so those are not compared.
        for (const QString &line : list.out.split('\n', Qt::SkipEmptyParts))
            if (!line.startsWith('d') && !line.section(' ', 1).startsWith("/usr/lib/.build-id/"))
                rpmFiles << line.section(' ', 1);
        QCOMPARE(sortedFiles(rpmFiles), debFiles());
        const Run plain = run(PARLO_RPM, {"-qlp", rpm});
        QVERIFY2(plain.exitCode == 0 && plain.out.contains("/usr/bin/parlo-cli"), qPrintable(plain.out + plain.err));

        const Run requires_ = run(PARLO_RPM, {"-qpR", rpm});
        QVERIFY2(requires_.exitCode == 0, qPrintable(requires_.err));
        const QSet<QString> rpmRequires = packageNames(requires_.out);
        const QSet<QString> wanted = packageNames(cpackValue(m_config, "CPACK_RPM_PACKAGE_REQUIRES"));
        QVERIFY2(wanted.contains("qt6-qtdeclarative") && wanted.contains("vulkan-loader")
                     && wanted.contains("qt6-qtbase-gui"),
                 qPrintable(QStringList(wanted.values()).join(", ")));
        for (const QString &name : wanted)
            QVERIFY2(rpmRequires.contains(name), qPrintable(name + " missing from rpm -qpR:\n" + requires_.out));
        // The shared libraries the binaries link, found by rpm as the .deb's shlibdeps does.
        QVERIFY2(requires_.out.contains("libQt6Quick.so.6"), qPrintable(requires_.out));

        const Run scripts = run(PARLO_RPM, {"-qp", "--scripts", rpm});
        QVERIFY2(scripts.exitCode == 0, qPrintable(scripts.err));
        for (const char *script : {"preinst", "postinst", "prerm", "postrm"}) {
            const Run has = run(PARLO_DPKG_DEB, {"-I", m_deb, script});
            QVERIFY2(has.exitCode != 0, qPrintable(QStringLiteral("the .deb has a %1 the .rpm lacks").arg(script)));
        }
        QVERIFY2(scripts.out.trimmed().isEmpty(), qPrintable("the .rpm has scripts the .deb lacks:\n" + scripts.out));
    }

    // What a user does: apt-get install ./parlo_*.deb on a clean Debian 12, start the app, open
    // the settings and the folder dialog, load stories260K, get an answer.
    void guiAnswersAfterAptInstallInCleanDebian()
    {
        // scripts/test runs this on the Release tree's package only (what users install): one
        // clean root per run is enough, and CTest's RESOURCE_LOCK keeps two from racing on its cache.
        if (qEnvironmentVariable("PARLO_CLEAN_ROOT_INSTALL") != u"1")
            QSKIP("the clean-root install runs on the Release tree's package (test_deb_install_release)");
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        const QString script = QStringLiteral(PARLO_PACKAGING_TEST_DIR "/install_in_clean_root.sh");
        const Run install = parlo::test::runProcess(
            QStringLiteral("/bin/bash"), {script, m_deb, model},
            QProcessEnvironment::systemEnvironment(), 2400000);
        qInfo("%s", qPrintable(install.out + install.err));
        if (install.exitCode == 77)
            QSKIP(qPrintable(install.out.section("SKIP: ", 1).trimmed()));
        QVERIFY2(install.exitCode == 0, "the installed package did not start and answer (log above)");
        QVERIFY(install.out.contains("PASS: the installed Parlo answered"));
    }
};

QTEST_GUILESS_MAIN(TestDebInstall)
#include "test_deb_install.moc"
