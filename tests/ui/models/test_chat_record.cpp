// ChatController on the mock engine with the SQLite history: an answer, read back from the
// file after the app has gone, carries what `parlo-cli chat` records — model file and sha256,
// quantization, device, the sampler settings and seed it was generated with, token counts
// and speeds.
#include "app_context.h"
#include "chat/model_chat_format.h"
#include "chat/sqlite_conversation_repository.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace parlo;
using namespace parlo::ui;
using storage::FinishReason;

class TestChatRecord : public QObject
{
    Q_OBJECT

private slots:
    void answerRecordsModelDeviceAndSampler()
    {
        PARLO_REQUIRE_TEST_FILE(source, "models/stories260K-F32.gguf");
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("models"));
        const QString modelPath = dir.filePath("models/stories260K-F32.gguf");
        QVERIFY(QFile::link(source, modelPath));
        QSettings settings(dir.filePath("parlo.ini"), QSettings::IniFormat);
        settings.setValue("modelFolders", QStringList{dir.filePath("models")});
        AppOptions options;
        options.settings = &settings;
        options.fakeEngine = true;
        options.fakePieceDelayMs = 1;
        options.historyPath = dir.filePath("history.sqlite");

        auto app = std::make_unique<AppContext>(options);
        AppSettings *s = app->settings();
        s->setTemperature(0.3);
        s->setTopK(12);
        s->setTopP(0.9);
        s->setMinP(0.02);
        s->setRepeatPenalty(1.2);
        s->setSeed(4242);
        s->setMaxTokens(400);
        s->setContextLength(1024);
        ModelController *models = app->models();
        QTRY_VERIFY_WITH_TIMEOUT(!models->scanning() && models->models()->rowOfPath(modelPath) >= 0, 20000);
        models->load(modelPath);
        QTRY_VERIFY_WITH_TIMEOUT(models->modelLoaded(), 10000);
        // Hashed on a worker after the load.
        QTRY_VERIFY_WITH_TIMEOUT(!models->loadedSha256().isEmpty(), 10000);

        ChatController *chat = app->chat();
        QVERIFY(chat->send(QStringLiteral("Tell me about zebras")));
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 20000);
        s->setSeed(-1); // a fresh seed per answer: the one drawn is recorded
        QVERIFY(chat->regenerate(1));
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 20000);
        const qint64 conversation = chat->currentConversationId();
        app.reset(); // quitting: the queued writes run before the store closes

        app::SqliteConversationRepository repo;
        QVERIFY(repo.open(options.historyPath).ok());
        const QList<app::StoredMessage> all = repo.messages(conversation);
        QCOMPARE(all.size(), 3);
        const storage::GenerationInfo &g = all[1].generation;
        QCOMPARE(g.modelFile, QStringLiteral("stories260K-F32.gguf"));
        const auto sha = app::fileSha256Prefix(modelPath);
        QVERIFY(sha.ok());
        QCOMPARE(g.modelSha256, *sha);
        QCOMPARE(g.quantization, QStringLiteral("F32"));
        QCOMPARE(g.device, QStringLiteral("CPU"));
        QCOMPARE(g.seed, 4242);
        QCOMPARE(g.sampler.value("temperature").toDouble(), 0.3);
        QCOMPARE(g.sampler.value("top_k").toInt(), 12);
        QCOMPARE(g.sampler.value("top_p").toDouble(), 0.9);
        QCOMPARE(g.sampler.value("min_p").toDouble(), 0.02);
        QCOMPARE(g.sampler.value("repeat_penalty").toDouble(), 1.2);
        QCOMPARE(g.sampler.value("max_tokens").toInt(), 400);
        QCOMPARE(g.sampler.value("context_length").toInt(), 1024);
        QVERIFY(g.promptTokens.value_or(0) > 0);
        QVERIFY(g.generatedTokens.value_or(0) > 20);
        QVERIFY(g.timeToFirstTokenMs.value_or(0) > 0);
        QVERIFY(g.prefillTokensPerSecond.value_or(0) > 0);
        QVERIFY(g.decodeTokensPerSecond.value_or(0) > 0);
        QCOMPARE(g.finishReason, FinishReason::Stop);
        QVERIFY(all[1].complete);

        const storage::GenerationInfo &again = all[2].generation;
        QCOMPARE(all[2].parentId, all[1].parentId);
        QVERIFY(again.seed.has_value());
        QCOMPARE(again.device, QStringLiteral("CPU"));
        QCOMPARE(again.sampler.value("temperature").toDouble(), 0.3);
        QCOMPARE(again.finishReason, FinishReason::Stop);
    }
};

QTEST_GUILESS_MAIN(TestChatRecord)
#include "test_chat_record.moc"
