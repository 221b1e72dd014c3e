// Splits a (possibly still streaming) Markdown message into blocks, so the view renders prose
// with Qt's Markdown support and fenced code with its own highlighted, copyable delegate, and
// so a growing answer only re-renders its last block.
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace parlo::ui {

struct MarkdownBlock
{
    enum class Kind { Paragraph, Heading, List, Table, Quote, Rule, Code };
    Kind kind = Kind::Paragraph;
    QString text;     // Markdown source; for Code the code itself, without fences
    QString language; // Code: the info string's first word ("cpp"), may be empty
    bool closed = true; // Code: false while the closing fence has not arrived

    bool operator==(const MarkdownBlock &other) const = default;
};

QString markdownBlockKindName(MarkdownBlock::Kind kind); // "paragraph", "code" …

// Never fails: any text splits into blocks whose Markdown, rejoined, renders as the original.
QList<MarkdownBlock> splitMarkdown(QStringView text);

} // namespace parlo::ui
