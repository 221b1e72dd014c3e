// QML modules are loaded by name at run time, so no tool finds them in the binaries: a module the
// packages do not depend on is found only when the installed app fails to start. This test
// keeps packaging/qml-modules.txt complete (every `import` in ui/qml, the style main.cpp sets, and
// what their qmldir files pull in), true (each Debian package named ships its module), and
// wired (the .deb's Depends and the .rpm's Requires name every package in it).
#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

namespace {

struct Packages
{
    QString deb;
    QString rpm;
};

QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// packaging/qml-modules.txt: "<module> <Debian package> <Fedora package>" rows, # comments.
QMap<QString, Packages> moduleTable()
{
    QMap<QString, Packages> table;
    const QStringList lines = readAll(QStringLiteral(PARLO_SOURCE_DIR "/packaging/qml-modules.txt")).split('\n');
    for (const QString &line : lines) {
        const QStringList fields = line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
        if (fields.size() >= 3 && !fields.first().startsWith('#'))
            table.insert(fields[0], {fields[1], fields[2]});
    }
    return table;
}

// Module URI → where its qmldir is, under Qt's QML import path.
QString qmldirOf(const QString &module)
{
    return QDir(QLibraryInfo::path(QLibraryInfo::QmlImportsPath))
        .filePath(QString(module).replace('.', '/') + QStringLiteral("/qmldir"));
}

QString cpackValue(const QString &key)
{
    const QRegularExpression re(QStringLiteral("^set\\(%1 \"([^\"]*)\"\\)$").arg(key),
                                QRegularExpression::MultilineOption);
    return re.match(readAll(QStringLiteral(PARLO_CPACK_CONFIG))).captured(1);
}

QSet<QString> listNames(const QString &list)
{
    QSet<QString> names;
    for (const QString &entry : list.split(',', Qt::SkipEmptyParts))
        names.insert(entry.trimmed().section(' ', 0, 0));
    return names;
}

} // namespace

class TestQmlDependencies : public QObject
{
    Q_OBJECT

    QMap<QString, Packages> m_table;

private slots:
    void initTestCase()
    {
        m_table = moduleTable();
        QVERIFY2(m_table.size() >= 5, "packaging/qml-modules.txt is missing or empty");
    }

    void everyImportIsListed()
    {
        QStringList needed;
        const QDir qml(QStringLiteral(PARLO_SOURCE_DIR "/ui/qml"));
        const QRegularExpression import(QStringLiteral("^\\s*import\\s+([A-Za-z][A-Za-z0-9_.]*)"),
                                        QRegularExpression::MultilineOption);
        const QStringList files = qml.entryList({QStringLiteral("*.qml")}, QDir::Files);
        QVERIFY(!files.isEmpty());
        for (const QString &file : files) {
            auto it = import.globalMatch(readAll(qml.filePath(file)));
            while (it.hasNext()) {
                const QString module = it.next().captured(1);
                if (module != QLatin1String("Parlo")) // our own module, linked into the binary
                    needed << QStringLiteral("%1 (%2)").arg(module, file);
            }
        }
        // The Quick Controls style main.cpp picks is a module of its own.
        const QRegularExpression style(QStringLiteral("QQuickStyle::setStyle\\(\"([A-Za-z]+)\"\\)"));
        const QString mainCpp = readAll(QStringLiteral(PARLO_SOURCE_DIR "/app/main.cpp"));
        auto styles = style.globalMatch(mainCpp);
        QVERIFY2(styles.hasNext(), "app/main.cpp sets no Quick Controls style; update this test");
        while (styles.hasNext())
            needed << QStringLiteral("QtQuick.Controls.%1 (app/main.cpp)").arg(styles.next().captured(1));

        QStringList missing;
        for (const QString &entry : needed)
            if (!m_table.contains(entry.section(' ', 0, 0)))
                missing << entry;
        QVERIFY2(missing.isEmpty(),
                 qPrintable("not in packaging/qml-modules.txt, so no package depends on them: " + missing.join(", ")));
    }

    // What Qt itself loads next: each module's qmldir `depends` and `import` lines.
    void whatTheirQmldirsPullInIsListed()
    {
        if (!QFile::exists(qmldirOf(QStringLiteral("QtQuick"))))
            QSKIP("Qt's QML modules are not installed where QLibraryInfo says");
        QStringList missing;
        for (auto it = m_table.cbegin(); it != m_table.cend(); ++it) {
            const QString qmldir = readAll(qmldirOf(it.key()));
            for (const QString &line : qmldir.split('\n')) {
                const QStringList words = line.simplified().split(' ');
                if (words.size() >= 2 && (words[0] == QLatin1String("depends") || words[0] == QLatin1String("import"))
                    && !m_table.contains(words[1]))
                    missing << QStringLiteral("%1 (needed by %2)").arg(words[1], it.key());
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable("not in packaging/qml-modules.txt: " + missing.join(", ")));
    }

    // Each module is really shipped by the Debian package the table names (a module with no
    // qmldir of its own, like QtQml.Models, comes with the module above it).
    void debianPackagesShipTheirModules()
    {
        if (QStringLiteral(PARLO_DPKG_QUERY).isEmpty() || QStringLiteral(PARLO_DPKG_QUERY).endsWith("NOTFOUND"))
            QSKIP("dpkg-query is missing: not a Debian system");
        if (!QFile::exists(qmldirOf(QStringLiteral("QtQuick"))))
            QSKIP("Qt's QML modules are not installed where QLibraryInfo says");
        QStringList wrong;
        for (auto it = m_table.cbegin(); it != m_table.cend(); ++it) {
            QString module = it.key();
            while (!QFile::exists(qmldirOf(module)) && module.contains('.'))
                module = module.section('.', 0, -2);
            const QString path = qmldirOf(module);
            if (!QFile::exists(path)) {
                wrong << QStringLiteral("%1: not installed here (apt-get install %2, or run scripts/setup)")
                             .arg(it.key(), it->deb);
                continue;
            }
            QProcess query;
            query.start(QStringLiteral(PARLO_DPKG_QUERY), {QStringLiteral("-S"), path});
            QVERIFY(query.waitForFinished(60000));
            const QString owner = QString::fromUtf8(query.readAllStandardOutput()).section(':', 0, 0).trimmed();
            if (owner != it->deb)
                wrong << QStringLiteral("%1: shipped by %2, the table says %3").arg(it.key(), owner, it->deb);
        }
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join("; ")));
    }

    void packagesDependOnEveryModule()
    {
        const QSet<QString> depends = listNames(cpackValue(QStringLiteral("CPACK_DEBIAN_PACKAGE_DEPENDS")));
        QVERIFY2(!depends.isEmpty(), "no CPACK_DEBIAN_PACKAGE_DEPENDS in " PARLO_CPACK_CONFIG);
        const QString rpmList = cpackValue(QStringLiteral("CPACK_RPM_PACKAGE_REQUIRES"));
        const QSet<QString> requires_ = listNames(rpmList);
        QStringList missing;
        for (auto it = m_table.cbegin(); it != m_table.cend(); ++it) {
            if (!depends.contains(it->deb))
                missing << QStringLiteral(".deb Depends lacks %1 (%2)").arg(it->deb, it.key());
            // CPACK_RPM_* is set only where rpmbuild was found at configure time.
            if (!rpmList.isEmpty() && !requires_.contains(it->rpm))
                missing << QStringLiteral(".rpm Requires lacks %1 (%2)").arg(it->rpm, it.key());
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join("; ")));
    }
};

QTEST_GUILESS_MAIN(TestQmlDependencies)
#include "test_qml_dependencies.moc"
