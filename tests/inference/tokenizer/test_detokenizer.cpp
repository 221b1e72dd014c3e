// Decoding: decode(encode(text)) == text on every shared vocabulary, the streaming
// detokenizer never emits half a UTF-8 character (even fed one byte token at a time), and
// special tokens are parsed only when asked.
#include "test_data.h"
#include "tokenizer_test_util.h"

#include <QDir>
#include <QtTest>

using namespace parlo;
using namespace parlo::test;

namespace {

std::vector<std::string> sampleTexts()
{
    std::vector<std::string> texts = {
        "Hello world", " leading space", "two  spaces\tand\ttabs\n\nnew lines\r\n",
        "caf\xC3\xA9 na\xC3\xAFve \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\xA6\x99 \xF0\x9F\x98\x80\xE2\x80\x8D\xF0\x9F\x98\x80",
        "\xE1\x9E\x80\xE1\x9E\xB6\xE1\x9E\x93\xE1\x9F\x8B", // Khmer
        "I've 1234567 <|im_end|> <s></s>",
    };
    const QString inputs = testDataFile("vocab/ggml-vocab-gpt-2.gguf.inp");
    if (!inputs.isEmpty()) {
        for (auto &t : splitVocabInputs(readBytes(inputs)))
            texts.push_back(t);
    }
    const QString story = testDataFile("texts/story.txt");
    if (!story.isEmpty())
        texts.push_back(readBytes(story));
    return texts;
}

struct Streamed
{
    std::vector<std::string> pieces;
    std::string joined;
};

Streamed stream(const Tokenizer &t, const std::vector<TokenId> &ids, bool atStart)
{
    Streamed s;
    StreamingDetokenizer d(t, [&](std::string_view piece) { s.pieces.emplace_back(piece); }, {}, atStart);
    for (TokenId id : ids)
        d.push(id);
    d.finish();
    for (const auto &p : s.pieces)
        s.joined += p;
    return s;
}

// The token standing for one raw byte: <0xNN> (SentencePiece) or the byte's GPT-2 character.
std::vector<TokenId> byteTokens(const Tokenizer &t, std::string_view bytes)
{
    std::vector<TokenId> ids;
    for (const char c : bytes) {
        for (TokenId id = 0; id < static_cast<TokenId>(t.vocabSize()); ++id) {
            if (t.tokenPiece(id) == std::string(1, c) && (t.model() == TokenizerModel::BytePairEncoding || t.tokenType(id) == TokenType::Byte)) {
                ids.push_back(id);
                break;
            }
        }
    }
    return ids;
}

} // namespace

class TestDetokenizer : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("path");
        QStringList paths;
        if (const QString dir = testDataFile("vocab"); !dir.isEmpty()) {
            for (const QString &name : QDir(dir).entryList({"ggml-vocab-*.gguf"}, QDir::Files))
                paths << QDir(dir).filePath(name);
        }
        if (const QString stories = testDataFile("models/stories260K-F32.gguf"); !stories.isEmpty())
            paths << stories;
        // With no rows QFETCH would abort the whole run; a skip says what is missing.
        if (paths.isEmpty())
            QSKIP(qPrintable("no vocab/ or stories260K test data under " + testDataDir()));
        for (const QString &path : paths)
            QTest::newRow(qPrintable(path.endsWith("stories260K-F32.gguf") ? QStringLiteral("stories260K")
                                                                           : QFileInfo(path).fileName()))
                << path;
    }

    void roundTrip()
    {
        QFETCH(QString, path);
        QString error;
        auto t = loadTokenizer(path, &error);
        QVERIFY2(t, qPrintable(error));
        for (const std::string &text : sampleTexts()) {
            for (const bool addSpecial : {false, true}) {
                auto ids = t->encode(text, {.addSpecial = addSpecial});
                QVERIFY(ids.ok());
                QCOMPARE(t->decode(*ids), text);
                const Streamed s = stream(*t, *ids, true);
                QCOMPARE(s.joined, text);
                for (const auto &piece : s.pieces)
                    QVERIFY2(!piece.empty() && isValidUtf8(piece), piece.c_str());
            }
        }
    }

    // Multi-byte characters fed one byte token at a time come out whole, exactly when complete.
    void byteByByteStreaming_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::newRow("spm") << "vocab/ggml-vocab-llama-spm.gguf";
        QTest::newRow("bpe") << "vocab/ggml-vocab-gpt-2.gguf";
    }

    void byteByByteStreaming()
    {
        QFETCH(QString, relative);
        PARLO_REQUIRE_TEST_FILE(path, relative);
        QString error;
        auto t = loadTokenizer(path, &error);
        QVERIFY2(t, qPrintable(error));
        const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\xA6\x99z"; // a é 中 🦙 z
        const auto ids = byteTokens(*t, text);
        QCOMPARE(ids.size(), text.size());
        std::vector<std::pair<std::size_t, std::string>> emitted; // (bytes fed so far, piece)
        std::size_t fed = 0;
        StreamingDetokenizer d(*t, [&](std::string_view piece) { emitted.emplace_back(fed, std::string(piece)); });
        for (TokenId id : ids) {
            ++fed;
            d.push(id);
        }
        d.finish();
        const std::vector<std::pair<std::size_t, std::string>> expected = {
            {1, "a"}, {3, "\xC3\xA9"}, {6, "\xE4\xB8\xAD"}, {10, "\xF0\x9F\xA6\x99"}, {11, "z"}};
        QCOMPARE(emitted, expected);
    }

    void brokenBytesBecomeReplacementCharacters()
    {
        PARLO_REQUIRE_TEST_FILE(path, "vocab/ggml-vocab-llama-spm.gguf");
        QString error;
        auto t = loadTokenizer(path, &error);
        QVERIFY2(t, qPrintable(error));
        const std::string replacement = "\xEF\xBF\xBD";
        // A stray continuation byte, an impossible byte, then a character cut short by the end.
        const auto ids = byteTokens(*t, "x\x80y\xFFz\xF0\x9F");
        const Streamed s = stream(*t, ids, false);
        QCOMPARE(s.joined, "x" + replacement + "y" + replacement + "z" + replacement);
        for (const auto &piece : s.pieces)
            QVERIFY(isValidUtf8(piece));
    }

    // SentencePiece's prefix space: dropped after BOS at the start, kept when continuing.
    void spmPrefixSpace()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        QString error;
        auto t = loadTokenizer(path, &error);
        QVERIFY2(t, qPrintable(error));
        const std::vector<TokenId> ids = {1, 403, 407, 261, 378};
        QCOMPARE(t->decode(ids), std::string("Once upon a time"));
        QCOMPARE(t->decode(ids, {.stripSpacePrefix = false}), std::string(" Once upon a time"));
        QCOMPARE(t->decode(ids, {.renderSpecial = true}), std::string("<s>Once upon a time"));
        QCOMPARE(stream(*t, ids, true).joined, std::string("Once upon a time"));
        QCOMPARE(stream(*t, {407, 261}, false).joined, std::string(" upon a"));
    }

    void specialTokensOnlyWhenAsked_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::addColumn<QString>("special");
        QTest::newRow("phi-3 <|end|>") << "vocab/ggml-vocab-phi-3.gguf" << "<|end|>";
        QTest::newRow("phi-3 <|assistant|>") << "vocab/ggml-vocab-phi-3.gguf" << "<|assistant|>";
        QTest::newRow("gpt-2 <|endoftext|>") << "vocab/ggml-vocab-gpt-2.gguf" << "<|endoftext|>";
        QTest::newRow("refact <fim_prefix>") << "vocab/ggml-vocab-refact.gguf" << "<fim_prefix>";
    }

    void specialTokensOnlyWhenAsked()
    {
        QFETCH(QString, relative);
        QFETCH(QString, special);
        PARLO_REQUIRE_TEST_FILE(path, relative);
        QString error;
        auto t = loadTokenizer(path, &error);
        QVERIFY2(t, qPrintable(error));
        const std::string token = special.toStdString();
        const auto id = t->findToken(token);
        QVERIFY(id.has_value());
        QCOMPARE(t->tokenType(*id), TokenType::Control);
        const std::string text = "Hi" + token + "there";

        auto asText = t->encode(text);
        QVERIFY(asText.ok());
        QVERIFY(std::find(asText->begin(), asText->end(), *id) == asText->end());
        QCOMPARE(t->decode(*asText), text);

        auto parsed = t->encode(text, {.parseSpecial = true});
        QVERIFY(parsed.ok());
        QCOMPARE(std::count(parsed->begin(), parsed->end(), *id), std::ptrdiff_t(1));
        // Control tokens are invisible in output unless rendered. SentencePiece starts the text
        // after a special token with the prefix space (llama.cpp's and legacy SentencePiece's rule).
        const std::string spaced = "Hi" + token + (t->addSpacePrefix() ? " " : "") + "there";
        QCOMPARE(t->decode(*parsed, {.renderSpecial = true}), spaced);
        QVERIFY(t->decode(*parsed).find(token) == std::string::npos);
    }

    void endOfGeneration()
    {
        PARLO_REQUIRE_TEST_FILE(path, "vocab/ggml-vocab-phi-3.gguf");
        QString error;
        auto t = loadTokenizer(path, &error);
        QVERIFY2(t, qPrintable(error));
        QCOMPARE(t->eos(), 32000);
        QCOMPARE(t->eot(), *t->findToken("<|end|>")); // guessed: the GGUF has no eot_token_id
        QVERIFY(t->isEndOfGeneration(32000));
        QVERIFY(t->isEndOfGeneration(t->eot()));
        QVERIFY(!t->isEndOfGeneration(1));
        QVERIFY(t->addBos());
        QVERIFY(!t->addEos());
    }
};

QTEST_GUILESS_MAIN(TestDetokenizer)
#include "test_detokenizer.moc"
