// Search hits for the sidebar's search box: which conversation, which message, a snippet.
#pragma once

#include "chat/conversation_repository.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class SearchResultsModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("provided by ChatController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Role { ConversationIdRole = Qt::UserRole + 1, MessageIdRole, TitleRole, SnippetRole };

    using QAbstractListModel::QAbstractListModel;

    void setHits(QList<app::SearchHit> hits);
    const app::SearchHit &hitAt(int row) const { return m_hits[row]; }
    int count() const { return int(m_hits.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void countChanged();

private:
    QList<app::SearchHit> m_hits;
};

} // namespace parlo::ui
