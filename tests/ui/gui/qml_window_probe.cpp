#include "qml_window_probe.h"

#include <QQmlApplicationEngine>
#include <QQmlError>
#include <QQuickStyle>
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

QmlWindowTest::~QmlWindowTest() { closeMainWindow(); }

void QmlWindowTest::makeSettings(const QString &modelFolder)
{
    m_settings = std::make_unique<QSettings>(m_dir.filePath("parlo.ini"), QSettings::IniFormat);
    m_settings->setValue("theme", "light");
    if (!modelFolder.isEmpty())
        m_settings->setValue("modelFolders", QStringList{modelFolder});
}

bool QmlWindowTest::openMainWindow(parlo::ui::AppOptions options)
{
    if (!m_settings)
        makeSettings();
    options.settings = m_settings.get();
    m_app = std::make_unique<parlo::ui::AppContext>(options);
    QQuickStyle::setStyle("Basic");
    m_engine = std::make_unique<QQmlApplicationEngine>();
    QObject::connect(m_engine.get(), &QQmlEngine::warnings, m_engine.get(), [this](const QList<QQmlError> &warnings) {
        for (const QQmlError &warning : warnings) {
            m_qmlWarnings.append(warning.toString());
            qWarning().noquote() << warning.toString();
        }
    });
    m_app->prepareEngine(*m_engine);
    m_engine->load(QUrl(QStringLiteral("qrc:/Parlo/Main.qml")));
    if (m_engine->rootObjects().size() != 1)
        return false;
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
    if (!m_window)
        return false;
    m_window->requestActivate();
    return QTest::qWaitForWindowExposed(m_window);
}

void QmlWindowTest::closeMainWindow()
{
    m_window = nullptr;
    m_engine.reset();
    m_app.reset();
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

bool QmlWindowTest::clickConversation(const QString &title)
{
    QQuickItem *entry = visibleItem("conversationEntry", title);
    if (!entry)
        return false;
    const QPointF centre = entry->mapToScene(QPointF(entry->width() / 2, entry->height() / 2));
    QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    return true;
}

QQuickItem *QmlWindowTest::visibleItem(const char *name, const QString &text)
{
    for (QObject *o : allObjects()) {
        auto *i = qobject_cast<QQuickItem *>(o);
        if (i && i->objectName() == QLatin1String(name) && i->isVisible() && i->property("text").toString() == text)
            return i;
    }
    return nullptr;
}

} // namespace parlo::test
