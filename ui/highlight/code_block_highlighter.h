// QML element that colours a TextEdit's document with spans from the shared CodeHighlighter:
//   CodeBlockHighlighter { document: code.textDocument; language: "cpp"; dark: Theme.dark }
// While a code block streams, at most one request is in flight; when it returns and the text
// has moved on, the latest text is sent.
#pragma once

#include "highlight/code_highlighter.h"

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QQuickTextDocument>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class SpanSyntaxHighlighter;

class CodeBlockHighlighter : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QQuickTextDocument *document READ document WRITE setDocument NOTIFY documentChanged)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY darkChanged)
    Q_PROPERTY(QColor background READ background NOTIFY resultChanged)
    Q_PROPERTY(QColor foreground READ foreground NOTIFY resultChanged)
    Q_PROPERTY(QString definition READ definition NOTIFY resultChanged)
    Q_PROPERTY(int spanCount READ spanCount NOTIFY resultChanged)

public:
    explicit CodeBlockHighlighter(QObject *parent = nullptr);
    // Tests give their own highlighter; QML uses the shared one.
    void setHighlighter(CodeHighlighter *highlighter);

    QQuickTextDocument *document() const { return m_document; }
    void setDocument(QQuickTextDocument *document);
    QString language() const { return m_language; }
    void setLanguage(const QString &language);
    bool dark() const { return m_dark; }
    void setDark(bool dark);
    QColor background() const { return m_result.background; }
    QColor foreground() const { return m_result.foreground; }
    QString definition() const { return m_result.definition; }
    int spanCount() const { return int(m_result.spans.size()); }

signals:
    void documentChanged();
    void languageChanged();
    void darkChanged();
    void resultChanged();

private:
    void requestIfNeeded(bool force = false);
    void onHighlighted(quint64 id, const HighlightResult &result);

    QPointer<CodeHighlighter> m_highlighter;
    QPointer<QQuickTextDocument> m_document;
    SpanSyntaxHighlighter *m_syntax = nullptr; // owned by the QTextDocument
    QString m_language;
    bool m_dark = false;
    quint64 m_inFlight = 0;
    QString m_requestedText;
    QString m_requestedKey; // language + theme of the last request
    HighlightResult m_result;
};

} // namespace parlo::ui
