// Drives the real QML window in-process, offscreen, with the keyboard where a user would:
// pick stories260K in the model picker, type and send, watch the answer stream into the view
// (with a highlighted code block) and persist, stop with Esc and regenerate, start a new chat
// with Ctrl+N, switch back, and find the first message with Ctrl+K search.
#include "app_context.h"
#include "qml_window_probe.h"
#include "test_data.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(ParloPlugin)

using namespace parlo::ui;

class TestGuiChat : public parlo::test::QmlWindowTest
{
    Q_OBJECT

    QString m_modelPath;


private slots:
    void initTestCase()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).mkpath("models");
        m_modelPath = m_dir.filePath("models/stories260K-F32.gguf");
        QVERIFY(QFile::link(model, m_modelPath));
        makeSettings(m_dir.filePath("models"));
        AppOptions options;
        options.fakeEngine = true;
        options.fakePieceDelayMs = 5;
        QVERIFY(openMainWindow(options));
    }

    void cleanupTestCase() { closeMainWindow(); }

    void composerWaitsForAModel()
    {
        QQuickItem *input = item("composerInput");
        QVERIFY(input);
        QVERIFY(!input->isEnabled());
        QVERIFY(windowShows(QStringLiteral("Choose a model at the top")));
    }

    void pickTheModel()
    {
        ModelController *models = m_app->models();
        QTRY_VERIFY_WITH_TIMEOUT(models->models()->rowOfPath(m_modelPath) >= 0, 20000);
        QQuickItem *picker = item("modelPicker");
        QVERIFY(picker);
        QMetaObject::invokeMethod(picker, "choose", Q_ARG(QVariant, models->models()->rowOfPath(m_modelPath)));
        QTRY_VERIFY_WITH_TIMEOUT(models->modelLoaded(), 20000);
        QTRY_VERIFY(windowShows(QStringLiteral("stories260K-F32")));
    }

    void sendAndSeeItStream()
    {
        QVERIFY(typeAndSend(QStringLiteral("Tell me about zebras")));
        ChatController *chat = m_app->chat();
        QTRY_VERIFY(chat->generating());
        // Part of the answer is on screen while it is still streaming.
        QTRY_VERIFY_WITH_TIMEOUT(windowShows(QStringLiteral("About your message")), 10000);
        QVERIFY(chat->generating());
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 20000);
        QVERIFY(windowShows(QStringLiteral("That is all for now.")));
        QVERIFY(windowShows(QStringLiteral("std::cout")));
        // Persisted in the store, with the model that wrote it.
        const auto stored = m_app->repository()->messages(chat->currentConversationId());
        QCOMPARE(stored.size(), 2);
        QVERIFY(stored[1].content.endsWith(QStringLiteral("That is all for now.")));
        QCOMPARE(stored[1].generation.modelFile, QStringLiteral("stories260K-F32.gguf"));
        // The footer under the answer names the quantization and the device too.
        QTRY_VERIFY(windowShows(QStringLiteral("stories260K-F32 · F32 · CPU · ")));
        // The composer was cleared after sending.
        QCOMPARE(item("composerInput")->property("text").toString(), QString());
    }

    void codeBlockIsHighlighted()
    {
        QObject *highlighter = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                     for (QObject *o : allObjects())
                                         if (o->inherits("parlo::ui::CodeBlockHighlighter")
                                             && o->property("spanCount").toInt() > 0)
                                             highlighter = o;
                                     return highlighter != nullptr;
                                 }()),
                                 20000);
        QCOMPARE(highlighter->property("definition").toString(), QStringLiteral("C++"));
    }

    void stopWithEscThenRegenerate()
    {
        ChatController *chat = m_app->chat();
        QVERIFY(typeAndSend(QStringLiteral("A second question")));
        QTRY_VERIFY(chat->generating());
        QTRY_VERIFY_WITH_TIMEOUT(chat->messages()->contentAt(3).size() > 20, 10000);
        QTest::keyClick(m_window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 10000);
        QVERIFY(!chat->messages()->contentAt(3).endsWith(QStringLiteral("That is all for now.")));
        QTRY_VERIFY(windowShows(QStringLiteral("stopped")));

        QQuickItem *regenerate = nullptr;
        QTRY_VERIFY(([&] {
            for (QObject *o : allObjects()) {
                auto *i = qobject_cast<QQuickItem *>(o);
                if (i && i->objectName() == QLatin1String("regenerateButton") && i->isVisible() && i->isEnabled()
                    && i->property("answerRow").toInt() == 3)
                    regenerate = i;
            }
            return regenerate != nullptr;
        }()));
        QMetaObject::invokeMethod(regenerate, "clicked");
        QTRY_VERIFY(chat->generating());
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 20000);
        QCOMPARE(chat->messages()->rowAt(3).siblingCount, 2);
        QTRY_VERIFY(windowShows(QStringLiteral("2/2")));
        QVERIFY(chat->messages()->contentAt(3).endsWith(QStringLiteral("That is all for now.")));
    }

    void newChatAndSwitchBack()
    {
        ChatController *chat = m_app->chat();
        const qint64 first = chat->currentConversationId();
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE(chat->currentConversationId(), 0);
        QCOMPARE(chat->messages()->rowCount(), 0);
        QVERIFY(typeAndSend(QStringLiteral("Something about giraffes")));
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating() && chat->messages()->rowCount() == 2, 20000);
        QVERIFY(chat->currentConversationId() != first);
        QCOMPARE(item("conversationList")->property("count").toInt(), 2);

        // Back with the mouse, on the sidebar entry, as a user goes back.
        const auto stored = m_app->repository()->conversation(first);
        QVERIFY(stored);
        QVERIFY(clickConversation(stored->title));
        QTRY_COMPARE(chat->currentConversationId(), first);
        QTRY_VERIFY(windowShows(QStringLiteral("Tell me about zebras")));
        QVERIFY2(m_qmlWarnings.isEmpty(), qPrintable(m_qmlWarnings.join(u'\n')));
        QCOMPARE(chat->messages()->contentAt(0), QStringLiteral("Tell me about zebras"));
    }

    void searchFindsTheMessage()
    {
        ChatController *chat = m_app->chat();
        chat->newChat();
        QTest::keyClick(m_window, Qt::Key_K, Qt::ControlModifier);
        QQuickItem *search = item("searchField");
        QTRY_VERIFY(search->hasActiveFocus());
        typeText(QStringLiteral("zebras"));
        QTRY_VERIFY(chat->searchResults()->rowCount() >= 1);
        QTRY_VERIFY(item("searchResults")->isVisible());
        QTest::keyClick(m_window, Qt::Key_Return);
        QTRY_VERIFY(chat->currentConversationId() != 0);
        QTRY_VERIFY(windowShows(QStringLiteral("Tell me about zebras")));
    }
};

QTEST_MAIN(TestGuiChat)
#include "test_gui_chat.moc"
