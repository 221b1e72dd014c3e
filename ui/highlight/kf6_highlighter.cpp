#ifdef PARLO_HAVE_KF6_SYNTAX
#include "highlight/kf6_highlighter.h"
#include "highlight/language_aliases.h"

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>

#include <QTimer>

namespace parlo::ui {

namespace {

class Collector : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    QList<HighlightSpan> run(const QString &text)
    {
        m_spans.clear();
        KSyntaxHighlighting::State state;
        qsizetype start = 0;
        while (start <= text.size()) {
            qsizetype end = text.indexOf(u'\n', start);
            if (end < 0)
                end = text.size();
            m_lineStart = int(start);
            state = highlightLine(QStringView(text).mid(start, end - start), state);
            start = end + 1;
        }
        return m_spans;
    }

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override
    {
        if (length <= 0 || !format.isValid() || format.isDefaultTextStyle(theme()))
            return;
        m_spans.append({m_lineStart + offset, length, format.textColor(theme()), format.isBold(theme()),
                        format.isItalic(theme())});
    }

private:
    int m_lineStart = 0;
    QList<HighlightSpan> m_spans;
};

} // namespace

Kf6Highlighter::Kf6Highlighter(QObject *parent)
    : CodeHighlighter(parent), m_repository(std::make_unique<KSyntaxHighlighting::Repository>())
{
}

Kf6Highlighter::~Kf6Highlighter() = default;

quint64 Kf6Highlighter::highlight(const QString &language, Theme theme, const QString &text)
{
    const quint64 id = m_nextId++;
    QTimer::singleShot(0, this, [this, id, language, theme, text] {
        const auto kTheme = m_repository->defaultTheme(theme == Theme::Dark
                                                           ? KSyntaxHighlighting::Repository::DarkTheme
                                                           : KSyntaxHighlighting::Repository::LightTheme);
        HighlightResult result;
        result.background = QColor(kTheme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor));
        result.foreground = QColor(kTheme.textColor(KSyntaxHighlighting::Theme::Normal));
        KSyntaxHighlighting::Definition def = m_repository->definitionForName(parlo::highlight::kdeDefinitionName(language));
        if (!def.isValid())
            def = m_repository->definitionForFileName(QStringLiteral("file.") + language.toLower());
        result.definition = def.isValid() ? def.name() : QStringLiteral("None");
        if (def.isValid() && !language.isEmpty()) {
            Collector collector;
            collector.setTheme(kTheme);
            collector.setDefinition(def);
            result.spans = collector.run(text);
        }
        emit highlighted(id, result);
    });
    return id;
}

} // namespace parlo::ui
#endif
