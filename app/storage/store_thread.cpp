#include "store_thread.h"

#include <QMetaObject>

namespace parlo::storage {

StoreThread::StoreThread(const QString &name)
    : m_thread(std::make_unique<QThread>()), m_context(std::make_unique<QObject>()),
      m_store(std::make_unique<HistoryStore>())
{
    m_thread->setObjectName(name);
    m_context->moveToThread(m_thread.get());
    m_thread->start();
}

StoreThread::~StoreThread()
{
    // Jobs already queued still run, then the connection closes on the thread that used it.
    runAndWait([](HistoryStore &store) { store.close(); });
    m_thread->quit();
    m_thread->wait();
    m_context.reset();
}

void StoreThread::enqueue(std::function<void(HistoryStore &)> job)
{
    HistoryStore *store = m_store.get();
    QMetaObject::invokeMethod(
        m_context.get(), [store, job = std::move(job)]() { job(*store); }, Qt::QueuedConnection);
}

void StoreThread::runAndWait(std::function<void(HistoryStore &)> job)
{
    if (isCurrent()) {
        job(*m_store);
        return;
    }
    post([job = std::move(job)](HistoryStore &store) { job(store); }).waitForFinished();
}

} // namespace parlo::storage
