#include "history_service.h"

namespace parlo::storage {

HistoryService::HistoryService(QObject *parent) : QObject(parent) {}
HistoryService::~HistoryService() = default;

QFuture<StoreResult<OpenReport>> HistoryService::open(const QString &path, const OpenOptions &options)
{
    return m_writer.post([this, path, options](HistoryStore &store) -> StoreResult<OpenReport> {
        auto report = store.open(path, options);
        if (!report)
            return report;
        OpenOptions readerOptions = options;
        readerOptions.readOnly = true;
        readerOptions.create = false;
        // The writer has migrated and recovered, so the reader only needs a connection.
        std::optional<StoreResult<OpenReport>> reader;
        m_reader.runAndWait(
            [&](HistoryStore &readerStore) { reader = readerStore.open(path, readerOptions); });
        if (!reader->ok())
            return reader->error();
        for (const QString &text : report->notices)
            emit notice(text);
        return report;
    });
}

QFuture<StoreResult<QList<ConversationSummary>>> HistoryService::listConversations(const ListQuery &query)
{
    return read([query](HistoryStore &store) { return store.listConversations(query); });
}

QFuture<StoreResult<Conversation>> HistoryService::conversation(qint64 conversationId)
{
    return read([conversationId](HistoryStore &store) { return store.conversation(conversationId); });
}

QFuture<StoreResult<QList<SearchHit>>> HistoryService::search(const QString &text, int limit)
{
    return read([text, limit](HistoryStore &store) { return store.search(text, limit); });
}

QFuture<StoreResult<QList<Folder>>> HistoryService::folders()
{
    return read([](HistoryStore &store) { return store.folders(); });
}

void HistoryService::waitForWrites()
{
    m_writer.runAndWait([](HistoryStore &) {});
}

void HistoryService::write(std::function<void(HistoryStore &)> job, bool wait)
{
    if (wait) {
        m_writer.runAndWait(std::move(job));
        emit changed();
    } else {
        m_writer.post([job = std::move(job)](HistoryStore &store) { job(store); });
    }
}

} // namespace parlo::storage
