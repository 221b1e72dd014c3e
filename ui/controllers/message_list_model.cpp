#include "controllers/message_list_model.h"

#include <QFileInfo>
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

QString MessageListModel::spokenLabelFor(const app::StoredMessage &m)
{
    if (m.role != u"assistant")
        return tr("Your message");
    if (m.generation.modelFile.isEmpty())
        return tr("Answer");
    return tr("Answer from %1").arg(QFileInfo(m.generation.modelFile).completeBaseName());
}

QString MessageListModel::footerFor(const app::StoredMessage &m)
{
    if (m.role != u"assistant")
        return {};
    const storage::GenerationInfo &g = m.generation;
    QStringList parts;
    if (!g.modelFile.isEmpty())
        parts << QFileInfo(g.modelFile).completeBaseName();
    if (!g.quantization.isEmpty())
        parts << g.quantization;
    if (!g.device.isEmpty())
        parts << g.device;
    if (g.generatedTokens.value_or(0) > 0) {
        parts << QStringLiteral("%1 tok/s").arg(g.decodeTokensPerSecond.value_or(0.0), 0, 'f', 1);
        parts << QStringLiteral("%1 ms to first token").arg(qRound(g.timeToFirstTokenMs.value_or(0.0)));
        parts << QStringLiteral("%1 tokens").arg(*g.generatedTokens);
    }
    if (!m.complete)
        parts << QStringLiteral("stopped");
    return parts.join(QStringLiteral(" · "));
}

QString MessageListModel::detailsFor(const app::StoredMessage &m)
{
    if (m.role != u"assistant")
        return {};
    const storage::GenerationInfo &g = m.generation;
    QStringList parts;
    if (g.seed)
        parts << QStringLiteral("seed %1").arg(*g.seed);
    // The sampler keys in the order people tune them, with the names the settings page uses.
    static const QList<std::pair<const char *, const char *>> kSampler = {
        {"temperature", "temperature"}, {"top_k", "top-k"},        {"top_p", "top-p"},
        {"min_p", "min-p"},             {"repeat_penalty", "repeat penalty"},
        {"max_tokens", "max tokens"},   {"context_length", "context"}};
    QStringList sampler;
    for (const auto &[key, label] : kSampler)
        if (g.sampler.contains(QLatin1String(key)))
            sampler << QStringLiteral("%1 %2").arg(QLatin1String(label), g.sampler.value(QLatin1String(key)).toVariant().toString());
    if (!sampler.isEmpty())
        parts << sampler.join(QStringLiteral(", "));
    if (g.promptTokens)
        parts << QStringLiteral("prompt %1 tokens at %2 tok/s")
                     .arg(*g.promptTokens)
                     .arg(g.prefillTokensPerSecond.value_or(0.0), 0, 'f', 1);
    if (!g.modelSha256.isEmpty())
        parts << QStringLiteral("sha256 %1").arg(g.modelSha256);
    if (!g.errorMessage.isEmpty())
        parts << QStringLiteral("error: %1").arg(g.errorMessage);
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
    case ModelRole: return m.generation.modelFile;
    case QuantizationRole: return m.generation.quantization;
    case DeviceRole: return m.generation.device;
    case TokensPerSecondRole: return m.generation.decodeTokensPerSecond.value_or(0.0);
    case TimeToFirstTokenRole: return m.generation.timeToFirstTokenMs.value_or(0.0);
    case TokenCountRole: return qint64(m.generation.generatedTokens.value_or(0));
    case CompleteRole: return m.complete;
    case StreamingRole: return row.streaming;
    case SiblingIndexRole: return row.siblingIndex;
    case SiblingCountRole: return row.siblingCount;
    case FooterRole: return row.streaming ? QString() : footerFor(m);
    case DetailsRole: return row.streaming ? QString() : detailsFor(m);
    case SpokenLabelRole: return spokenLabelFor(m);
    default: return {};
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{IdRole, "messageId"},       {RoleRole, "role"},
            {ContentRole, "content"},    {ModelRole, "model"},
            {QuantizationRole, "quantization"}, {DeviceRole, "device"},
            {TokensPerSecondRole, "tokensPerSecond"}, {TimeToFirstTokenRole, "timeToFirstTokenMs"},
            {TokenCountRole, "tokenCount"}, {CompleteRole, "complete"},
            {StreamingRole, "streaming"}, {SiblingIndexRole, "siblingIndex"},
            {SiblingCountRole, "siblingCount"}, {FooterRole, "footer"}, {SpokenLabelRole, "spokenLabel"},
            {DetailsRole, "details"}};
}

} // namespace parlo::ui
