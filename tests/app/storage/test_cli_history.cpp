// parlo-cli history, driven as a user runs it: list, show, search, export, import; read commands
// that change nothing (not a foreign file, not a missing path, not a read-only folder, not an
// answer another process is writing); a damaged database set aside, with a message, only by a
// write command.
#include "storage/history_export.h"
#include "storage/writer_token.h"
#include "process_run.h"
#include "storage_test_util.h"

#include <QDir>
#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace parlo::storage;
using namespace parlo::storage::test;

namespace {

using Run = parlo::test::ProcessRun;

// PARLO_CLI_UNDER_TEST runs these tests against another build (an older one, to see them fail).
QString cliPath()
{
    return qEnvironmentVariable("PARLO_CLI_UNDER_TEST", QStringLiteral(PARLO_CLI_PATH));
}

Run runCli(const QStringList &args) { return parlo::test::runProcess(cliPath(), QStringList{"history"} + args); }

// Everything in a folder, name → (bytes, modification time), to prove a command changed nothing.
QMap<QString, QPair<QByteArray, QDateTime>> snapshot(const QString &folder)
{
    QMap<QString, QPair<QByteArray, QDateTime>> files;
    const QFileInfoList entries = QDir(folder).entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo &entry : entries)
        files.insert(entry.fileName(), {entry.isFile() ? fileBytes(entry.filePath()) : QByteArray("<dir>"),
                                        entry.lastModified()});
    return files;
}

// A database whose last writer closed it cleanly (no -wal left), holding one answer that a
// crashed writer left streaming.
QString cleanCopyWithCutAnswer(const QString &folder, const QString &source, qint64 &messageId)
{
    QDir().mkpath(folder);
    const QString path = QDir(folder).filePath("h.sqlite");
    {
        HistoryStore store;
        if (!store.open(path).ok())
            return {};
        HistoryStore from;
        if (!from.open(source).ok())
            return {};
        auto all = from.allConversations();
        if (!all.ok() || !store.importConversations(*all).ok())
            return {};
        auto c = store.createConversation({});
        auto user = store.addMessage(c->id, 0, Role::User, "Tell me about otters.");
        auto answer = store.beginAssistantMessage(c->id, user->id, sampleGeneration(FinishReason::None));
        messageId = answer->id;
        if (!store.updateStreamingContent(messageId, "Otters hold hands while").ok())
            return {};
    }
    // The writer is gone (its store closed without finishing): the next writer would recover it.
    QDir(WriterToken::folderFor(path)).removeRecursively();
    return path;
}

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

    void damagedDatabaseIsSetAsideOnlyByAWriteCommand()
    {
        const QString folder = m_dir.filePath("damaged");
        QVERIFY(QDir().mkpath(folder));
        const QString path = QDir(folder).filePath("broken.sqlite");
        QVERIFY(QFile::copy(m_db, path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.write(QByteArray(64, '\x5a'));
        f.close();
        const auto before = snapshot(folder);

        // Reading says what is wrong and leaves the file where it is.
        for (const QStringList &read : {QStringList{"list"}, QStringList{"show", "1"}, QStringList{"search", "owls"},
                                        QStringList{"export", "--all"}}) {
            const Run run = runCli(QStringList{"--db", path} + read);
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("not a Parlo history file") && run.err.contains("left as it is"),
                     qPrintable(run.err));
            QCOMPARE(snapshot(folder), before);
        }

        // A write command sets it aside, says so, and starts a new history.
        const QString json = m_dir.filePath("owls.json");
        QCOMPARE(runCli({"--db", m_db, "export", QString::number(m_owls), "--format", "json", "--out", json}).exitCode, 0);
        const Run run = runCli({"--db", path, "import", json});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("parlo-cli: The history file") && run.err.contains("was damaged") &&
                     run.err.contains(".corrupt-"),
                 qPrintable(run.err));
        QVERIFY(run.out.contains("Imported 1 conversation(s)"));
        const QStringList aside = QDir(folder).entryList({"broken.sqlite.corrupt-*"});
        QCOMPARE(aside.size(), 1);
    }

    // `history --db notes.txt list` once renamed the user's notes to notes.txt.corrupt-<time>.
    void foreignFileIsLeftAlone()
    {
        const QString folder = m_dir.filePath("notes");
        QVERIFY(QDir().mkpath(folder));
        const QString notes = QDir(folder).filePath("notes.txt");
        QFile f(notes);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("Buy milk.\nCall Ana about the trip to Porto, and book the train.\n").repeated(4));
        f.close();
        const QString empty = QDir(folder).filePath("other.sqlite");
        QCOMPARE(rawExec(empty, "CREATE TABLE t(x)"), QString()); // SQLite, but not ours
        const auto before = snapshot(folder);
        for (const QString &file : {notes, empty}) {
            const Run run = runCli({"--db", file, "list"});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("is not a Parlo history file"), qPrintable(run.err));
            QVERIFY(run.out.isEmpty());
            QCOMPARE(snapshot(folder), before);
        }
    }

    void missingPathCreatesNothing()
    {
        const QString folder = m_dir.filePath("nothing-here");
        const QString path = folder + "/deeper/history.sqlite";
        for (const QStringList &read : {QStringList{"list"}, QStringList{"search", "owls"},
                                        QStringList{"export", "--all"}}) {
            const Run run = runCli(QStringList{"--db", path} + read);
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("There is no history file at"), qPrintable(run.err));
            QVERIFY(!QFileInfo::exists(folder));
        }
    }

    // Reading touches neither the file nor an answer left unfinished: no upgrade, no recovery,
    // no marker files. (SQLite may add its -wal/-shm companions where it can; readOnlyFolder
    // covers the folder where it cannot.)
    void readingChangesNothing()
    {
        const QString folder = m_dir.filePath("untouched");
        qint64 cut = 0;
        const QString path = cleanCopyWithCutAnswer(folder, m_db, cut);
        QVERIFY(!path.isEmpty());
        QVERIFY(!QFileInfo::exists(path + "-wal"));
        const QByteArray bytes = fileBytes(path);
        const QDateTime modified = QFileInfo(path).lastModified();
        for (const QStringList &read : {QStringList{"list"}, QStringList{"show", "1"}, QStringList{"search", "otters"},
                                        QStringList{"export", "--all", "--format", "json"}}) {
            const Run run = runCli(QStringList{"--db", path} + read);
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            QVERIFY2(run.err.isEmpty(), qPrintable(run.err)); // no "answers were cut off" notice
        }
        QCOMPARE(fileBytes(path), bytes);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
        QVERIFY(!QFileInfo::exists(path + ".needs-check"));
        QVERIFY(!QFileInfo::exists(WriterToken::folderFor(path)));
        QCOMPARE(rawInt(path, QStringLiteral("SELECT state = 'streaming' FROM messages WHERE id = %1").arg(cut)), qint64(1));
    }

    // A history the user may read but not write: listed and exported all the same, and nothing
    // is created beside it (not even SQLite's -wal/-shm). Root ignores file modes, so as root the
    // folder is made read-only with a read-only bind mount in a private mount namespace.
    void readOnlyFolderCanBeListedAndExported()
    {
        const QString folder = m_dir.filePath("read-only");
        qint64 cut = 0;
        const QString path = cleanCopyWithCutAnswer(folder, m_db, cut);
        QVERIFY(!path.isEmpty());
        const auto before = snapshot(folder);
        const bool root = ::geteuid() == 0;
        auto runReadOnly = [&](const QStringList &args) {
            QStringList full = QStringList{"history", "--db", path} + args;
            if (!root)
                return parlo::test::runProcess(cliPath(), full);
            const QString script = QStringLiteral(
                "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && shift && exec \"$@\"");
            return parlo::test::runProcess("unshare", QStringList{"-m", "--propagation", "private", "sh", "-c", script,
                                                                   "sh", folder, cliPath()} + full);
        };
        if (root) {
            const Run probe = runReadOnly({"--help"});
            if (probe.exitCode != 0)
                QSKIP(qPrintable("cannot make a read-only bind mount here: " + probe.err));
        } else {
            QVERIFY(QFile::setPermissions(path, QFile::ReadOwner));
            QVERIFY(QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner));
        }
        const Run list = runReadOnly({"list"});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QVERIFY2(list.out.contains("Tell me about owls.") && list.out.contains("Tell me about otters."),
                 qPrintable(list.out));
        const Run json = runReadOnly({"export", "--all", "--format", "json"});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        auto parsed = parseExportJson(json.outBytes);
        QVERIFY_OK(parsed);
        QCOMPARE(parsed->size(), 3);
        const Run show = runReadOnly({"show", QString::number(m_owls)});
        QVERIFY2(show.exitCode == 0, qPrintable(show.err));
        QVERIFY(show.out.startsWith("# Tell me about owls."));
        if (!root)
            QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(snapshot(folder), before);
    }

    // An older schema is read through an upgraded copy in memory; the file stays at its version.
    void olderSchemaIsReadWithoutUpgrading()
    {
        const QString path = m_dir.filePath("v2.sqlite");
        QVERIFY(buildFixture("history-v2.sql", path));
        const QByteArray bytes = fileBytes(path);
        const Run list = runCli({"--db", path, "list"});
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        QVERIFY(list.out.contains("Lisbon trip in May"));
        const Run search = runCli({"--db", path, "search", "sardines"});
        QVERIFY2(search.exitCode == 0 && search.out.contains("sardines"), qPrintable(search.err + search.out));
        QCOMPARE(rawInt(path, "PRAGMA user_version"), qint64(2));
        QCOMPARE(fileBytes(path), bytes);
    }

    // Titles and messages are data: `show` escapes control characters even into a pipe (but
    // keeps newlines and tabs), and a NUL no longer ends the output.
    void showEscapesControlsAndPrintsPastNul()
    {
        const QString path = m_dir.filePath("hostile.sqlite");
        qint64 id = 0;
        {
            HistoryStore store;
            QVERIFY_OK(store.open(path));
            auto c = store.createConversation({.title = QStringLiteral("\x1b]0;pwned\x07Title")});
            QVERIFY_OK(c);
            id = c->id;
            QVERIFY_OK(store.addMessage(id, 0, Role::User,
                                        QStringLiteral("before") + QChar(0) + QStringLiteral("after\x1b[31m red\tand\nnext \u009b2J")));
        }
        const Run run = runCli({"--db", path, "show", QString::number(id)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(!run.outBytes.contains('\x1b') && !run.outBytes.contains('\x07') && !run.outBytes.contains('\0'),
                 run.outBytes.constData());
        QVERIFY2(run.out.contains("\\x1B]0;pwned\\x07Title"), qPrintable(run.out));
        QVERIFY2(run.out.contains("before\\x00after\\x1B[31m red\tand\nnext \\u{9B}2J"), qPrintable(run.out));
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
