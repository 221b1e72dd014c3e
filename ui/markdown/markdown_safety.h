// Markdown from a model (or an imported conversation) is untrusted: Qt's Markdown renderer would
// fetch `![x](http://host/…)` images and hand raw HTML (`<img>`, `style="…url()"`, `<link>`) to
// its HTML parser, which loads what they name, so one rendered answer could send the chat to a
// server. This rewrites a prose block before it reaches TextEdit.MarkdownText:
// - every image becomes a link that says where it points: "[image: alt → http://host/…](…)";
// - raw HTML is shown as text (its `<` is escaped), except a `<br>` inside a line;
// - code spans, autolinks, entities and everything else are kept as they are.
// The QML engine's network manager refuses remote requests too (offline_network_factory.h);
// this is the layer that keeps the answer readable and says what it tried to load.
#pragma once

#include <QString>
#include <QStringView>

namespace parlo::ui {

// Never fails, linear in the length of `markdown`; the result contains no image and no HTML
// besides `<br/>`.
QString neutraliseMarkdown(QStringView markdown);

} // namespace parlo::ui
