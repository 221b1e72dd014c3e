#include "markdown/markdown_blocks.h"

#include <QRegularExpression>

namespace parlo::ui {

namespace {

using Kind = MarkdownBlock::Kind;

struct Fence
{
    QChar marker;
    qsizetype length = 0;
    qsizetype indent = 0;
    QString info;
};

qsizetype leadingSpaces(QStringView line)
{
    qsizetype n = 0;
    while (n < line.size() && line[n] == u' ')
        ++n;
    return n;
}

// An opening fence: ``` or ~~~ (three or more). LLMs indent fences inside list items, so any
// indentation is accepted and later stripped from the code lines.
bool parseFence(QStringView line, Fence &fence)
{
    const qsizetype indent = leadingSpaces(line);
    if (indent >= line.size())
        return false;
    const QChar marker = line[indent];
    if (marker != u'`' && marker != u'~')
        return false;
    qsizetype n = indent;
    while (n < line.size() && line[n] == marker)
        ++n;
    if (n - indent < 3)
        return false;
    const QStringView info = line.mid(n).trimmed();
    if (marker == u'`' && info.contains(u'`'))
        return false; // not a fence: inline code such as ```x```
    fence.marker = marker;
    fence.length = n - indent;
    fence.indent = indent;
    fence.info = info.toString();
    return true;
}

bool closesFence(QStringView line, const Fence &fence)
{
    const QStringView trimmed = line.trimmed();
    if (trimmed.size() < fence.length)
        return false;
    for (QChar c : trimmed)
        if (c != fence.marker)
            return false;
    return true;
}

QStringView stripIndent(QStringView line, qsizetype indent)
{
    return line.mid(std::min(indent, leadingSpaces(line)));
}

bool isListItem(QStringView line)
{
    static const QRegularExpression item(QStringLiteral("^\\s{0,12}(?:[-*+]|\\d{1,9}[.)])(?:\\s|$)"));
    return item.match(line).hasMatch();
}

bool isHeading(QStringView line)
{
    static const QRegularExpression heading(QStringLiteral("^ {0,3}#{1,6}(?:\\s|$)"));
    return heading.match(line).hasMatch();
}

bool isRule(QStringView line)
{
    static const QRegularExpression rule(QStringLiteral("^ {0,3}(?:(?:-\\s*){3,}|(?:\\*\\s*){3,}|(?:_\\s*){3,})$"));
    return rule.match(line).hasMatch();
}

bool isTableSeparator(QStringView line)
{
    static const QRegularExpression sep(QStringLiteral("^\\s*\\|?\\s*:?-+:?\\s*(?:\\|\\s*:?-+:?\\s*)*\\|?\\s*$"));
    return line.contains(u'-') && sep.match(line).hasMatch();
}

Kind classify(const QList<QStringView> &lines)
{
    const QStringView first = lines.first();
    if (isHeading(first))
        return Kind::Heading;
    if (isRule(first) && lines.size() == 1)
        return Kind::Rule;
    if (first.trimmed().startsWith(u'>'))
        return Kind::Quote;
    if (isListItem(first))
        return Kind::List;
    if (lines.size() >= 2 && first.contains(u'|') && isTableSeparator(lines[1]))
        return Kind::Table;
    return Kind::Paragraph;
}

class Splitter
{
public:
    QList<MarkdownBlock> blocks;

    void addLine(QStringView line)
    {
        if (line.trimmed().isEmpty()) {
            flushChunk();
            return;
        }
        // A heading ends its chunk on its own line: "# Title\ntext" is two blocks.
        if (isHeading(line)) {
            flushChunk();
            m_chunk.append(line);
            flushChunk();
            return;
        }
        m_chunk.append(line);
    }

    void flushChunk()
    {
        if (m_chunk.isEmpty())
            return;
        const Kind kind = classify(m_chunk);
        QString text;
        for (qsizetype i = 0; i < m_chunk.size(); ++i) {
            if (i)
                text += u'\n';
            text += m_chunk[i];
        }
        m_chunk.clear();
        // A loose list (items separated by blank lines) or an item's indented continuation
        // stays one block, so numbering and nesting survive.
        if (!blocks.isEmpty() && blocks.last().kind == Kind::List
            && (kind == Kind::List || (text.startsWith(u' ') || text.startsWith(u'\t')))) {
            blocks.last().text += QStringLiteral("\n\n") + text;
            return;
        }
        blocks.append({kind, text, {}, true});
    }

    void addCode(const Fence &fence, QString code, bool closed)
    {
        flushChunk();
        const QString language = fence.info.section(u' ', 0, 0);
        blocks.append({Kind::Code, std::move(code), language, closed});
    }

private:
    QList<QStringView> m_chunk;
};

} // namespace

QString markdownBlockKindName(MarkdownBlock::Kind kind)
{
    switch (kind) {
    case Kind::Paragraph: return QStringLiteral("paragraph");
    case Kind::Heading: return QStringLiteral("heading");
    case Kind::List: return QStringLiteral("list");
    case Kind::Table: return QStringLiteral("table");
    case Kind::Quote: return QStringLiteral("quote");
    case Kind::Rule: return QStringLiteral("rule");
    case Kind::Code: return QStringLiteral("code");
    }
    return QStringLiteral("paragraph");
}

QList<MarkdownBlock> splitMarkdown(QStringView text)
{
    Splitter splitter;
    qsizetype pos = 0;
    const qsizetype size = text.size();
    auto nextLine = [&]() {
        qsizetype end = text.indexOf(u'\n', pos);
        if (end < 0)
            end = size;
        QStringView line = text.mid(pos, end - pos);
        if (line.endsWith(u'\r'))
            line.chop(1);
        pos = end + 1;
        return line;
    };
    while (pos < size) {
        const QStringView line = nextLine();
        Fence fence;
        if (!parseFence(line, fence)) {
            splitter.addLine(line);
            continue;
        }
        QString code;
        bool closed = false;
        bool firstLine = true;
        while (pos < size) {
            const QStringView codeLine = nextLine();
            if (closesFence(codeLine, fence)) {
                closed = true;
                break;
            }
            if (!firstLine)
                code += u'\n';
            code += stripIndent(codeLine, fence.indent);
            firstLine = false;
        }
        splitter.addCode(fence, std::move(code), closed);
    }
    splitter.flushChunk();
    return splitter.blocks;
}

} // namespace parlo::ui
