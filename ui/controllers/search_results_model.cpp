#include "controllers/search_results_model.h"

namespace parlo::ui {

void SearchResultsModel::setHits(QList<app::SearchHit> hits)
{
    const int oldCount = count();
    beginResetModel();
    m_hits = std::move(hits);
    endResetModel();
    if (oldCount != count())
        emit countChanged();
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : count(); }

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const app::SearchHit &hit = m_hits[index.row()];
    switch (role) {
    case ConversationIdRole: return hit.conversationId;
    case MessageIdRole: return hit.messageId;
    case Qt::DisplayRole:
    case TitleRole: return hit.title;
    case SnippetRole: return hit.snippet;
    default: return {};
    }
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const
{
    return {{ConversationIdRole, "conversationId"}, {MessageIdRole, "messageId"}, {TitleRole, "title"},
            {SnippetRole, "snippet"}};
}

} // namespace parlo::ui
