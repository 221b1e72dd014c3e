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

// Base for GUI test classes: the helpers above, bound to the window under test.
class QmlWindowTest : public QObject
{
protected:
    QQuickWindow *m_window = nullptr;

    template<typename T = QQuickItem>
    T *item(const char *name)
    {
        return findItem<T>(m_window, name);
    }
    bool windowShows(const QString &needle) { return parlo::test::windowShows(m_window, needle); }
    QList<QObject *> allObjects() { return parlo::test::allObjects(m_window); }
    void typeText(const QString &text) { parlo::test::typeText(m_window, text); }
    // Types into the composer once it is enabled and presses Enter, as a user sends a message.
    // False when there is no composer or it stays disabled.
    bool typeAndSend(const QString &text);
};

} // namespace parlo::test
