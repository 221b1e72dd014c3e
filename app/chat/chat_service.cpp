#include "chat/chat_service.h"

namespace parlo::app {

ChatService::ChatService(std::unique_ptr<InferenceEngine> engine, QObject *parent) : QObject(parent)
{
    qRegisterMetaType<SamplingSettings>();
    qRegisterMetaType<ChatTurn>();
    qRegisterMetaType<LoadedModelInfo>();
    qRegisterMetaType<GenerationStats>();
    qRegisterMetaType<QList<ChatTurn>>();

    m_thread.setObjectName("parlo-chat-worker");
    m_worker = new ChatWorker(std::move(engine));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ChatWorker::loadProgress, this, &ChatService::loadProgress);
    connect(m_worker, &ChatWorker::modelLoaded, this, &ChatService::modelLoaded);
    connect(m_worker, &ChatWorker::loadFailed, this, &ChatService::loadFailed);
    connect(m_worker, &ChatWorker::pieceReady, this, &ChatService::pieceReady);
    connect(m_worker, &ChatWorker::generationFinished, this, &ChatService::generationFinished);
    connect(m_worker, &ChatWorker::generationFailed, this, &ChatService::generationFailed);
    connect(m_worker, &ChatWorker::tokensCounted, this, &ChatService::tokensCounted);
    m_thread.start();
}

ChatService::~ChatService()
{
    // Stop whatever runs so the thread can finish promptly.
    m_worker->requestStop(m_nextRequest - 1);
    m_worker->requestCancelLoad(m_lastLoad);
    m_thread.quit();
    m_thread.wait();
}

void ChatService::loadModel(const QString &path, const SamplingSettings &settings)
{
    // A load queued behind a generation should not wait for the whole answer, nor behind an
    // earlier load (a slow file, a template still rendering): the newest choice supersedes it.
    m_worker->requestStop(m_nextRequest - 1);
    m_worker->requestCancelLoad(m_lastLoad);
    QMetaObject::invokeMethod(m_worker, "loadModel", Qt::QueuedConnection, Q_ARG(quint64, ++m_lastLoad),
                              Q_ARG(QString, path),
                              Q_ARG(parlo::app::SamplingSettings, settings));
}

void ChatService::cancelLoad() { m_worker->requestCancelLoad(m_lastLoad); }

void ChatService::unloadModel() { QMetaObject::invokeMethod(m_worker, "unloadModel", Qt::QueuedConnection); }

quint64 ChatService::generate(const QList<ChatTurn> &conversation, const SamplingSettings &settings)
{
    const quint64 id = m_nextRequest++;
    QMetaObject::invokeMethod(m_worker, "generate", Qt::QueuedConnection, Q_ARG(quint64, id),
                              Q_ARG(QList<parlo::app::ChatTurn>, conversation),
                              Q_ARG(parlo::app::SamplingSettings, settings));
    return id;
}

void ChatService::stop() { m_worker->requestStop(m_nextRequest - 1); }

quint64 ChatService::countTokens(const QList<ChatTurn> &conversation)
{
    const quint64 id = m_nextCount++;
    QMetaObject::invokeMethod(m_worker, "countTokens", Qt::QueuedConnection, Q_ARG(quint64, id),
                              Q_ARG(QList<parlo::app::ChatTurn>, conversation));
    return id;
}

} // namespace parlo::app
