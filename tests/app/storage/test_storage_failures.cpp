// Bad input and bad places: damaged files are set aside, read-only locations and full disks
// give clear errors while the conversation carries on in memory.
#include "storage/chat_recorder.h"
#include "storage_test_util.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

namespace {

// A closed database of a few hundred KiB, with everything checkpointed into the main file.
QString makeDatabase(const QString &path)
{
    HistoryStore store;
    if (!store.open(path))
        return {};
    for (int i = 0; i < 40; ++i)
        addSampleConversation(store, QString("topic %1 ").arg(i) + QString(400, QChar('a' + i % 26)));
    store.close();
    return path;
}

void overwrite(const QString &path, qint64 offset, qint64 length, quint32 seed)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QRandomGenerator rng(seed);
    QByteArray junk(length, '\0');
    for (char &c : junk)
        c = char(rng.bounded(256));
    QVERIFY(file.seek(offset));
    QCOMPARE(file.write(junk), length);
}

} // namespace

class TestStorageFailures : public QObject
{
    Q_OBJECT

    void expectSetAside(const QString &path)
    {
        const QByteArray damaged = fileBytes(path);
        HistoryStore store;
        auto report = store.open(path);
        QVERIFY_OK(report);
        QVERIFY(!report->corruptCopyPath.isEmpty());
        QVERIFY2(QFileInfo(report->corruptCopyPath)
                     .fileName()
                     .startsWith(QFileInfo(path).fileName() + ".corrupt-"),
                 qPrintable(report->corruptCopyPath));
        QCOMPARE(QFileInfo(report->corruptCopyPath).absolutePath(), QFileInfo(path).absolutePath());
        QCOMPARE(fileBytes(report->corruptCopyPath), damaged); // kept as it was, for rescue tools
        QCOMPARE(report->notices.size(), 1);
        QVERIFY2(report->notices.first().contains("was damaged") &&
                     report->notices.first().contains(QDir::toNativeSeparators(report->corruptCopyPath)),
                 qPrintable(report->notices.first()));
        // A fresh, working history took its place.
        QCOMPARE(store.conversationCount().value(), qint64(0));
        QVERIFY(addSampleConversation(store, "a new start") > 0);
        QCOMPARE(store.search("start").value().size(), 5); // four messages and the title
    }

private slots:
    void truncatedFileIsSetAside()
    {
        QTemporaryDir dir;
        const QString path = makeDatabase(dir.filePath("h.sqlite"));
        const qint64 size = QFileInfo(path).size();
        QVERIFY2(size > 64 * 1024, "the database should span many pages");
        QVERIFY(QFile::resize(path, size / 2));
        expectSetAside(path);
    }

    void garbledHeaderIsSetAside()
    {
        QTemporaryDir dir;
        const QString path = makeDatabase(dir.filePath("h.sqlite"));
        overwrite(path, 0, 100, 1);
        expectSetAside(path);
    }

    void garbledPagesAreSetAside()
    {
        QTemporaryDir dir;
        const QString path = makeDatabase(dir.filePath("h.sqlite"));
        // Keep the header and schema page; scribble over pages in the middle.
        overwrite(path, QFileInfo(path).size() / 2, 3 * 4096, 2);
        expectSetAside(path);
    }

    // Large files skip the full check at open: the header still catches a cut-off file…
    void truncationIsCaughtByTheHeaderAlone()
    {
        QTemporaryDir dir;
        const QString path = makeDatabase(dir.filePath("h.sqlite"));
        QVERIFY(QFile::resize(path, QFileInfo(path).size() - 4096));
        HistoryStore store;
        OpenOptions cheap;
        cheap.fullCheckBelowBytes = 0;
        auto report = store.open(path, cheap);
        QVERIFY_OK(report);
        QVERIFY2(report->notices.join(' ').contains("shorter than its header says"),
                 qPrintable(report->notices.join(' ')));
    }

    // … and damage met later is reported when read, then set aside at the next open.
    void damageMetInUseIsSetAsideAtNextOpen()
    {
        QTemporaryDir dir;
        const QString path = makeDatabase(dir.filePath("h.sqlite"));
        const qint64 page =
            rawInt(path, "SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' "
                         "ORDER BY pageno LIMIT 1 OFFSET 5");
        if (page <= 0)
            QSKIP("this SQLite has no dbstat table to find a message page");
        overwrite(path, (page - 1) * 4096, 4096, 4);
        HistoryStore store;
        OpenOptions cheap;
        cheap.fullCheckBelowBytes = 0;
        auto report = store.open(path, cheap);
        QVERIFY_OK(report);
        QVERIFY(report->corruptCopyPath.isEmpty()); // not seen yet
        auto all = store.allConversations();
        QVERIFY(!all.ok());
        QCOMPARE(all.error().kind, ErrorKind::Corrupt);
        QVERIFY2(all.error().message.contains("is damaged") && all.error().message.contains("Reopen Parlo"),
                 qPrintable(all.error().message));
        QVERIFY(QFileInfo::exists(path + ".needs-check"));
        store.close();

        auto again = store.open(path, cheap);
        QVERIFY_OK(again);
        QVERIFY(!again->corruptCopyPath.isEmpty());
        QVERIFY(!QFileInfo::exists(path + ".needs-check"));
        QCOMPARE(store.conversationCount().value(), qint64(0));
    }

    void tinyFilesNeverCrash()
    {
        QTemporaryDir dir;
        for (const QByteArray &content :
             {QByteArray("x"), QByteArray(512, '\xff'), QByteArray("SQLite format 3")}) {
            const QString path = dir.filePath("tiny.sqlite");
            QFile::remove(path);
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
            f.close();
            expectSetAside(path);
        }
        // An empty file is an empty database, not damage.
        const QString empty = dir.filePath("empty.sqlite");
        QFile f(empty);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        HistoryStore store;
        auto report = store.open(empty);
        QVERIFY_OK(report);
        QVERIFY(report->corruptCopyPath.isEmpty());
    }

    void corruptWithoutRecoveryIsAnError()
    {
        QTemporaryDir dir;
        const QString path = makeDatabase(dir.filePath("h.sqlite"));
        overwrite(path, 0, 100, 3);
        const QByteArray before = fileBytes(path);
        HistoryStore store;
        OpenOptions options;
        options.recoverCorrupt = false;
        auto report = store.open(path, options);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().kind, ErrorKind::Corrupt);
        QCOMPARE(fileBytes(path), before);
    }

    void readOnlyLocationIsAClearErrorAndMemoryCarriesOn()
    {
        QTemporaryDir dir;
        QString folder = dir.filePath("locked");
        QVERIFY(QDir().mkpath(folder));
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::ExeOwner);
        QFile probe(folder + "/probe");
        if (probe.open(QIODevice::WriteOnly)) { // root ignores permissions: use a folder no one can write
            probe.close();
            probe.remove();
            folder = "/sys";
        }
        const QString path = folder + "/history.sqlite";
        HistoryStore store;
        auto report = store.open(path);
        QFile::setPermissions(dir.filePath("locked"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().kind, ErrorKind::ReadOnly);
        QVERIFY2(report.error().message.contains("Cannot create the history file " +
                                                 QDir::toNativeSeparators(path)) &&
                     report.error().message.contains("write to it"),
                 qPrintable(report.error().message));

        // The chat goes on without a store.
        QStringList reported;
        ChatRecorder recorder(nullptr, report.error().message);
        QVERIFY(!recorder.isPersistent());
        QCOMPARE(recorder.storageError()->kind, ErrorKind::NotOpen);
        recorder.startNew({});
        const qint64 u = recorder.addUserMessage("Hello from memory");
        QVERIFY(u < 0);
        const qint64 a = recorder.beginAssistantMessage(sampleGeneration(FinishReason::None));
        recorder.appendStreamingText(a, u"Hi ");
        recorder.appendStreamingText(a, u"there");
        recorder.finishMessage(a, sampleGeneration());
        const auto path2 = recorder.conversation().activePath();
        QCOMPARE(path2.size(), 2);
        QCOMPARE(path2[1]->content, QString("Hi there"));
        QCOMPARE(recorder.conversation().title, QString("Hello from memory"));
        QCOMPARE(recorder.writesIssued(), 0);
    }

    void readOnlyFileIsAClearError()
    {
        QTemporaryDir dir;
        const QString path = makeDatabase(dir.filePath("h.sqlite"));
        QFile::setPermissions(path, QFile::ReadOwner);
        QFile probe(path);
        if (probe.open(QIODevice::ReadWrite)) {
            QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
            QSKIP("running as root: file permissions do not stop writes (the read-only folder test covers "
                  "this)");
        }
        HistoryStore store;
        auto report = store.open(path);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().kind, ErrorKind::ReadOnly);
        QVERIFY2(report.error().message.contains("cannot be written"), qPrintable(report.error().message));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    }

    // SQLITE_FULL, forced with a page cap: the error names the problem, the chat continues in
    // memory, and what was saved before stays.
    void fullDiskKeepsTheConversationInMemory()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("h.sqlite");
        HistoryStore store;
        QVERIFY_OK(store.open(path));
        DirectStoreAccess access(store);
        ChatRecorder recorder(&access);
        QList<StoreError> failures;
        recorder.setStorageErrorHandler([&](const StoreError &e) { failures.append(e); });
        recorder.setThrottle(0); // write every piece
        recorder.startNew({});
        const qint64 u = recorder.addUserMessage("Write me a long story.");
        QVERIFY(u > 0);
        const qint64 a = recorder.beginAssistantMessage(sampleGeneration(FinishReason::None));
        QVERIFY(a > 0);
        recorder.appendStreamingText(a, u"Once upon a time");
        QVERIFY(recorder.isPersistent());

        QVERIFY_OK(store.setPageLimit(rawInt(path, "PRAGMA page_count") + 1));
        const QString chunk(4000, QChar('z'));
        for (int i = 0; i < 50; ++i)
            recorder.appendStreamingText(a, chunk);
        QVERIFY(!recorder.isPersistent());
        QCOMPARE(failures.size(), 1); // reported once
        QCOMPARE(failures.first().kind, ErrorKind::DiskFull);
        QVERIFY2(failures.first().message.contains("is full") &&
                     failures.first().message.contains("in memory"),
                 qPrintable(failures.first().message));

        recorder.finishMessage(a, sampleGeneration());
        const qint64 u2 = recorder.addUserMessage("Go on.");
        QVERIFY(u2 < 0); // memory only now
        const qint64 a2 = recorder.beginAssistantMessage(sampleGeneration(FinishReason::None));
        recorder.appendStreamingText(a2, u"And then…");
        recorder.finishMessage(a2, sampleGeneration());
        const auto shown = recorder.conversation().activePath();
        QCOMPARE(shown.size(), 4);
        QCOMPARE(shown[1]->content.size(), 16 + 50 * 4000);
        QCOMPARE(shown[3]->content, QString::fromUtf8("And then…"));
        QCOMPARE(failures.size(), 1);

        // On disk: the question and the beginning of the answer survived.
        store.close();
        HistoryStore reopened;
        auto report = reopened.open(path);
        QVERIFY_OK(report);
        auto saved = reopened.conversation(recorder.conversation().id);
        QVERIFY_OK(saved);
        QCOMPARE(saved->messages.size(), 2);
        QVERIFY(saved->messages[1].content.startsWith("Once upon a time"));
    }

    void storeErrorsDescribeTheProblem()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY_OK(store.open(dir.filePath("h.sqlite")));
        auto c = store.createConversation();
        QVERIFY_OK(store.setPageLimit(rawInt(store.path(), "PRAGMA page_count")));
        auto big = store.addMessage(c->id, 0, Role::User, QString(100000, QChar('q')));
        QVERIFY(!big.ok());
        QCOMPARE(big.error().kind, ErrorKind::DiskFull);
        QVERIFY2(big.error().message.contains("saving the message"), qPrintable(big.error().message));
        QVERIFY_OK(store.setPageLimit(0));
        QVERIFY_OK(store.addMessage(c->id, 0, Role::User, QString(100000, QChar('q'))));
        HistoryStore closed;
        QCOMPARE(closed.listConversations().error().kind, ErrorKind::NotOpen);
    }
};

QTEST_GUILESS_MAIN(TestStorageFailures)
#include "test_storage_failures.moc"
