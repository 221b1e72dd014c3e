#include "controllers/conversation_list_model.h"

#include <algorithm>

namespace parlo::ui {

namespace {
const QStringList kSections = {QStringLiteral("Pinned"), QStringLiteral("Today"), QStringLiteral("Yesterday"),
                               QStringLiteral("Previous 7 days"), QStringLiteral("Older")};
}

QString ConversationListModel::sectionFor(bool pinned, const QDateTime &updated, const QDateTime &now)
{
    if (pinned)
        return kSections[0];
    const qint64 days = updated.date().daysTo(now.date());
    if (days <= 0)
        return kSections[1];
    if (days == 1)
        return kSections[2];
    if (days <= 7)
        return kSections[3];
    return kSections[4];
}

void ConversationListModel::setConversations(QList<app::StoredConversation> conversations, const QDateTime &now)
{
    QList<Row> rows;
    rows.reserve(conversations.size());
    for (app::StoredConversation &c : conversations) {
        const QString section = sectionFor(c.pinned, c.updatedAt, now);
        rows.append({std::move(c), section, int(kSections.indexOf(section))});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        if (a.rank != b.rank)
            return a.rank < b.rank;
        return a.conversation.updatedAt > b.conversation.updatedAt;
    });
    const int oldCount = count();
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    if (oldCount != count())
        emit countChanged();
}

int ConversationListModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].conversation.id == id)
            return int(i);
    return -1;
}

qint64 ConversationListModel::idAt(int row) const
{
    return row >= 0 && row < count() ? m_rows[row].conversation.id : 0;
}

int ConversationListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : count(); }

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case IdRole: return row.conversation.id;
    case Qt::DisplayRole:
    case TitleRole: return row.conversation.title;
    case PinnedRole: return row.conversation.pinned;
    case SectionRole: return row.section;
    case UpdatedRole: return row.conversation.updatedAt;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{IdRole, "conversationId"}, {TitleRole, "title"}, {PinnedRole, "pinned"}, {SectionRole, "section"},
            {UpdatedRole, "updatedAt"}};
}

} // namespace parlo::ui
