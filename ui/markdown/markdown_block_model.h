// A message's Markdown as a list of blocks for a QML ListView/Repeater. Setting new text keeps
// the rows that did not change, so while an answer streams only its last block is touched.
#pragma once

#include "markdown/markdown_blocks.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class MarkdownBlockModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString markdown READ markdown WRITE setMarkdown NOTIFY markdownChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    // RenderedRole: the block as Markdown safe to render (neutraliseMarkdown); TextRole: as written.
    enum Role { KindRole = Qt::UserRole + 1, TextRole, LanguageRole, ClosedRole, RenderedRole };

    explicit MarkdownBlockModel(QObject *parent = nullptr);

    QString markdown() const { return m_markdown; }
    void setMarkdown(const QString &markdown);
    int count() const { return int(m_blocks.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void markdownChanged();
    void countChanged();

private:
    QString m_markdown;
    QList<MarkdownBlock> m_blocks;
};

} // namespace parlo::ui
