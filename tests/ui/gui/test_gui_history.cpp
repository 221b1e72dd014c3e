// The history stays readable without a model, and the sidebar works with the mouse: a profile
// with saved conversations and no model at all shows the first-run page beside the sidebar;
// clicking a conversation there (a real mouse click on its entry) shows its messages, without a
// single QML warning, and "New chat" brings the first-run page back. And the settings' "Allow
// network access" switch, off by default, turns the app's network door on and off.
#include "app_context.h"
#include "chat/sqlite_conversation_repository.h"
#include "qml_window_probe.h"

#include <QQuickItem>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(ParloPlugin)

using namespace parlo::ui;

class TestGuiHistory : public parlo::test::QmlWindowTest
{
    Q_OBJECT

    qint64 m_first = 0;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // No model anywhere: not in Parlo's folder, nor in other apps' folders under home.
        qputenv("HOME", m_dir.filePath("home").toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath("home/.local/share").toUtf8());
        qputenv("XDG_CACHE_HOME", m_dir.filePath("home/.cache").toUtf8());
        const QString history = m_dir.filePath("history.db");
        {
            parlo::app::SqliteConversationRepository repo;
            QVERIFY(repo.open(history).ok());
            for (const QString &title : {QStringLiteral("Zebra facts"), QStringLiteral("Giraffe facts")}) {
                const qint64 id = repo.createConversation(title);
                parlo::app::StoredMessage question;
                question.conversationId = id;
                question.role = QStringLiteral("user");
                question.content = QStringLiteral("Tell me about %1").arg(title);
                const qint64 questionId = repo.addMessage(question);
                parlo::app::StoredMessage answer;
                answer.conversationId = id;
                answer.parentId = questionId;
                answer.role = QStringLiteral("assistant");
                answer.content = QStringLiteral("Here is what I know about %1.").arg(title);
                repo.setCurrentLeaf(id, repo.addMessage(answer));
                if (!m_first)
                    m_first = id;
            }
        }
        AppOptions options;
        options.fakeEngine = true;
        options.historyPath = history;
        QVERIFY(openMainWindow(options));
    }

    void cleanupTestCase() { closeMainWindow(); }

    void firstRunPageKeepsTheSidebar()
    {
        QTRY_VERIFY(item("firstRunPage") && item("firstRunPage")->isVisible());
        QCOMPARE(m_app->models()->models()->rowCount(), 0);
        QTRY_VERIFY(visibleItem("conversationEntry", QStringLiteral("Zebra facts")));
        QVERIFY(visibleItem("conversationEntry", QStringLiteral("Giraffe facts")));
    }

    void clickingAConversationShowsIt()
    {
        QVERIFY(clickConversation(QStringLiteral("Zebra facts")));
        QTRY_COMPARE(m_app->chat()->currentConversationId(), m_first);
        QTRY_VERIFY(windowShows(QStringLiteral("Here is what I know about Zebra facts.")));
        QVERIFY(windowShows(QStringLiteral("Tell me about Zebra facts")));
        QVERIFY(!item("firstRunPage")->isVisible());
        // The entry is highlighted and the other one can be clicked next.
        QVERIFY(clickConversation(QStringLiteral("Giraffe facts")));
        QTRY_VERIFY(windowShows(QStringLiteral("Here is what I know about Giraffe facts.")));
        QVERIFY2(m_qmlWarnings.isEmpty(), qPrintable(m_qmlWarnings.join(u'\n')));
    }

    void newChatShowsTheFirstRunPageAgain()
    {
        QQuickItem *newChat = item("newChatButton");
        QVERIFY(newChat);
        const QPointF centre = newChat->mapToScene(QPointF(newChat->width() / 2, newChat->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        QTRY_COMPARE(m_app->chat()->currentConversationId(), 0);
        QTRY_VERIFY(item("firstRunPage")->isVisible());
        QVERIFY(visibleItem("conversationEntry", QStringLiteral("Zebra facts")));
        QVERIFY2(m_qmlWarnings.isEmpty(), qPrintable(m_qmlWarnings.join(u'\n')));
    }

    void networkSwitchInTheSettings()
    {
        auto click = [this](QQuickItem *target) {
            const QPointF centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
            QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        };
        QVERIFY(!m_app->network()->allowed()); // off by default
        QTest::keyClick(m_window, Qt::Key_Comma, Qt::ControlModifier);
        QTRY_VERIFY(item<QObject>("settingsDialog")->property("visible").toBool());
        QQuickItem *tab = item("networkTab");
        QVERIFY(tab);
        QTRY_VERIFY(tab->isVisible() && tab->width() > 0);
        click(tab);
        QQuickItem *toggle = item("networkSwitch");
        QTRY_VERIFY(toggle->isVisible());
        QVERIFY(!toggle->property("checked").toBool());
        click(toggle);
        QTRY_VERIFY(m_app->network()->allowed());
        QVERIFY(toggle->property("checked").toBool());
        QVERIFY(m_settings->value(parlo::app::NetworkAccess::settingsKey()).toBool());
        click(toggle);
        QTRY_VERIFY(!m_app->network()->allowed());
        QVERIFY(!m_settings->value(parlo::app::NetworkAccess::settingsKey()).toBool());
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY(!item<QObject>("settingsDialog")->property("visible").toBool());
        QVERIFY2(m_qmlWarnings.isEmpty(), qPrintable(m_qmlWarnings.join(u'\n')));
    }
};

QTEST_MAIN(TestGuiHistory)
#include "test_gui_history.moc"
