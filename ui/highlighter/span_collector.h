// Runs a KSyntaxHighlighting definition over a whole text and collects the coloured spans,
// and finds the definition for a fence label. The one implementation of both: the Qt 5 helper
// (parlo-highlighter, KF5) and the in-process KF6 path (ui/highlight/kf6_highlighter.cpp)
// compile this same file, so it sticks to what KSyntaxHighlighting 5 and 6 and Qt 5 and 6
// share (QVector is QList on Qt 6). Where KF6 is missing, the helper's tests cover it.
#pragma once

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>

#include <QColor>
#include <QString>
#include <QVector>

namespace parlo::highlight {

struct Span
{
    int offset = 0; // UTF-16 code units from the start of the text
    int length = 0;
    QColor color;
    bool bold = false;
    bool italic = false;
};

// The definition for a fence label ("py", "C++", "rs" …): the alias table, then a definition
// of that name in any case, then the label as a file extension. Invalid for "", "-" and
// labels nothing matches (plain text).
KSyntaxHighlighting::Definition findDefinition(KSyntaxHighlighting::Repository &repository, const QString &language);

class SpanCollector : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    // Spans of every non-default-styled run, in text order, with the theme and definition set
    // beforehand (setTheme, setDefinition).
    QVector<Span> highlight(const QString &text);

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override;

private:
    int m_lineStart = 0;
    QVector<Span> m_spans;
};

} // namespace parlo::highlight
