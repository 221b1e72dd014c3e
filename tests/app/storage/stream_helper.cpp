// Test helper: streams an endless answer into a history database through ChatRecorder, as the
// chat worker will, printing each time a write reaches the database (and "failed …" if a write
// is refused). test_storage_streaming opens the database beside it while it writes, and kills
// it with SIGKILL mid-answer.
#include "storage/chat_recorder.h"
#include "storage/history_store.h"

#include <QCoreApplication>
#include <QThread>
#include <cstdio>

using namespace parlo::storage;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: storage_stream_helper DB\n");
        return 2;
    }
    HistoryStore store;
    auto opened = store.open(QString::fromLocal8Bit(argv[1]));
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }
    DirectStoreAccess access(store);
    ChatRecorder recorder(&access);
    // A write that fails means someone else ended our answer: the test must see that.
    recorder.setStorageErrorHandler([](const StoreError &e) {
        std::printf("failed %s\n", qPrintable(e.message));
        std::fflush(stdout);
    });
    recorder.startNew({});
    recorder.addUserMessage(QStringLiteral("Tell me a very long story."));
    GenerationInfo info;
    info.modelFile = QStringLiteral("stories260K-Q8_0.gguf");
    info.quantization = QStringLiteral("Q8_0");
    info.device = QStringLiteral("CPU");
    info.seed = 99;
    const qint64 id = recorder.beginAssistantMessage(info);
    std::printf("conversation %lld message %lld\n", qlonglong(recorder.conversation().id), qlonglong(id));
    std::fflush(stdout);

    int writes = recorder.writesIssued();
    for (int i = 0; i < 20000; ++i) { // ~100 s: the test kills it long before
        recorder.appendStreamingText(id, QStringLiteral("word%1 ").arg(i));
        if (recorder.writesIssued() != writes) {
            writes = recorder.writesIssued();
            std::printf("flushed %lld\n", qlonglong(recorder.conversation().message(id)->content.size()));
            std::fflush(stdout);
        }
        QThread::msleep(5);
    }
    return 3;
}
