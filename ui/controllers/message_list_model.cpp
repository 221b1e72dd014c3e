#include "controllers/message_list_model.h"

#include <QHash>

namespace parlo::ui {

QList<MessageListModel::Row> branchRows(const QList<app::StoredMessage> &messages, qint64 leafId)
{
    QHash<qint64, const app::StoredMessage *> byId;
    QHash<qint64, QList<qint64>> children; // parent -> children ids in creation order
    for (const app::StoredMessage &m : messages) {
        byId.insert(m.id, &m);
        children[m.parentId].append(m.id);
    }
    QList<MessageListModel::Row> rows;
    qint64 id = leafId;
    int guard = 0;
    while (id != 0 && byId.contains(id) && guard++ <= messages.size()) {
        const app::StoredMessage &m = *byId.value(id);
        const QList<qint64> &siblings = children.value(m.parentId);
        rows.prepend({m, int(siblings.indexOf(m.id)), int(siblings.size()), false});
        id = m.parentId;
    }
    return rows;
}

qint64 newestLeafBelow(const QList<app::StoredMessage> &messages, qint64 messageId)
{
    qint64 leaf = messageId;
    for (int guard = 0; guard <= messages.size(); ++guard) {
        qint64 newestChild = 0;
        for (const app::StoredMessage &m : messages)
            if (m.parentId == leaf && m.id > newestChild)
                newestChild = m.id;
        if (newestChild == 0)
            break;
        leaf = newestChild;
    }
    return leaf;
}

void MessageListModel::setRows(QList<Row> rows)
{
    const int oldCount = count();
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    if (oldCount != count())
        emit countChanged();
}

void MessageListModel::appendContent(int row, const QString &piece)
{
    if (row < 0 || row >= count())
        return;
    m_rows[row].message.content += piece;
    emit dataChanged(index(row), index(row), {ContentRole});
}

void MessageListModel::updateMessage(int row, const app::StoredMessage &message, bool streaming)
{
    if (row < 0 || row >= count())
        return;
    m_rows[row].message = message;
    m_rows[row].streaming = streaming;
    emit dataChanged(index(row), index(row));
}

int MessageListModel::rowOfMessage(qint64 messageId) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].message.id == messageId)
            return int(i);
    return -1;
}

QString MessageListModel::contentAt(int row) const
{
    return row >= 0 && row < count() ? m_rows[row].message.content : QString();
}

QString MessageListModel::footerFor(const app::StoredMessage &m)
{
    if (m.role != u"assistant")
        return {};
    QStringList parts;
    if (!m.model.isEmpty())
        parts << m.model;
    if (m.tokenCount > 0) {
        parts << QStringLiteral("%1 tok/s").arg(m.tokensPerSecond, 0, 'f', 1);
        parts << QStringLiteral("%1 ms to first token").arg(qRound(m.timeToFirstTokenMs));
        parts << QStringLiteral("%1 tokens").arg(m.tokenCount);
    }
    if (!m.complete)
        parts << QStringLiteral("stopped");
    return parts.join(QStringLiteral(" · "));
}

int MessageListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : count(); }

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    const app::StoredMessage &m = row.message;
    switch (role) {
    case IdRole: return m.id;
    case RoleRole: return m.role;
    case Qt::DisplayRole:
    case ContentRole: return m.content;
    case ModelRole: return m.model;
    case TokensPerSecondRole: return m.tokensPerSecond;
    case TimeToFirstTokenRole: return m.timeToFirstTokenMs;
    case TokenCountRole: return m.tokenCount;
    case CompleteRole: return m.complete;
    case StreamingRole: return row.streaming;
    case SiblingIndexRole: return row.siblingIndex;
    case SiblingCountRole: return row.siblingCount;
    case FooterRole: return row.streaming ? QString() : footerFor(m);
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{IdRole, "messageId"},       {RoleRole, "role"},
            {ContentRole, "content"},    {ModelRole, "model"},
            {TokensPerSecondRole, "tokensPerSecond"}, {TimeToFirstTokenRole, "timeToFirstTokenMs"},
            {TokenCountRole, "tokenCount"}, {CompleteRole, "complete"},
            {StreamingRole, "streaming"}, {SiblingIndexRole, "siblingIndex"},
            {SiblingCountRole, "siblingCount"}, {FooterRole, "footer"}};
}

} // namespace parlo::ui
