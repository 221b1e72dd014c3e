#include "span_collector.h"

#include "highlight/language_aliases.h"

#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/State>

namespace parlo::highlight {

KSyntaxHighlighting::Definition findDefinition(KSyntaxHighlighting::Repository &repository, const QString &language)
{
    if (language.isEmpty() || language == QLatin1String("-"))
        return {};
    if (auto def = repository.definitionForName(kdeDefinitionName(language)); def.isValid())
        return def;
    const auto definitions = repository.definitions();
    for (const auto &def : definitions)
        if (def.name().compare(language, Qt::CaseInsensitive) == 0)
            return def;
    return repository.definitionForFileName(QStringLiteral("file.") + language.toLower());
}

QVector<Span> SpanCollector::highlight(const QString &text)
{
    m_spans.clear();
    KSyntaxHighlighting::State state;
    // Line by line, carrying the state, with offsets made relative to the whole text.
    int start = 0;
    const int size = int(text.size());
    while (start <= size) {
        int end = int(text.indexOf(QLatin1Char('\n'), start));
        if (end < 0)
            end = size;
        m_lineStart = start;
        state = highlightLine(QStringView(text).mid(start, end - start), state);
        start = end + 1;
    }
    return m_spans;
}

void SpanCollector::applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format)
{
    if (length <= 0 || !format.isValid())
        return;
    const KSyntaxHighlighting::Theme &t = theme();
    // Default-styled text needs no span: the client paints it in the theme's normal colour.
    if (format.isDefaultTextStyle(t))
        return;
    Span span;
    span.offset = m_lineStart + offset;
    span.length = length;
    span.color = format.textColor(t);
    span.bold = format.isBold(t);
    span.italic = format.isItalic(t);
    m_spans.append(span);
}

} // namespace parlo::highlight
