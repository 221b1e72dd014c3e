// The sidebar: conversations grouped Pinned / Today / Yesterday / Previous 7 days / Older, in
// that order, newest first inside each group (QML sections use the `section` role).
#pragma once

#include "chat/conversation_repository.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by ChatController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { IdRole = Qt::UserRole + 1, TitleRole, PinnedRole, SectionRole, UpdatedRole };

    using QAbstractListModel::QAbstractListModel;

    // Replaces the list; `now` decides the day groups.
    void setConversations(QList<app::StoredConversation> conversations, const QDateTime &now);
    static QString sectionFor(bool pinned, const QDateTime &updated, const QDateTime &now);

    int count() const { return int(m_rows.size()); }
    Q_INVOKABLE int rowOf(qint64 id) const;
    Q_INVOKABLE qint64 idAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    struct Row
    {
        app::StoredConversation conversation;
        QString section;
        int rank = 0;
    };
    QList<Row> m_rows;
};

} // namespace parlo::ui
