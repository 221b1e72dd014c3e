// HistoryService: one writer thread, a reader that is never held up by writes, futures back to
// the caller, and a ChatRecorder writing through the service from a worker thread.
#include "storage/chat_recorder.h"
#include "storage/history_service.h"
#include "storage_test_util.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtConcurrent>
#include <QtTest>

using namespace parlo::storage;
using namespace parlo::storage::test;

namespace {

template <typename T> T await(QFuture<T> future)
{
    // Keep the event loop turning, as the GUI would, until the result arrives.
    QElapsedTimer timer;
    timer.start();
    while (!future.isFinished() && timer.elapsed() < 20000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return future.result();
}

} // namespace

class TestStorageService : public QObject
{
    Q_OBJECT

private slots:
    void readsAndWritesRunOffTheCallingThread()
    {
        QTemporaryDir dir;
        HistoryService service;
        auto opened = await(service.open(dir.filePath("h.sqlite")));
        QVERIFY_OK(opened);

        QThread *writerThread = await(service.writeAsync([](HistoryStore &store) {
                                    (void)addSampleConversation(store, "threads");
                                    return StoreResult<QThread *>(QThread::currentThread());
                                })).value();
        QThread *readerThread = await(service.read([](HistoryStore &) { return QThread::currentThread(); }));
        QVERIFY(writerThread != QThread::currentThread());
        QVERIFY(readerThread != QThread::currentThread());
        QVERIFY(readerThread != writerThread);

        auto list = await(service.listConversations());
        QVERIFY_OK(list);
        QCOMPARE(list->size(), 1);
        auto c = await(service.conversation(list->first().id));
        QVERIFY_OK(c);
        QCOMPARE(c->messages.size(), 5);
        auto hits = await(service.search("threads"));
        QVERIFY_OK(hits);
        QVERIFY(!hits->isEmpty());
        // The reader connection refuses writes: there is one writer.
        auto sneaky = await(service.read([](HistoryStore &store) { return store.createConversation(); }));
        QVERIFY(!sneaky.ok());
    }

    // With WAL, a long write transaction does not delay a read.
    void longWriteDoesNotBlockReads()
    {
        QTemporaryDir dir;
        HistoryService service;
        QVERIFY_OK(await(service.open(dir.filePath("h.sqlite"))));
        QVERIFY_OK(await(service.writeAsync([](HistoryStore &store) { return store.createConversation(); })));

        std::atomic<bool> writing{false};
        // Sixty commits spread over 1.5 s on the writer thread, while the reader lists.
        auto held = service.writeAsync([&](HistoryStore &store) -> StoreResult<void> {
            auto c = store.createConversation();
            if (!c)
                return c.error();
            writing = true;
            for (int i = 0; i < 60; ++i) {
                auto m = store.addMessage(c->id, 0, Role::User, QStringLiteral("burst %1").arg(i));
                if (!m)
                    return m.error();
                QThread::msleep(25);
            }
            writing = false;
            return {};
        });
        QTRY_VERIFY_WITH_TIMEOUT(writing.load(), 10000);
        QElapsedTimer timer;
        timer.start();
        auto list = await(service.listConversations());
        const qint64 readMs = timer.elapsed();
        QVERIFY_OK(list);
        QVERIFY2(writing.load(),
                 qPrintable(QString("the read took %1 ms and waited for the writes").arg(readMs)));
        QVERIFY(!held.isFinished());
        QVERIFY_OK(await(held));
    }

    void recorderWritesThroughTheWriterThread()
    {
        QTemporaryDir dir;
        HistoryService service;
        QVERIFY_OK(await(service.open(dir.filePath("h.sqlite"))));
        QSignalSpy changed(&service, &HistoryService::changed);
        // The chat worker: its own thread, streaming pieces into the recorder.
        auto chat = QtConcurrent::run([&service] {
            ChatRecorder recorder(&service);
            recorder.setThrottle(0);
            recorder.startNew({});
            recorder.addUserMessage("What is WAL?");
            const qint64 id = recorder.beginAssistantMessage(sampleGeneration(FinishReason::None));
            for (int i = 0; i < 100; ++i)
                recorder.appendStreamingText(id, QStringLiteral("w%1 ").arg(i));
            recorder.finishMessage(id, sampleGeneration());
            return std::make_pair(recorder.conversation().id, recorder.isPersistent());
        });
        QTRY_VERIFY_WITH_TIMEOUT(chat.isFinished(), 20000);
        const auto [id, persistent] = chat.result();
        QVERIFY(persistent);
        auto saved = await(service.conversation(id));
        QVERIFY_OK(saved);
        QCOMPARE(saved->activePath().size(), 2);
        QVERIFY(saved->activePath()[1]->content.startsWith("w0 w1 "));
        QVERIFY(saved->activePath()[1]->content.endsWith("w99 "));
        QVERIFY(changed.size() >= 3);
    }

    void openNoticesAreSignalled()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        HistoryService service;
        QSignalSpy notices(&service, &HistoryService::notice);
        auto report = await(service.open(path));
        QVERIFY_OK(report);
        QVERIFY(!report->corruptCopyPath.isEmpty());
        QTRY_COMPARE(notices.size(), 1);
        QVERIFY(notices.first().first().toString().contains("damaged"));
    }
};

QTEST_GUILESS_MAIN(TestStorageService)
#include "test_storage_service.moc"
