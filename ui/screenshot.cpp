#include "screenshot.h"

#include "controllers/model_controller.h"

#include <QCoreApplication>
#include <QImage>
#include <QQuickWindow>
#include <QTimer>

namespace parlo::ui {

void saveScreenshotWhenReady(QQuickWindow *window, ModelController *models, const QString &file)
{
    auto *poll = new QTimer(window);
    poll->setInterval(200);
    auto ticks = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, window, [=] {
        ++*ticks;
        // Wait for scanning and loading to settle (at most ~20 s), then a little more so
        // highlighting replies and the scroll position land.
        const bool settled = !models->scanning() && !models->loading();
        if (!settled && *ticks < 100)
            return;
        poll->stop();
        QTimer::singleShot(1500, window, [=] {
            const QImage image = window->grabWindow();
            const bool ok = !image.isNull() && image.save(file, "PNG");
            QCoreApplication::exit(ok ? 0 : 1);
        });
    });
    poll->start();
}

} // namespace parlo::ui
