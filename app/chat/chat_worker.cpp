#include "chat/chat_worker.h"

namespace parlo::app {

QString takeCompleteUtf8(std::string &bytes)
{
    // Walk back over at most three continuation bytes to the last lead byte and check whether
    // its sequence is complete.
    size_t keep = bytes.size();
    for (size_t back = 1; back <= 4 && back <= bytes.size(); ++back) {
        const auto c = static_cast<unsigned char>(bytes[bytes.size() - back]);
        if ((c & 0xC0) == 0x80)
            continue; // continuation byte
        size_t need = 1;
        if ((c & 0xE0) == 0xC0)
            need = 2;
        else if ((c & 0xF0) == 0xE0)
            need = 3;
        else if ((c & 0xF8) == 0xF0)
            need = 4;
        if (need > back)
            keep = bytes.size() - back;
        break;
    }
    QString text = QString::fromUtf8(bytes.data(), qsizetype(keep));
    bytes.erase(0, keep);
    return text;
}

ChatWorker::ChatWorker(std::unique_ptr<InferenceEngine> engine) : m_engine(std::move(engine)) {}

ChatWorker::~ChatWorker() = default;

void ChatWorker::loadModel(quint64 loadId, const QString &path, const SamplingSettings &settings)
{
    m_engine->unload();
    auto result = m_engine->load(path.toStdString(), settings, [this, loadId](float fraction) {
        emit loadProgress(fraction);
        return m_cancelThrough.load() < loadId;
    });
    if (result)
        emit modelLoaded(path, result.value());
    else
        emit loadFailed(path, QString::fromStdString(result.error().message));
}

void ChatWorker::unloadModel() { m_engine->unload(); }

void ChatWorker::generate(quint64 requestId, const QList<ChatTurn> &conversation, const SamplingSettings &settings)
{
    std::string pending;
    const std::vector<ChatTurn> turns(conversation.begin(), conversation.end());
    auto result = m_engine->generate(turns, settings, [&](std::string_view piece) {
        pending.append(piece);
        const QString text = takeCompleteUtf8(pending);
        if (!text.isEmpty())
            emit pieceReady(requestId, text);
        return m_stopThrough.load() < requestId;
    });
    if (!pending.empty())
        emit pieceReady(requestId, QString::fromUtf8(pending.data(), qsizetype(pending.size())));
    if (result)
        emit generationFinished(requestId, result.value());
    else
        emit generationFailed(requestId, QString::fromStdString(result.error().message));
}

void ChatWorker::countTokens(quint64 countId, const QList<ChatTurn> &conversation)
{
    const auto counted = m_engine && m_engine->isLoaded()
                             ? m_engine->countTokens(std::vector<ChatTurn>(conversation.begin(), conversation.end()))
                             : Result<int>(makeError("no model is loaded"));
    emit tokensCounted(countId, counted ? *counted : -1);
}

} // namespace parlo::app
