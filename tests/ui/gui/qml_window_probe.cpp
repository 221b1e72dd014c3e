#include "qml_window_probe.h"

#include <QtTest>

namespace parlo::test {

bool windowShows(QQuickWindow *window, const QString &needle)
{
    QList<QQuickItem *> stack = {window->contentItem()};
    while (!stack.isEmpty()) {
        QQuickItem *item = stack.takeLast();
        if (!item->isVisible())
            continue;
        const QVariant text = item->property("text");
        if (text.isValid() && text.toString().contains(needle))
            return true;
        stack.append(item->childItems());
    }
    return false;
}

QList<QObject *> allObjects(QQuickWindow *window)
{
    QList<QObject *> result;
    QList<QQuickItem *> stack = {window->contentItem()};
    while (!stack.isEmpty()) {
        QQuickItem *item = stack.takeLast();
        result.append(item);
        result.append(item->findChildren<QObject *>(QString(), Qt::FindDirectChildrenOnly));
        stack.append(item->childItems());
    }
    return result;
}

void typeText(QQuickWindow *window, const QString &text)
{
    for (QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

bool QmlWindowTest::typeAndSend(const QString &text)
{
    QQuickItem *input = item("composerInput");
    if (!input || !QTest::qWaitFor([input] { return input->isEnabled(); }, 5000))
        return false;
    input->forceActiveFocus();
    typeText(text);
    QTest::keyClick(m_window, Qt::Key_Return);
    return true;
}

} // namespace parlo::test
