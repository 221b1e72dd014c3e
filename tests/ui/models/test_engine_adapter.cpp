// EngineAdapter on a real model: load with progress and cancel, greedy answers that repeat,
// stop from the piece sink, the chat-template fallback notice, errors as values.
#include "chat/engine_adapter.h"
#include "test_data.h"

#include <QtTest>

using namespace parlo::app;

class TestEngineAdapter : public QObject
{
    Q_OBJECT

private slots:
    void loadsWithProgressAndNotice()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        EngineAdapter adapter("cpu", 1);
        QVERIFY(!adapter.isLoaded());
        std::vector<float> reports;
        auto info = adapter.load(model.toStdString(), SamplingSettings{}, [&](float f) {
            reports.push_back(f);
            return true;
        });
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QVERIFY(adapter.isLoaded());
        QVERIFY(!reports.empty());
        QVERIFY(std::is_sorted(reports.begin(), reports.end()));
        QCOMPARE(info->architecture, std::string("llama"));
        QVERIFY(info->contextLength > 0 && info->contextLength <= SamplingSettings{}.contextLength);
        QVERIFY(QString::fromStdString(info->deviceName).startsWith("CPU"));
        QVERIFY(!info->deviceReason.empty());
        // stories260K ships no chat template: a built-in layout stands in, and the user is told.
        QVERIFY2(!info->notice.empty(), "no notice for the fallback template");
        adapter.unload();
        QVERIFY(!adapter.isLoaded());
    }

    void cancelledLoadFails()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        EngineAdapter adapter("cpu", 1);
        auto info = adapter.load(model.toStdString(), SamplingSettings{}, [](float) { return false; });
        QVERIFY(!info.ok());
        QVERIFY(!adapter.isLoaded());
    }

    void greedyAnswersRepeatAndStop()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        EngineAdapter adapter("cpu", 1);
        SamplingSettings settings;
        settings.temperature = 0;
        settings.maxTokens = 20;
        QVERIFY(adapter.load(model.toStdString(), settings, {}).ok());
        const std::vector<ChatTurn> conversation{{ChatTurn::Role::System, "Tell stories."},
                                                 {ChatTurn::Role::User, "Once upon a time"}};
        std::string first, second;
        auto a = adapter.generate(conversation, settings, [&](std::string_view p) {
            first += p;
            return true;
        });
        QVERIFY(a.ok());
        QVERIFY(a->generatedTokens > 0 && a->generatedTokens <= 20);
        QVERIFY(a->promptTokens > 0);
        QVERIFY(!a->stopped);
        QVERIFY(!first.empty());
        // The second call reuses the cached prefix; greedy decoding must give the same text.
        auto b = adapter.generate(conversation, settings, [&](std::string_view p) {
            second += p;
            return true;
        });
        QVERIFY(b.ok());
        QCOMPARE(QString::fromStdString(second), QString::fromStdString(first));

        int pieces = 0;
        settings.maxTokens = 100;
        auto c = adapter.generate(conversation, settings, [&](std::string_view) { return ++pieces < 3; });
        QVERIFY(c.ok());
        QVERIFY(c->stopped);
        QVERIFY2(c->generatedTokens <= 4, qPrintable(QString::number(c->generatedTokens)));

        // Counting lays the conversation out exactly as generating does: the prompt it counts
        // is the prompt the answer was given.
        auto counted = adapter.countTokens(conversation);
        QVERIFY(counted.ok());
        QCOMPARE(*counted, a->promptTokens);
        std::vector<ChatTurn> longer = conversation;
        longer.push_back({ChatTurn::Role::Assistant, first});
        longer.push_back({ChatTurn::Role::User, "And then?"});
        auto more = adapter.countTokens(longer);
        QVERIFY(more.ok());
        QVERIFY2(*more > *counted + int(first.size() / 8), qPrintable(QString::number(*more)));
    }

    void errorsAreValues()
    {
        EngineAdapter adapter("cpu", 1);
        auto notLoaded = adapter.generate({{ChatTurn::Role::User, "hi"}}, SamplingSettings{}, [](std::string_view) {
            return true;
        });
        QVERIFY(!notLoaded.ok());
        QVERIFY(!adapter.countTokens({{ChatTurn::Role::User, "hi"}}).ok());
        auto missing = adapter.load("/nonexistent/model.gguf", SamplingSettings{}, {});
        QVERIFY(!missing.ok());
        QVERIFY(!missing.error().message.empty());
    }
};

QTEST_GUILESS_MAIN(TestEngineAdapter)
#include "test_engine_adapter.moc"
