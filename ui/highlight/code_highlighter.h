// Syntax highlighting for fenced code, by KDE Syntax Highlighting. One interface, two
// implementations picked at build time: in-process KF6 where KF6SyntaxHighlighting exists,
// otherwise a client of the out-of-process Qt 5 helper (parlo-highlighter). Both answer
// asynchronously so the GUI thread never waits.
#pragma once

#include <QColor>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

namespace parlo::ui {

struct HighlightSpan
{
    int offset = 0; // UTF-16 code units from the start of the text
    int length = 0;
    QColor color;
    bool bold = false;
    bool italic = false;

    bool operator==(const HighlightSpan &other) const = default;
};

struct HighlightResult
{
    QList<HighlightSpan> spans;
    QColor background;    // the theme's editor background
    QColor foreground;    // the theme's normal text colour
    QString definition;   // KDE definition used, "None" for plain text
};

} // namespace parlo::ui

Q_DECLARE_METATYPE(parlo::ui::HighlightResult)

namespace parlo::ui {

class CodeHighlighter : public QObject
{
    Q_OBJECT

public:
    enum class Theme { Light, Dark };

    using QObject::QObject;

    // Starts highlighting `text`; the answer comes as highlighted(id, …), always, exactly
    // once per id (a text the engine cannot highlight gets zero spans).
    virtual quint64 highlight(const QString &language, Theme theme, const QString &text) = 0;
    virtual QString implementationName() const = 0;

signals:
    void highlighted(quint64 id, const parlo::ui::HighlightResult &result);
};

// The build's implementation. `parent` owns it.
CodeHighlighter *createCodeHighlighter(QObject *parent);
// The process-wide instance the QML code blocks share.
CodeHighlighter *sharedCodeHighlighter();

} // namespace parlo::ui
