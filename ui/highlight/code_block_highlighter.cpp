#include "highlight/code_block_highlighter.h"

#include <QSyntaxHighlighter>
#include <QTextDocument>

namespace parlo::ui {

// Applies precomputed spans (absolute offsets in the document) block by block.
class SpanSyntaxHighlighter : public QSyntaxHighlighter
{
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

    void setSpans(QList<HighlightSpan> spans)
    {
        m_spans = std::move(spans);
        rehighlight();
    }

protected:
    void highlightBlock(const QString &text) override
    {
        const int blockStart = currentBlock().position();
        const int blockEnd = blockStart + int(text.size());
        for (const HighlightSpan &span : m_spans) {
            const int from = std::max(span.offset, blockStart);
            const int to = std::min(span.offset + span.length, blockEnd);
            if (from >= to)
                continue;
            QTextCharFormat format;
            format.setForeground(span.color);
            if (span.bold)
                format.setFontWeight(QFont::Bold);
            format.setFontItalic(span.italic);
            setFormat(from - blockStart, to - from, format);
        }
    }

private:
    QList<HighlightSpan> m_spans;
};

CodeBlockHighlighter::CodeBlockHighlighter(QObject *parent) : QObject(parent)
{
    setHighlighter(sharedCodeHighlighter());
}

void CodeBlockHighlighter::setHighlighter(CodeHighlighter *highlighter)
{
    if (m_highlighter)
        disconnect(m_highlighter, nullptr, this, nullptr);
    m_highlighter = highlighter;
    m_inFlight = 0;
    if (m_highlighter)
        connect(m_highlighter, &CodeHighlighter::highlighted, this, &CodeBlockHighlighter::onHighlighted);
    requestIfNeeded(true);
}

void CodeBlockHighlighter::setDocument(QQuickTextDocument *document)
{
    if (document == m_document)
        return;
    if (m_document)
        disconnect(m_document->textDocument(), nullptr, this, nullptr);
    delete m_syntax;
    m_syntax = nullptr;
    m_document = document;
    if (m_document && m_document->textDocument()) {
        m_syntax = new SpanSyntaxHighlighter(m_document->textDocument());
        connect(m_document->textDocument(), &QTextDocument::contentsChanged, this, [this] { requestIfNeeded(); });
    }
    emit documentChanged();
    requestIfNeeded(true);
}

void CodeBlockHighlighter::setLanguage(const QString &language)
{
    if (language == m_language)
        return;
    m_language = language;
    emit languageChanged();
    requestIfNeeded(true);
}

void CodeBlockHighlighter::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    emit darkChanged();
    requestIfNeeded(true);
}

void CodeBlockHighlighter::requestIfNeeded(bool force)
{
    if (!m_highlighter || !m_document || !m_document->textDocument() || m_inFlight)
        return;
    const QString text = m_document->textDocument()->toPlainText();
    const QString key = m_language + (m_dark ? QStringLiteral("/dark") : QStringLiteral("/light"));
    // Re-colouring does not change the text: this check also breaks the loop through
    // contentsChanged that rehighlight() may cause.
    if (!force && text == m_requestedText && key == m_requestedKey)
        return;
    m_requestedText = text;
    m_requestedKey = key;
    m_inFlight = m_highlighter->highlight(m_language, m_dark ? CodeHighlighter::Theme::Dark : CodeHighlighter::Theme::Light,
                                          text);
}

void CodeBlockHighlighter::onHighlighted(quint64 id, const HighlightResult &result)
{
    if (id != m_inFlight)
        return;
    m_inFlight = 0;
    m_result = result;
    if (m_syntax)
        m_syntax->setSpans(result.spans);
    emit resultChanged();
    requestIfNeeded();
}

} // namespace parlo::ui
