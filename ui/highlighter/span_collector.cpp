#include "span_collector.h"

#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/State>

QVector<Span> SpanCollector::highlight(const QString &text)
{
    m_spans.clear();
    KSyntaxHighlighting::State state;
    int start = 0;
    while (start <= text.size()) {
        int end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
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
