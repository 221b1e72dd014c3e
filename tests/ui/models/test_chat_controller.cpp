// The controllers end to end on the mock engine: pick a model from a scanned folder, send,
// stream, stop, regenerate (sibling answers), edit-and-resend (sibling questions), page
// between siblings, search, rename/pin/delete, and cancel a load.
#include "app_context.h"
#include "chat/fake_engine.h"
#include "test_data.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo;
using namespace parlo::ui;

class TestChatController : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<AppContext> m_app;
    QString m_modelPath;

    void waitIdle()
    {
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->chat()->generating(), 20000);
    }

private slots:
    void initTestCase()
    {
        PARLO_REQUIRE_TEST_FILE(source, "models/stories260K-F32.gguf");
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path()).mkpath("models");
        m_modelPath = m_dir.filePath("models/stories260K-F32.gguf");
        QVERIFY(QFile::link(source, m_modelPath));
        m_settings = std::make_unique<QSettings>(m_dir.filePath("parlo.ini"), QSettings::IniFormat);
        m_settings->setValue("modelFolders", QStringList{m_dir.filePath("models")});
        AppOptions options;
        options.settings = m_settings.get();
        options.fakeEngine = true;
        options.fakePieceDelayMs = 2;
        m_app = std::make_unique<AppContext>(options);
    }

    void cleanupTestCase() { m_app.reset(); }

    void scansAndLoads()
    {
        ModelController *models = m_app->models();
        QAbstractItemModelTester tester(models->models(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(!models->scanning() && models->models()->rowOfPath(m_modelPath) >= 0, 20000);
        QSignalSpy progress(models, &ModelController::loadProgressChanged);
        models->load(m_modelPath);
        QVERIFY(models->loading());
        QTRY_VERIFY_WITH_TIMEOUT(models->modelLoaded(), 10000);
        QVERIFY(progress.count() >= 2);
        QCOMPARE(models->loadedName(), QStringLiteral("stories260K-F32"));
        QVERIFY(!models->deviceReason().isEmpty());
    }

    void sendStreamsAndPersists()
    {
        ChatController *chat = m_app->chat();
        QAbstractItemModelTester messagesTester(chat->messages(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester listTester(chat->conversations(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(chat->messages(), &QAbstractItemModel::dataChanged);
        QVERIFY(!chat->send(QStringLiteral("   ")));
        QVERIFY(chat->send(QStringLiteral("Tell me about zebras")));
        QVERIFY(chat->generating());
        QCOMPARE(chat->messages()->rowCount(), 2);
        waitIdle();
        const QString expected = QString::fromStdString(app::FakeEngine::cannedAnswer("Tell me about zebras"));
        QCOMPARE(chat->messages()->contentAt(1), expected);
        QVERIFY2(changed.count() > 20, "the answer should arrive piece by piece");
        const auto stored = m_app->repository()->messages(chat->currentConversationId());
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[1].content, expected);
        QCOMPARE(stored[1].generation.modelFile, QStringLiteral("stories260K-F32.gguf"));
        QVERIFY(stored[1].complete);
        QVERIFY(stored[1].generation.generatedTokens.value_or(0) > 20);
        QCOMPARE(chat->conversations()->rowCount(), 1);
        QCOMPARE(chat->currentTitle(), QStringLiteral("Tell me about zebras"));
        QVERIFY(chat->contextUsed() > 0);
    }

    void openingAConversationCountsItsContext()
    {
        // The meter shows how full the context is as soon as a conversation is opened, not
        // only after the next answer: the worker counts the branch with the model's layout.
        ChatController *chat = m_app->chat();
        const qint64 id = chat->currentConversationId();
        const int afterAnswer = chat->contextUsed();
        chat->newChat();
        QCOMPARE(chat->contextUsed(), 0);
        QSignalSpy counted(chat, &ChatController::contextChanged);
        chat->openConversation(id);
        QTRY_VERIFY_WITH_TIMEOUT(chat->contextUsed() > 0, 5000);
        // The branch plus the prompt for the next answer, counted as the mock engine counts:
        // what the last answer left in the context, give or take the next answer's prompt.
        std::vector<app::ChatTurn> turns;
        for (int row = 0; row < chat->messages()->rowCount(); ++row) {
            const auto &m = chat->messages()->rowAt(row).message;
            turns.push_back({m.role == u"user" ? app::ChatTurn::Role::User : app::ChatTurn::Role::Assistant,
                             m.content.toStdString()});
        }
        app::FakeEngine reference;
        QCOMPARE(chat->contextUsed(), *reference.countTokens(turns));
        QVERIFY(std::abs(chat->contextUsed() - afterAnswer) < 16);
    }

    void stopThenRegenerate()
    {
        ChatController *chat = m_app->chat();
        QVERIFY(chat->send(QStringLiteral("Second question")));
        QTRY_VERIFY_WITH_TIMEOUT(chat->messages()->contentAt(3).size() > 10, 10000);
        chat->stop();
        waitIdle();
        const QString partial = chat->messages()->contentAt(3);
        QVERIFY(partial.size() < int(app::FakeEngine::cannedAnswer("Second question").size()));
        QCOMPARE(chat->messages()->rowAt(3).message.complete, false);

        QVERIFY(chat->regenerate(3));
        waitIdle();
        QCOMPARE(chat->messages()->rowCount(), 4);
        QCOMPARE(chat->messages()->rowAt(3).siblingCount, 2);
        QCOMPARE(chat->messages()->rowAt(3).siblingIndex, 1);
        QVERIFY(chat->messages()->rowAt(3).message.complete);

        chat->showSibling(3, -1);
        QCOMPARE(chat->messages()->rowAt(3).siblingIndex, 0);
        QCOMPARE(chat->messages()->contentAt(3), partial);
        chat->showSibling(3, -1); // already the first: nothing happens
        QCOMPARE(chat->messages()->rowAt(3).siblingIndex, 0);
        chat->showSibling(3, 1);
        QCOMPARE(chat->messages()->rowAt(3).siblingIndex, 1);
    }

    void editStartsABranch()
    {
        ChatController *chat = m_app->chat();
        QVERIFY(!chat->editAndResend(1, QStringLiteral("not a user message")));
        QVERIFY(chat->editAndResend(0, QStringLiteral("Tell me about horses")));
        waitIdle();
        QCOMPARE(chat->messages()->rowCount(), 2);
        QCOMPARE(chat->messages()->rowAt(0).siblingCount, 2);
        QCOMPARE(chat->messages()->contentAt(0), QStringLiteral("Tell me about horses"));
        chat->showSibling(0, -1);
        // Back on the first branch, down to its newest leaf.
        QCOMPARE(chat->messages()->rowCount(), 4);
        QCOMPARE(chat->messages()->contentAt(2), QStringLiteral("Second question"));
    }

    void searchRenamePinDelete()
    {
        ChatController *chat = m_app->chat();
        const qint64 first = chat->currentConversationId();
        chat->newChat();
        QCOMPARE(chat->messages()->rowCount(), 0);
        QVERIFY(chat->send(QStringLiteral("Something about giraffes")));
        waitIdle();
        const qint64 second = chat->currentConversationId();
        QVERIFY(second != first);
        QCOMPARE(chat->conversations()->rowCount(), 2);

        QAbstractItemModelTester tester(chat->searchResults(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        chat->setSearchQuery(QStringLiteral("horses"));
        QVERIFY(chat->searchResults()->rowCount() >= 1);
        const int row = chat->openSearchHit(0);
        QCOMPARE(chat->currentConversationId(), first);
        QVERIFY(row >= 0);
        QVERIFY(chat->messages()->contentAt(row).contains(u"horses"));
        chat->setSearchQuery(QStringLiteral("no such words anywhere"));
        QCOMPARE(chat->searchResults()->rowCount(), 0);

        chat->renameConversation(first, QStringLiteral("Animals"));
        chat->setPinned(first, true);
        QCOMPARE(chat->conversations()->data(chat->conversations()->index(0), ConversationListModel::TitleRole).toString(),
                 QStringLiteral("Animals"));
        QCOMPARE(chat->conversations()->data(chat->conversations()->index(0), ConversationListModel::SectionRole).toString(),
                 QStringLiteral("Pinned"));
        chat->deleteConversation(first);
        QCOMPARE(chat->conversations()->rowCount(), 1);
        QCOMPARE(chat->currentConversationId(), 0);
        QVERIFY(!m_app->repository()->conversation(first));
    }

    void systemPromptIsPerConversation()
    {
        ChatController *chat = m_app->chat();
        chat->openConversation(chat->conversations()->idAt(0));
        chat->setSystemPrompt(QStringLiteral("Be brief."));
        QCOMPARE(chat->systemPrompt(), QStringLiteral("Be brief."));
        chat->newChat();
        QCOMPARE(chat->systemPrompt(), QString());
    }

    void cancelLoad()
    {
        ModelController *models = m_app->models();
        models->load(m_modelPath + QStringLiteral(".missing"));
        QTRY_VERIFY_WITH_TIMEOUT(!models->loading(), 10000);
        QVERIFY(models->loadError().contains(u"no such file"));
        QVERIFY(!models->modelLoaded());
        QVERIFY(!m_app->chat()->send(QStringLiteral("no model")));
        QVERIFY(!m_app->chat()->lastError().isEmpty());

        models->load(m_modelPath);
        models->cancelLoad();
        QTRY_VERIFY_WITH_TIMEOUT(!models->loading(), 10000);
        QVERIFY(models->loadError().contains(u"cancel"));
    }
};

QTEST_GUILESS_MAIN(TestChatController)
#include "test_chat_controller.moc"
