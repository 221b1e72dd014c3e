// `parlo --screenshot FILE`: once the window has rendered and any model load has settled, and
// the code highlighter has had time to answer, save the window as PNG and quit (exit 1 on failure).
#pragma once

#include <QString>

class QQuickWindow;

namespace parlo::ui {

class ModelController;

void saveScreenshotWhenReady(QQuickWindow *window, ModelController *models, const QString &file);

} // namespace parlo::ui
