#include "markdown/markdown_block_model.h"

#include "markdown/markdown_safety.h"

namespace parlo::ui {

MarkdownBlockModel::MarkdownBlockModel(QObject *parent) : QAbstractListModel(parent) {}

void MarkdownBlockModel::setMarkdown(const QString &markdown)
{
    if (markdown == m_markdown)
        return;
    m_markdown = markdown;
    const QList<MarkdownBlock> blocks = splitMarkdown(m_markdown);
    const int oldCount = count();

    // Rows that keep their kind are updated in place; the tail is removed or appended.
    qsizetype same = 0;
    while (same < blocks.size() && same < m_blocks.size() && blocks[same].kind == m_blocks[same].kind)
        ++same;
    if (same < m_blocks.size()) {
        beginRemoveRows({}, int(same), int(m_blocks.size() - 1));
        m_blocks.resize(same);
        endRemoveRows();
    }
    for (qsizetype i = 0; i < same; ++i) {
        if (!(m_blocks[i] == blocks[i])) {
            m_blocks[i] = blocks[i];
            emit dataChanged(index(int(i)), index(int(i)));
        }
    }
    if (blocks.size() > same) {
        beginInsertRows({}, int(same), int(blocks.size() - 1));
        m_blocks.append(blocks.mid(same));
        endInsertRows();
    }
    emit markdownChanged();
    if (count() != oldCount)
        emit countChanged();
}

int MarkdownBlockModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : count(); }

QVariant MarkdownBlockModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MarkdownBlock &block = m_blocks[index.row()];
    switch (role) {
    case KindRole: return markdownBlockKindName(block.kind);
    case Qt::DisplayRole:
    case TextRole: return block.text;
    case LanguageRole: return block.language;
    case ClosedRole: return block.closed;
    case RenderedRole: return block.kind == MarkdownBlock::Kind::Code ? block.text : neutraliseMarkdown(block.text);
    default: return {};
    }
}

QHash<int, QByteArray> MarkdownBlockModel::roleNames() const
{
    return {{KindRole, "kind"}, {TextRole, "text"}, {LanguageRole, "language"}, {ClosedRole, "closed"}, {RenderedRole, "rendered"}};
}

} // namespace parlo::ui
