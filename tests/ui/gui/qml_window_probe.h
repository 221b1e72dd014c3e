// Looking into and typing at a live QML window, for the GUI tests.
#pragma once

#include <QList>
#include <QObject>
#include <QQuickItem>
#include <QQuickWindow>
#include <QString>

namespace parlo::test {

// The item with this objectName anywhere under the window (QObject children).
template<typename T = QQuickItem>
T *findItem(QQuickWindow *window, const char *name)
{
    return window->findChild<T *>(QString::fromLatin1(name));
}

// Any visible text item whose text contains `needle`. Walks the visual tree, because delegates
// made by views and loaders are not QObject children of the window.
bool windowShows(QQuickWindow *window, const QString &needle);

// Every item of the visual tree and their direct QObject children (Shortcuts, Timers …).
QList<QObject *> allObjects(QQuickWindow *window);

// Key clicks for each character (QTest::keyClicks exists only for widgets).
void typeText(QQuickWindow *window, const QString &text);

} // namespace parlo::test
