// Runs a KSyntaxHighlighting definition over a whole text and collects the coloured spans.
#pragma once

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Theme>

#include <QColor>
#include <QString>
#include <QVector>

struct Span
{
    int offset = 0; // UTF-16 code units from the start of the text
    int length = 0;
    QColor color;
    bool bold = false;
    bool italic = false;
};

class SpanCollector : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    QVector<Span> highlight(const QString &text);

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override;

private:
    int m_lineStart = 0;
    QVector<Span> m_spans;
};
