// The desktop app as shipped: the real engine (EngineAdapter over parlo::Engine, CPU) and the
// SQLite history, driven offscreen through the QML window on stories260K. Pick the model, send,
// watch the answer stream in and land in the database (read back with a second store), stop
// mid-answer, regenerate, switch conversations, and find a message with search.
#include "app_context.h"
#include "chat/sqlite_conversation_repository.h"
#include "qml_window_probe.h"
#include "storage/history_store.h"
#include "test_data.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(ParloPlugin)

using namespace parlo::ui;
namespace storage = parlo::storage;

class TestGuiRealEngine : public parlo::test::QmlWindowTest
{
    Q_OBJECT

    QString m_modelPath;
    QString m_dbPath;

    // The database as another process would see it.
    storage::Conversation readBack(qint64 id)
    {
        // The window's writes run on the store's thread and are not waited for; a second
        // connection (another process, here) sees them once they have run.
        auto *repository = dynamic_cast<parlo::app::SqliteConversationRepository *>(m_app->repository());
        if (!repository)
            return {};
        repository->waitForWrites();
        storage::HistoryStore store;
        auto opened = store.open(m_dbPath);
        if (!opened)
            return {};
        auto c = store.conversation(id);
        return c ? *c : storage::Conversation();
    }



private slots:
    void initTestCase()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).mkpath("models");
        m_modelPath = m_dir.filePath("models/stories260K-F32.gguf");
        QVERIFY(QFile::link(model, m_modelPath));
        m_dbPath = m_dir.filePath("data/history.sqlite");
        makeSettings(m_dir.filePath("models"));
        // Long answers at a high temperature, so that there is something to stop.
        m_settings->setValue("maxTokens", 1500);
        m_settings->setValue("contextLength", 2048);
        m_settings->setValue("temperature", 1.0);
        m_settings->setValue("seed", 3);
        AppOptions options;
        options.fakeEngine = false;
        options.device = QStringLiteral("cpu");
        options.historyPath = m_dbPath;
        QVERIFY(openMainWindow(options));
    }

    void cleanupTestCase() { closeMainWindow(); }

    void pickTheModel()
    {
        ModelController *models = m_app->models();
        QVERIFY2(models->engineName().isEmpty(), "the real engine must not be labelled as the mock");
        QTRY_VERIFY_WITH_TIMEOUT(models->models()->rowOfPath(m_modelPath) >= 0, 20000);
        QQuickItem *picker = item("modelPicker");
        QVERIFY(picker);
        QMetaObject::invokeMethod(picker, "choose", Q_ARG(QVariant, models->models()->rowOfPath(m_modelPath)));
        QTRY_VERIFY_WITH_TIMEOUT(models->modelLoaded(), 20000);
        QVERIFY(models->deviceName().startsWith(QStringLiteral("CPU")));
        QVERIFY(!windowShows(QStringLiteral("Mock engine")));
        // stories260K has no chat template: the fallback is announced in the status bar.
        QVERIFY(!models->promptNotice().isEmpty());
        QTRY_VERIFY(item("promptNoticeLabel")->isVisible());
    }

    void sendStreamsAndPersists()
    {
        ChatController *chat = m_app->chat();
        QVERIFY(typeAndSend(QStringLiteral("Tell me about zebras")));
        QTRY_VERIFY(chat->generating() || chat->messages()->rowCount() == 2);
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 60000);
        QCOMPARE(chat->messages()->rowCount(), 2);
        const QString answer = chat->messages()->contentAt(1);
        QVERIFY(!answer.trimmed().isEmpty());
        QTRY_VERIFY(windowShows(answer.trimmed().left(12)));

        const storage::Conversation stored = readBack(chat->currentConversationId());
        const auto path = stored.activePath();
        QCOMPARE(path.size(), 2);
        QCOMPARE(path[0]->content, QStringLiteral("Tell me about zebras"));
        QCOMPARE(path[1]->content, answer);
        QCOMPARE(path[1]->state, storage::MessageState::Done);
        QVERIFY(path[1]->generation.has_value());
        QVERIFY(path[1]->generation->generatedTokens.value_or(0) > 0);
        QVERIFY(path[1]->generation->finishReason == storage::FinishReason::Stop
                || path[1]->generation->finishReason == storage::FinishReason::Length);
        // The record `parlo-cli chat` writes: quantization from the GGUF, the engine's device,
        // the seed drawn and the sampler used.
        const storage::GenerationInfo &g = *path[1]->generation;
        QCOMPARE(g.modelFile, QStringLiteral("stories260K-F32.gguf"));
        QCOMPARE(g.quantization, QStringLiteral("F32"));
        QVERIFY2(g.device.startsWith(QStringLiteral("CPU")), qPrintable(g.device));
        QVERIFY(g.seed.has_value());
        QVERIFY(g.sampler.contains(QStringLiteral("temperature")));
        QVERIFY(g.promptTokens.value_or(0) > 0);
        QVERIFY(g.prefillTokensPerSecond.value_or(0) > 0);
    }

    void stopThenRegenerate()
    {
        ChatController *chat = m_app->chat();
        // Stop at the first piece shown: the answer is then cut well before its end.
        bool stopped = false;
        auto connection = connect(chat->messages(), &QAbstractItemModel::dataChanged, this, [&] {
            if (!stopped && chat->generating() && chat->messages()->rowCount() == 4
                && !chat->messages()->contentAt(3).isEmpty()) {
                stopped = true;
                chat->stop(); // what Esc does; a key click from inside a model update would re-enter it
            }
        });
        QVERIFY(typeAndSend(QStringLiteral("Once upon a time")));
        QTRY_VERIFY_WITH_TIMEOUT(stopped && !chat->generating(), 60000);
        disconnect(connection);
        const qint64 id = chat->currentConversationId();
        storage::Conversation stored = readBack(id);
        auto path = stored.activePath();
        QCOMPARE(path.size(), 4);
        QVERIFY(path[3]->generation.has_value());
        QCOMPARE(path[3]->generation->finishReason, storage::FinishReason::User);
        QTRY_VERIFY(windowShows(QStringLiteral("stopped")));

        QVERIFY(chat->regenerate(3));
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 60000);
        QCOMPARE(chat->messages()->rowAt(3).siblingCount, 2);
        stored = readBack(id);
        path = stored.activePath();
        QCOMPARE(path.size(), 4);
        QCOMPARE(stored.siblings(path[3]->id).size(), 2);
        QCOMPARE(path[3]->content, chat->messages()->contentAt(3));
    }

    void switchConversationsAndSearch()
    {
        ChatController *chat = m_app->chat();
        const qint64 first = chat->currentConversationId();
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        QTRY_COMPARE(chat->currentConversationId(), 0);
        QVERIFY(typeAndSend(QStringLiteral("Something about giraffes")));
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating() && chat->messages()->rowCount() == 2, 60000);
        QVERIFY(chat->currentConversationId() != first);
        QCOMPARE(item("conversationList")->property("count").toInt(), 2);

        chat->openConversation(first);
        QTRY_VERIFY(windowShows(QStringLiteral("Tell me about zebras")));

        chat->newChat();
        QTest::keyClick(m_window, Qt::Key_K, Qt::ControlModifier);
        QQuickItem *search = item("searchField");
        QTRY_VERIFY(search->hasActiveFocus());
        typeText(QStringLiteral("giraffes"));
        QTRY_VERIFY(chat->searchResults()->rowCount() >= 1);
        QTest::keyClick(m_window, Qt::Key_Return);
        QTRY_VERIFY(chat->currentConversationId() != 0 && chat->currentConversationId() != first);
        QTRY_VERIFY(windowShows(QStringLiteral("Something about giraffes")));
    }
};

QTEST_MAIN(TestGuiRealEngine)
#include "test_gui_real_engine.moc"
