// parlo-cli history, driven as a user runs it: list, show, search, export, import, and a
// damaged database set aside with a message on stderr.
#include "storage/history_export.h"
#include "process_run.h"
#include "storage_test_util.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

namespace {

using Run = parlo::test::ProcessRun;

Run runCli(const QStringList &args) { return parlo::test::runProcess(PARLO_CLI_PATH, QStringList{"history"} + args); }

} // namespace

class TestCliHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_owls = 0;
    qint64 m_rivers = 0;

private slots:
    void initTestCase()
    {
        m_db = m_dir.filePath("h.sqlite");
        HistoryStore store;
        QVERIFY_OK(store.open(m_db));
        m_owls = addSampleConversation(store, "owls");
        m_rivers = addSampleConversation(store, "rivers");
        QVERIFY_OK(store.setPinned(m_owls, true));
    }

    void listsPinnedFirst()
    {
        const Run run = runCli({"--db", m_db, "list"});
        QCOMPARE(run.exitCode, 0);
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].contains("TITLE"));
        QVERIFY2(lines[1].contains("[pinned] Tell me about owls."), qPrintable(run.out));
        QVERIFY(lines[1].trimmed().startsWith(QString::number(m_owls)));
        QVERIFY(lines[2].contains("Tell me about rivers."));
        QVERIFY(lines[2].contains("    5  "));
    }

    void showsTheConversation()
    {
        const Run run = runCli({"--db", m_db, "show", QString::number(m_rivers)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith("# Tell me about rivers."));
        QVERIFY(run.out.contains("The details of rivers are many."));
        const Run missing = runCli({"--db", m_db, "show", "999"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("no conversation with id 999"), qPrintable(missing.err));
        const Run bad = runCli({"--db", m_db, "show", "abc"});
        QCOMPARE(bad.exitCode, 2);
    }

    void searches()
    {
        const Run run = runCli({"--db", m_db, "search", "better", "answer"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("**better** **answer** about owls"), qPrintable(run.out));
        QVERIFY(run.out.contains("**better** **answer** about rivers"));
        const Run none = runCli({"--db", m_db, "search", "\"NEAR(("});
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.out.contains("No matches"));
    }

    void exportsAndImportsRoundTrip()
    {
        const QString json = m_dir.filePath("all.json");
        const Run out = runCli({"--db", m_db, "export", "--all", "--format", "json", "--out", json});
        QCOMPARE(out.exitCode, 0);
        QVERIFY(out.err.contains("Wrote"));
        const QString copy = m_dir.filePath("copy.sqlite");
        const Run in = runCli({"--db", copy, "import", json});
        QCOMPARE(in.exitCode, 0);
        QVERIFY2(in.out.contains("Imported 2 conversation(s); 0 already present."), qPrintable(in.out));
        const Run again = runCli({"--db", copy, "import", json});
        QVERIFY(again.out.contains("Imported 0 conversation(s); 2 already present."));
        const Run back = runCli({"--db", copy, "export", "--all", "--format", "json"});
        QCOMPARE(back.exitCode, 0);
        QCOMPARE(back.out.toUtf8(), fileBytes(json));

        const Run md = runCli({"--db", m_db, "export", QString::number(m_owls), "--format", "md"});
        QCOMPARE(md.exitCode, 0);
        QVERIFY(md.out.startsWith("# Tell me about owls."));
        QCOMPARE(runCli({"--db", m_db, "export", "--format", "pdf", "--all"}).exitCode, 2);
        QCOMPARE(runCli({"--db", m_db, "export", "--format", "md"}).exitCode, 2);

        const QString junk = m_dir.filePath("junk.json");
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"format\":\"something-else\"}");
        f.close();
        const Run refused = runCli({"--db", copy, "import", junk});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("not a Parlo history export"), qPrintable(refused.err));
    }

    void damagedDatabaseIsSetAsideWithAMessage()
    {
        const QString path = m_dir.filePath("broken.sqlite");
        QVERIFY(QFile::copy(m_db, path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.write(QByteArray(64, '\x5a'));
        f.close();
        const Run run = runCli({"--db", path, "list"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("parlo-cli: The history file") && run.err.contains("was damaged") &&
                     run.err.contains(".corrupt-"),
                 qPrintable(run.err));
        QVERIFY(run.out.contains("No conversations yet."));
        const QStringList aside = QDir(m_dir.path()).entryList({"broken.sqlite.corrupt-*"});
        QCOMPARE(aside.size(), 1);
    }

    void newerDatabaseIsRefused()
    {
        const QString path = m_dir.filePath("future.sqlite");
        QVERIFY(QFile::copy(m_db, path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(rawExec(path, "PRAGMA user_version = 42"), QString());
        const QByteArray before = fileBytes(path);
        const Run run = runCli({"--db", path, "list"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("newer version of Parlo"), qPrintable(run.err));
        QCOMPARE(fileBytes(path), before);
    }

    void usageErrors()
    {
        QCOMPARE(runCli({"--db", m_db}).exitCode, 2);
        QCOMPARE(runCli({"--db", m_db, "frobnicate"}).exitCode, 2);
        const Run help = runCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("export (ID|--all)"));
    }
};

QTEST_GUILESS_MAIN(TestCliHistory)
#include "test_cli_history.moc"
