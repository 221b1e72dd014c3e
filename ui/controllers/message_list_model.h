// The messages of the branch shown: from the first message down to the conversation's current
// leaf. Each row knows its siblings (other answers to the same question, other edits of the
// same question) for the "< 1/2 >" pager.
#pragma once

#include "chat/conversation_repository.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by ChatController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        RoleRole,
        ContentRole,
        ModelRole,
        QuantizationRole,
        DeviceRole,
        TokensPerSecondRole,
        TimeToFirstTokenRole,
        TokenCountRole,
        CompleteRole,
        StreamingRole,
        SiblingIndexRole,
        SiblingCountRole,
        FooterRole,
        DetailsRole,
        SpokenLabelRole,
    };

    struct Row
    {
        app::StoredMessage message;
        int siblingIndex = 0;
        int siblingCount = 1;
        bool streaming = false;
    };

    using QAbstractListModel::QAbstractListModel;

    void setRows(QList<Row> rows);
    // Streaming: only the content of one row changes, and only that row is signalled.
    void appendContent(int row, const QString &piece);
    void updateMessage(int row, const app::StoredMessage &message, bool streaming);
    const Row &rowAt(int row) const { return m_rows[row]; }
    int count() const { return int(m_rows.size()); }
    Q_INVOKABLE int rowOfMessage(qint64 messageId) const;
    Q_INVOKABLE QString contentAt(int row) const;

    // What a screen reader announces for the message: "Your message", "Answer from stories260K".
    static QString spokenLabelFor(const app::StoredMessage &message);
    // "stories260K · Q8_0 · Vulkan: llvmpipe · 812.4 tok/s · 12 ms to first token · 64 tokens"
    static QString footerFor(const app::StoredMessage &message);
    // For the footer's tooltip: "seed 42 · temperature 0.7, top-k 40, … · prompt 35 tokens at
    // 910.0 tok/s · sha256 …" and the error where one ended the answer.
    static QString detailsFor(const app::StoredMessage &message);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    QList<Row> m_rows;
};

// The branch ending at `leafId` among `messages`, with sibling positions.
QList<MessageListModel::Row> branchRows(const QList<app::StoredMessage> &messages, qint64 leafId);
// The newest leaf below `messageId` following the newest child at each step.
qint64 newestLeafBelow(const QList<app::StoredMessage> &messages, qint64 messageId);

} // namespace parlo::ui
