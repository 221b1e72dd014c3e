#ifdef PARLO_HAVE_KF6_SYNTAX
#include "highlight/kf6_highlighter.h"
#include "highlighter/span_collector.h" // shared with the Qt 5 helper, which tests it where KF6 is missing

#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>

#include <QTimer>

namespace parlo::ui {

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
        const KSyntaxHighlighting::Definition def = parlo::highlight::findDefinition(*m_repository, language);
        result.definition = def.isValid() ? def.name() : QStringLiteral("None");
        if (def.isValid()) {
            parlo::highlight::SpanCollector collector;
            collector.setTheme(kTheme);
            collector.setDefinition(def);
            for (const parlo::highlight::Span &s : collector.highlight(text))
                result.spans.append({s.offset, s.length, s.color, s.bold, s.italic});
        }
        emit highlighted(id, result);
    });
    return id;
}

} // namespace parlo::ui
#endif
