// Owns the worker thread. Lives on the GUI thread; every call returns at once and results come
// back as signals on the GUI thread.
#pragma once

#include "chat/chat_worker.h"

#include <QObject>
#include <QThread>

namespace parlo::app {

class ChatService : public QObject
{
    Q_OBJECT

public:
    explicit ChatService(std::unique_ptr<InferenceEngine> engine, QObject *parent = nullptr);
    ~ChatService() override;

    void loadModel(const QString &path, const SamplingSettings &settings);
    void cancelLoad();
    void unloadModel();
    // Returns the id the pieces and the final signal carry.
    quint64 generate(const QList<ChatTurn> &conversation, const SamplingSettings &settings);
    void stop();
    // Counts the tokens `conversation` takes in the loaded model's context, off the GUI
    // thread; the answer is tokensCounted with the returned id.
    quint64 countTokens(const QList<ChatTurn> &conversation);

signals:
    void loadProgress(float fraction);
    void modelLoaded(const QString &path, const parlo::app::LoadedModelInfo &info);
    void loadFailed(const QString &path, const QString &message);
    void pieceReady(quint64 requestId, const QString &piece);
    void generationFinished(quint64 requestId, const parlo::app::GenerationStats &stats);
    void generationFailed(quint64 requestId, const QString &message);
    void tokensCounted(quint64 countId, int tokens);

private:
    quint64 m_nextCount = 1;
    QThread m_thread;
    ChatWorker *m_worker = nullptr; // lives on m_thread, deleted when it finishes
    quint64 m_nextRequest = 1;
    quint64 m_lastLoad = 0;
};

} // namespace parlo::app
