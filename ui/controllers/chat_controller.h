// The conversation side of the window: the sidebar list, the messages of the open conversation,
// sending, streaming, stop, regenerate (a sibling answer), edit-and-resend (a sibling question),
// paging between siblings, search, rename/pin/delete and the per-conversation system prompt.
#pragma once

#include "chat/chat_service.h"
#include "chat/conversation_repository.h"
#include "controllers/app_settings.h"
#include "controllers/conversation_list_model.h"
#include "controllers/message_list_model.h"
#include "controllers/model_controller.h"
#include "controllers/search_results_model.h"

#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class ChatController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by the application")
    Q_PROPERTY(ConversationListModel *conversations READ conversations CONSTANT)
    Q_PROPERTY(MessageListModel *messages READ messages CONSTANT)
    Q_PROPERTY(SearchResultsModel *searchResults READ searchResults CONSTANT)
    Q_PROPERTY(qint64 currentConversationId READ currentConversationId NOTIFY currentConversationChanged)
    Q_PROPERTY(QString currentTitle READ currentTitle NOTIFY currentConversationChanged)
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY currentConversationChanged)
    Q_PROPERTY(bool generating READ generating NOTIFY generatingChanged)
    Q_PROPERTY(QString searchQuery READ searchQuery WRITE setSearchQuery NOTIFY searchQueryChanged)
    Q_PROPERTY(int contextUsed READ contextUsed NOTIFY contextChanged)
    Q_PROPERTY(bool contextFull READ contextFull NOTIFY contextChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)

public:
    ChatController(app::ConversationRepository *repository, app::ChatService *service, ModelController *models,
                   AppSettings *settings, QObject *parent = nullptr);
    // Writes what an answer still streaming has so far (the next start marks it interrupted).
    ~ChatController() override;

    ConversationListModel *conversations() { return &m_conversations; }
    MessageListModel *messages() { return &m_messages; }
    SearchResultsModel *searchResults() { return &m_search; }
    qint64 currentConversationId() const { return m_currentId; }
    QString currentTitle() const;
    QString systemPrompt() const;
    void setSystemPrompt(const QString &prompt);
    bool generating() const { return m_requestId != 0; }
    QString searchQuery() const { return m_searchQuery; }
    void setSearchQuery(const QString &query);
    int contextUsed() const { return m_contextUsed; }
    bool contextFull() const { return m_contextFull; }
    QString lastError() const { return m_lastError; }

    Q_INVOKABLE void newChat();
    Q_INVOKABLE void openConversation(qint64 id);
    // Returns false (and sets lastError) when it cannot send: no model, empty text, busy.
    Q_INVOKABLE bool send(const QString &text);
    Q_INVOKABLE void stop();
    Q_INVOKABLE bool regenerate(int row);
    Q_INVOKABLE bool editAndResend(int row, const QString &text);
    Q_INVOKABLE void showSibling(int row, int delta);
    Q_INVOKABLE void renameConversation(qint64 id, const QString &title);
    Q_INVOKABLE void setPinned(qint64 id, bool pinned);
    Q_INVOKABLE void deleteConversation(qint64 id);
    // Opens the conversation of search hit `row` on the branch holding the hit; returns the
    // row of the hit message in `messages`.
    Q_INVOKABLE int openSearchHit(int row);
    Q_INVOKABLE void copyText(const QString &text);

    // Shows a sentence from elsewhere (a storage notice at start) where errors appear.
    void showNotice(const QString &message) { setError(message); }

signals:
    void currentConversationChanged();
    void generatingChanged();
    void searchQueryChanged();
    void contextChanged();
    void lastErrorChanged();
    void messageAppended(int row); // a new row to scroll to

private:
    bool startAnswer(qint64 parentId); // parent: the user message to answer
    // What an answer records before its first token: model file, sha256, quantization,
    // device and the sampler settings it is generated with.
    storage::GenerationInfo answerRecord(const app::SamplingSettings &sampling) const;
    void reloadConversations();
    void reloadMessages();
    void flushStreaming();
    void setError(const QString &message);
    void onPiece(quint64 requestId, const QString &piece);
    void onFinished(quint64 requestId, const app::GenerationStats &stats);
    void onFailed(quint64 requestId, const QString &message);
    // The system prompt and then the messages of `branch`, as the engine takes them.
    QList<app::ChatTurn> turnsOf(const QList<MessageListModel::Row> &branch) const;
    // Asks the worker how much of the context the shown branch fills, for the meter.
    void refreshContextUsage();
    void onTokensCounted(quint64 countId, int tokens);

    app::ConversationRepository *m_repository;
    app::ChatService *m_service;
    ModelController *m_models;
    AppSettings *m_settings;
    ConversationListModel m_conversations;
    MessageListModel m_messages;
    SearchResultsModel m_search;
    qint64 m_currentId = 0;
    QString m_searchQuery;
    QString m_lastError;
    quint64 m_requestId = 0;
    app::StoredMessage m_streaming; // the answer being written
    QTimer m_flushTimer;            // throttles writes of the streaming answer to the store
    int m_contextUsed = 0;
    quint64 m_countId = 0;          // the count whose answer the meter waits for
    bool m_contextFull = false;
};

} // namespace parlo::ui
