// What parlo-cli prints is safe to print: control characters from models and history files are
// escaped on a terminal (a pseudo-terminal here) and passed through into pipes; a FIFO named as a
// model or history file is refused instead of hanging; sampling options out of range exit 2.
#include "gguf_rewrite.h"
#include "process_run.h"
#include "storage/history_store.h"
#include "test_data.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace parlo::storage;

namespace {

using Run = parlo::test::ProcessRun;

// PARLO_CLI_UNDER_TEST runs these tests against another build (an older one, to see them fail).
QString cliPath()
{
    return qEnvironmentVariable("PARLO_CLI_UNDER_TEST", QStringLiteral(PARLO_CLI_PATH));
}

Run runCli(const QStringList &args, int timeoutMs = 20000)
{
    return parlo::test::runProcess(cliPath(), args, QProcessEnvironment::systemEnvironment(), timeoutMs);
}

// Runs parlo-cli with stdout and stderr on a new pseudo-terminal; returns what the terminal got.
QByteArray runOnTerminal(const QStringList &args, int &exitCode)
{
    exitCode = -1;
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
        return {};
    const QByteArray slaveName = ::ptsname(master);
    const int slave = ::open(slaveName.constData(), O_RDWR | O_NOCTTY);
    if (slave < 0) {
        ::close(master);
        return {};
    }
    QProcess process;
    process.setChildProcessModifier([slave] {
        ::dup2(slave, STDOUT_FILENO);
        ::dup2(slave, STDERR_FILENO);
    });
    process.start(cliPath(), args);
    ::close(slave);
    QByteArray screen;
    ::fcntl(master, F_SETFL, O_NONBLOCK);
    char buffer[4096];
    QElapsedTimer timer;
    timer.start();
    bool finished = false;
    while (timer.elapsed() < 20000) {
        const ssize_t n = ::read(master, buffer, sizeof buffer);
        if (n > 0) {
            screen.append(buffer, n);
            continue;
        }
        if (finished)
            break; // drained after the end (EAGAIN, or EIO once the terminal has no writer)
        finished = process.waitForFinished(20);
    }
    ::close(master);
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished(5000);
        return screen;
    }
    exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return screen;
}

} // namespace

class TestCliOutput : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;
    QString m_fifo;

private slots:
    void initTestCase()
    {
        m_db = m_dir.filePath("h.sqlite");
        HistoryStore store;
        QVERIFY(store.open(m_db).ok());
        // One imported title once set the terminal's window title.
        auto c = store.createConversation({.title = QStringLiteral("\x1b]0;owned\x07Trip \u202eplans")});
        QVERIFY(c.ok());
        QVERIFY(store.addMessage(c->id, 0, Role::User, QStringLiteral("Hi \x1b[2J there")).ok());
        m_fifo = m_dir.filePath("model.gguf");
        QCOMPARE(::mkfifo(QFile::encodeName(m_fifo).constData(), 0600), 0);
    }

    void titlesAreEscapedOnATerminal()
    {
        int exitCode = -1;
        const QByteArray screen = runOnTerminal({"history", "--db", m_db, "list"}, exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY2(!screen.contains('\x1b') && !screen.contains('\x07'), screen.toHex(' ').constData());
        QVERIFY2(screen.contains("\\x1B]0;owned\\x07Trip \\u{202E}plans"), screen.constData());
        // A pipe gets the text as stored, for scripts.
        const Run piped = runCli({"history", "--db", m_db, "list"});
        QCOMPARE(piped.exitCode, 0);
        QVERIFY(piped.outBytes.contains("\x1b]0;owned\x07Trip"));
    }

    void searchSnippetsAreEscapedOnATerminal()
    {
        int exitCode = -1;
        const QByteArray screen = runOnTerminal({"history", "--db", m_db, "search", "there"}, exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY2(!screen.contains('\x1b'), screen.toHex(' ').constData());
        QVERIFY2(screen.contains("\\x1B[2J"), screen.constData());
    }

    void modelNamesAreEscapedOnATerminal()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-Q8_0.gguf");
        const QString hostile = m_dir.filePath("hostile.gguf");
        QVERIFY(parlo::test::rewriteGguf(stories, hostile, [](parlo::gguf::Writer &w) {
            w.setString("general.name", "Story\x1b]0;owned\x07\x1b[31m");
        }));
        int exitCode = -1;
        const QByteArray screen = runOnTerminal({"info", hostile}, exitCode);
        QCOMPARE(exitCode, 0);
        QVERIFY2(!screen.contains('\x1b') && !screen.contains('\x07'), screen.toHex(' ').constData());
        QVERIFY2(screen.contains("Story\\x1B]0;owned\\x07\\x1B[31m"), screen.constData());
    }

    // Opening a FIFO blocks until something writes into it: `info` on one used to hang forever.
    void fifosAreRefusedNotOpened()
    {
        const QString messages = m_dir.filePath("messages.json");
        QFile f(messages);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"([{"role":"user","content":"hi"}])");
        f.close();
        const QList<QStringList> commands{
            {"info", m_fifo},
            {"generate", "--model", m_fifo, "--prompt", "Once"},
            {"chat", "--db", m_dir.filePath("chat.sqlite"), "--model", m_fifo, "Hello"},
            {"tokenize", "--model", m_fifo, "--raw", messages},
            {"template", "--model", m_fifo, "--messages", messages},
            {"template", "--template", m_fifo, "--messages", messages},
            {"history", "--db", m_fifo, "list"},
            {"history", "--db", m_dir.filePath("import.sqlite"), "import", m_fifo},
        };
        for (const QStringList &command : commands) {
            const Run run = runCli(command, 15000);
            QVERIFY2(run.exitCode == 1, qPrintable(command.join(' ') + ": " + run.err));
            QVERIFY2(run.err.contains("named pipe (FIFO)"), qPrintable(command.join(' ') + ": " + run.err));
        }
        const Run folder = runCli({"info", m_dir.path()});
        QCOMPARE(folder.exitCode, 1);
        QVERIFY2(folder.err.contains("is a folder"), qPrintable(folder.err));
    }

    void outOfRangeSamplingIsRefused_data()
    {
        QTest::addColumn<QStringList>("option");
        QTest::addColumn<QString>("named");
        QTest::newRow("temp -1") << QStringList{"--temp", "-1"} << "--temp";
        QTest::newRow("temp nan") << QStringList{"--temp", "nan"} << "--temp";
        QTest::newRow("top-p 2") << QStringList{"--top-p", "2"} << "--top-p";
        QTest::newRow("top-k -3") << QStringList{"--top-k", "-3"} << "--top-k";
        QTest::newRow("top-k 1.5") << QStringList{"--top-k", "1.5"} << "--top-k";
        QTest::newRow("min-p 1.5") << QStringList{"--min-p", "1.5"} << "--min-p";
        QTest::newRow("n -5") << QStringList{"-n", "-5"} << "-n";
        QTest::newRow("repeat-penalty 0") << QStringList{"--repeat-penalty", "0"} << "--repeat-penalty";
        QTest::newRow("presence inf") << QStringList{"--presence-penalty", "inf"} << "--presence-penalty";
        QTest::newRow("penalty-last-n -1") << QStringList{"--penalty-last-n", "-1"} << "--penalty-last-n";
    }

    void outOfRangeSamplingIsRefused()
    {
        QFETCH(QStringList, option);
        QFETCH(QString, named);
        // The values are checked before any model is opened, so no model is needed.
        const QString model = m_dir.filePath("never-opened.gguf");
        for (const QStringList &command : {QStringList{"generate", "--model", model, "--prompt", "Once"} + option,
                                           QStringList{"chat", "--db", m_dir.filePath("range.sqlite"), "--model", model}
                                               + option + QStringList{"Hello"}}) {
            const Run run = runCli(command);
            QVERIFY2(run.exitCode == 2, qPrintable(command.join(' ') + ": " + run.err));
            QVERIFY2(run.err.contains(named + " must be"), qPrintable(run.err));
        }
        QVERIFY(!QFileInfo::exists(m_dir.filePath("range.sqlite")));
    }

    void inRangeSamplingIsAccepted()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-Q8_0.gguf");
        const Run run = runCli({"generate", "--model", stories, "--device", "cpu", "--prompt", "Once", "-n", "4", "--temp",
                                "0", "--top-p", "1", "--top-k", "0", "--min-p", "0", "--repeat-penalty", "1.1"},
                               60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCliOutput)
#include "test_cli_output.moc"
