#include "highlight/code_highlighter.h"

#include <QCoreApplication>
#include <QPointer>

#ifdef PARLO_HAVE_KF6_SYNTAX
#include "highlight/kf6_highlighter.h"
#else
#include "highlight/helper_highlighter_client.h"
#endif

namespace parlo::ui {

CodeHighlighter *createCodeHighlighter(QObject *parent)
{
#ifdef PARLO_HAVE_KF6_SYNTAX
    return new Kf6Highlighter(parent);
#else
    return new HelperHighlighterClient(HelperHighlighterClient::findHelper(), parent);
#endif
}

CodeHighlighter *sharedCodeHighlighter()
{
    static QPointer<CodeHighlighter> instance;
    if (!instance)
        instance = createCodeHighlighter(QCoreApplication::instance());
    return instance;
}

} // namespace parlo::ui
