// Perplexity of stories260K on texts/story.txt with a 128-token context, within 0.5% of the
// figures llama.cpp's perplexity tool prints (refs/<model>.ref.json, stories_perplexity).
#include "parlo/engine.h"
#include "parlo/perplexity.h"
#include "test_data.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace parlo;

class TestPerplexity : public QObject
{
    Q_OBJECT

private slots:
    void matchesLlamaCpp_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *t : {"F32", "Q8_0", "F16", "Q4_0"})
            QTest::newRow(t) << QStringLiteral("stories260K-%1").arg(t);
    }
    void matchesLlamaCpp()
    {
        QFETCH(QString, name);
        PARLO_REQUIRE_TEST_FILE(model, "models/" + name + ".gguf");
        PARLO_REQUIRE_TEST_FILE(refPath, "refs/" + name + ".ref.json");
        PARLO_REQUIRE_TEST_FILE(textPath, "texts/story.txt");
        QFile refFile(refPath), textFile(textPath);
        QVERIFY(refFile.open(QIODevice::ReadOnly) && textFile.open(QIODevice::ReadOnly));
        const QJsonObject ppl = QJsonDocument::fromJson(refFile.readAll()).object().value("stories_perplexity").toObject();
        const double expected = ppl.value("runs").toObject().value("kvf32_nofa").toObject().value("ppl").toDouble();
        QVERIFY(expected > 1.0);
        const QByteArray text = textFile.readAll();

        LoadOptions options;
        options.device = "cpu";
        options.contextLength = 128;
        auto engine = Engine::load(model.toStdString(), options);
        QVERIFY(engine.ok());
        auto tokens = (*engine)->tokenize(std::string_view(text.constData(), size_t(text.size())), true);
        QVERIFY2(tokens.ok(), tokens.ok() ? "" : tokens.error().message.c_str());
        QCOMPARE(qint64(tokens->size()), ppl.value("n_tokens_llama_tokenize_with_bos").toInteger());
        auto result = computePerplexity(**engine, *tokens, 128);
        QVERIFY(result.ok());
        QCOMPARE(result->chunks, size_t(12));
        qInfo("%s: %.4f, llama.cpp %.4f", qPrintable(name), result->perplexity, expected);
        QVERIFY2(std::abs(result->perplexity / expected - 1.0) < 0.005,
                 qPrintable(QStringLiteral("%1 vs %2").arg(result->perplexity).arg(expected)));
    }
};

QTEST_GUILESS_MAIN(TestPerplexity)
#include "test_perplexity.moc"
