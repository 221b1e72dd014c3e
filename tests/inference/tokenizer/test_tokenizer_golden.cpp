// Golden vectors: every shared ggml-vocab-*.gguf against llama.cpp's .inp/.out (tokenized
// without BOS/EOS, special tokens as text), stories260K's documented prompt, and the synthetic
// models' 512-token byte-level BPE vocabulary.
#include "test_data.h"
#include "tokenizer_test_util.h"

#include <QDir>
#include <QtTest>

using namespace parlo;
using namespace parlo::test;

class TestTokenizerGolden : public QObject
{
    Q_OBJECT

private slots:
    void vocabVectors_data()
    {
        QTest::addColumn<QString>("path");
        const QString dir = testDataFile("vocab");
        const QStringList vocabs = dir.isEmpty() ? QStringList() : QDir(dir).entryList({"ggml-vocab-*.gguf"}, QDir::Files);
        // With no rows QFETCH would abort the whole run; a skip says what is missing.
        if (vocabs.isEmpty())
            QSKIP(qPrintable("no ggml-vocab-*.gguf test data under " + testDataDir() + "/vocab"));
        for (const QString &name : vocabs)
            QTest::newRow(qPrintable(name)) << QDir(dir).filePath(name);
    }

    void vocabVectors()
    {
        QFETCH(QString, path);
        const std::string inputs = readBytes(path + ".inp");
        const std::string outputs = readBytes(path + ".out");
        if (inputs.empty() || outputs.empty())
            QSKIP(qPrintable("no .inp/.out beside " + path));
        QString error;
        auto tokenizer = loadTokenizer(path, &error);
        QVERIFY2(tokenizer, qPrintable(error));

        const auto texts = splitVocabInputs(inputs);
        const auto expected = splitLines(outputs);
        QVERIFY(texts.size() > 40);
        QCOMPARE(expected.size(), texts.size());
        int failures = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            auto ids = tokenizer->encode(texts[i]);
            QVERIFY2(ids.ok(), ids.ok() ? "" : ids.error().message.c_str());
            const std::string got = joinIds(*ids);
            if (got != trimmed(expected[i])) {
                ++failures;
                qWarning("input %zu %s\n  expected %s\n  got      %s", i, QByteArray::fromStdString(texts[i]).toPercentEncoding(" ").constData(),
                         trimmed(expected[i]).c_str(), got.c_str());
            }
        }
        QCOMPARE(failures, 0);
    }

    void storiesPrompt()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        QString error;
        auto tokenizer = loadTokenizer(path, &error);
        QVERIFY2(tokenizer, qPrintable(error));
        QCOMPARE(tokenizer->model(), TokenizerModel::SentencePiece);
        QCOMPARE(tokenizer->vocabSize(), std::size_t(512));
        auto ids = tokenizer->encode("Once upon a time", {.addSpecial = true});
        QVERIFY(ids.ok());
        QCOMPARE(*ids, (std::vector<TokenId>{1, 403, 407, 261, 378}));
        QCOMPARE(tokenizer->decode(*ids), std::string("Once upon a time"));
        QCOMPARE(tokenizer->bos(), 1);
        QCOMPARE(tokenizer->eos(), 2);
        QVERIFY(tokenizer->isEndOfGeneration(2));
    }

    // The synthetic models' vocabulary: ids 0-255 are the bytes, 256-509 come from merges, 510
    // is <|endoftext|>. Every merge result is one word, so it must encode to exactly its token.
    void synthBpeVocab_data()
    {
        QTest::addColumn<QString>("relative");
        for (const char *arch : {"falcon", "qwen2", "olmo", "olmo2", "qwen3"})
            QTest::newRow(arch) << QStringLiteral("models/synth-%1-F32.gguf").arg(arch);
    }

    void synthBpeVocab()
    {
        QFETCH(QString, relative);
        PARLO_REQUIRE_TEST_FILE(path, relative);
        QString error;
        auto tokenizer = loadTokenizer(path, &error);
        QVERIFY2(tokenizer, qPrintable(error));
        QCOMPARE(tokenizer->model(), TokenizerModel::BytePairEncoding);
        QCOMPARE(tokenizer->vocabSize(), std::size_t(512));
        QCOMPARE(tokenizer->eos(), 510);
        QCOMPARE(tokenizer->tokenText(510), std::string_view("<|endoftext|>"));
        for (int b = 0; b < 256; ++b)
            QCOMPARE(tokenizer->tokenPiece(b), std::string(1, static_cast<char>(b)));
        int wholeWords = 0;
        for (TokenId id = 256; id < 510; ++id) {
            const std::string piece = tokenizer->tokenPiece(id);
            auto ids = tokenizer->encode(piece);
            QVERIFY(ids.ok());
            if (ids->size() == 1) {
                QCOMPARE(ids->front(), id);
                ++wholeWords;
            } else {
                // Only a pre-tokenizer split may break a merged token apart.
                QCOMPARE(tokenizer->decode(*ids), piece);
            }
        }
        QVERIFY2(wholeWords > 200, qPrintable(QString::number(wholeWords)));
        // Text from the story round-trips and compresses below one token per byte.
        PARLO_REQUIRE_TEST_FILE(storyPath, "texts/story.txt");
        const std::string story = readBytes(storyPath);
        auto ids = tokenizer->encode(story);
        QVERIFY(ids.ok());
        QVERIFY(ids->size() < story.size() * 3 / 4);
        QCOMPARE(tokenizer->decode(*ids), story);
    }
};

QTEST_GUILESS_MAIN(TestTokenizerGolden)
#include "test_tokenizer_golden.moc"
