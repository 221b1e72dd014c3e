// Runs an InferenceEngine on its own thread. Requests arrive as queued slot calls, results leave
// as signals; the only cross-thread shortcut is the pair of atomic flags that let the UI stop a
// generation or cancel a load without waiting for the worker's event loop.
#pragma once

#include "chat/inference_engine.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace parlo::app {

class ChatWorker : public QObject
{
    Q_OBJECT

public:
    explicit ChatWorker(std::unique_ptr<InferenceEngine> engine);
    ~ChatWorker() override;

    // Thread-safe: may be called from any thread.
    // Stops every generation whose id is <= throughRequest, including ones still queued.
    void requestStop(quint64 throughRequest) { m_stopThrough.store(throughRequest); }
    // Cancels every load whose id is <= throughLoad, including ones still queued.
    void requestCancelLoad(quint64 throughLoad) { m_cancelThrough.store(throughLoad); }

public slots:
    void loadModel(quint64 loadId, const QString &path, const parlo::app::SamplingSettings &settings);
    void unloadModel();
    void generate(quint64 requestId, const QList<parlo::app::ChatTurn> &conversation,
                  const parlo::app::SamplingSettings &settings);
    // Answers with tokensCounted; -1 when no model is loaded or the template fails.
    void countTokens(quint64 countId, const QList<parlo::app::ChatTurn> &conversation);

signals:
    void loadProgress(float fraction);
    void modelLoaded(const QString &path, const parlo::app::LoadedModelInfo &info);
    void loadFailed(const QString &path, const QString &message);
    void pieceReady(quint64 requestId, const QString &piece);
    void generationFinished(quint64 requestId, const parlo::app::GenerationStats &stats);
    void generationFailed(quint64 requestId, const QString &message);
    void tokensCounted(quint64 countId, int tokens);

private:
    std::unique_ptr<InferenceEngine> m_engine;
    std::atomic<quint64> m_stopThrough{0};
    std::atomic<quint64> m_cancelThrough{0};
};

// Splits off the longest prefix of `bytes` that ends on a UTF-8 character boundary; the rest
// (an incomplete multi-byte sequence) stays in `bytes` for the next piece.
QString takeCompleteUtf8(std::string &bytes);

} // namespace parlo::app

Q_DECLARE_METATYPE(parlo::app::SamplingSettings)
Q_DECLARE_METATYPE(parlo::app::ChatTurn)
Q_DECLARE_METATYPE(parlo::app::LoadedModelInfo)
Q_DECLARE_METATYPE(parlo::app::GenerationStats)
