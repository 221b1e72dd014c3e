// Looking into and typing at a live QML window, for the GUI tests.
#pragma once

#include "app_context.h"

#include <QList>
#include <QQmlApplicationEngine>
#include <QObject>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

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

// Base for GUI test classes: the app and its main window, built as main.cpp builds them, in a
// temporary folder, and the helpers above bound to that window.
class QmlWindowTest : public QObject
{
public:
    ~QmlWindowTest() override;

protected:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<parlo::ui::AppContext> m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
    // Every warning the QML engine reported (binding and handler errors included), in order.
    QStringList m_qmlWarnings;

    // m_settings in m_dir/parlo.ini, light theme; `modelFolder`, when given, as the added folder.
    void makeSettings(const QString &modelFolder = {});
    // The app on `options` (with m_settings) and Main.qml shown in m_window; false when the
    // window does not come up.
    bool openMainWindow(parlo::ui::AppOptions options);
    // The window, then the app: QML bindings must not outlive the controllers they read.
    void closeMainWindow();

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
    // Clicks, with the mouse, the visible sidebar entry titled `title`; false when there is none.
    bool clickConversation(const QString &title);
    // The visible item of the visual tree whose objectName is `name` and whose `text` is `text`.
    QQuickItem *visibleItem(const char *name, const QString &text);
};

} // namespace parlo::test
