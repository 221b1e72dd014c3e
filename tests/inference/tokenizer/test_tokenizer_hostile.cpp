// Broken vocabularies are Errors (never crashes), and any input bytes tokenize without crashing:
// invalid UTF-8, empty and very large inputs.
#include "parlo/gguf_writer.h"
#include "parlo/log.h"
#include "tokenizer_test_util.h"

#include <QtTest>

#include <algorithm>
#include <limits>
#include <random>
#include <utility>

#include <malloc.h>
#include <time.h>

using namespace parlo;
using namespace parlo::test;

namespace {

// A small SentencePiece vocabulary with byte fallback and one control token.
Vocabulary spmVocabulary()
{
    Vocabulary v;
    v.model = TokenizerModel::SentencePiece;
    const auto add = [&](std::string text, TokenType type, float score) {
        v.tokens.push_back(std::move(text));
        v.types.push_back(type);
        v.scores.push_back(score);
    };
    add("<unk>", TokenType::Unknown, 0);
    add("<s>", TokenType::Control, 0);
    add("</s>", TokenType::Control, 0);
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        add(name, TokenType::Byte, 0);
    }
    add("\xE2\x96\x81", TokenType::Normal, -1);           // 259 ▁
    add("a", TokenType::Normal, -2);                      // 260
    add("b", TokenType::Normal, -2);                      // 261
    add("\xE2\x96\x81" "a", TokenType::Normal, -0.5f);    // 262 ▁a
    add("ab", TokenType::Normal, -0.25f);                 // 263
    add("<|im_end|>", TokenType::Control, 0);             // 264
    v.bos = 1;
    v.eos = 2;
    v.unk = 0;
    return v;
}

// A byte-level BPE vocabulary: the 256 byte characters, two merges and a control token.
Vocabulary bpeVocabulary()
{
    Vocabulary v;
    v.model = TokenizerModel::BytePairEncoding;
    v.preTokenizer = "gpt-2";
    v.tokens.resize(256);
    // GPT-2's mapping, written independently of the code under test.
    int next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        const int cp = printable ? b : next++;
        std::string s;
        if (cp < 0x80) {
            s += static_cast<char>(cp);
        } else {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        v.tokens[static_cast<std::size_t>(b)] = s;
    }
    v.tokens.push_back("\xC4\xA0" "a"); // 256 "Ġa"
    v.tokens.push_back("ab");           // 257
    v.tokens.push_back("<|endoftext|>"); // 258
    v.types.assign(v.tokens.size(), TokenType::Normal);
    v.types[258] = TokenType::Control;
    v.merges = {"\xC4\xA0 a", "a b"};
    v.eos = 258;
    return v;
}

std::vector<TokenId> encodeOk(const Tokenizer &t, std::string_view text, EncodeOptions o = {})
{
    auto ids = t.encode(text, o);
    if (!ids.ok())
        qFatal("encode failed: %s", ids.error().message.c_str());
    return std::move(ids).value();
}

void expectError(Vocabulary v, const char *fragment)
{
    auto t = Tokenizer::create(std::move(v));
    QVERIFY2(!t.ok(), fragment);
    QVERIFY2(QString::fromStdString(t.error().message).contains(fragment), t.error().message.c_str());
}

} // namespace

class TestTokenizerHostile : public QObject
{
    Q_OBJECT

private slots:
    void smallVocabulariesWork()
    {
        auto spm = Tokenizer::create(spmVocabulary());
        QVERIFY(spm.ok());
        // "ab" (-0.25) outscores "▁a" (-0.5), so the first word does not start with "▁a".
        QCOMPARE(encodeOk(**spm, "ab a", {.addSpecial = true}), (std::vector<TokenId>{1, 259, 263, 262}));
        auto bpe = Tokenizer::create(bpeVocabulary());
        QVERIFY(bpe.ok());
        QCOMPARE(encodeOk(**bpe, "ab a"), (std::vector<TokenId>{257, 256}));
    }

    // tekken adds BOS unless the GGUF says otherwise, as llama.cpp does; gpt-4o does not.
    void casedPreTokenizerDefaults()
    {
        Vocabulary tekken = bpeVocabulary();
        tekken.preTokenizer = "tekken";
        expectError(tekken, "asks for a BOS token");
        tekken.bos = 258;
        auto t = Tokenizer::create(tekken);
        QVERIFY(t.ok());
        QCOMPARE((*t)->preTokenizerName(), std::string_view("tekken"));
        QVERIFY((*t)->addBos());
        QCOMPARE(encodeOk(**t, "ab a", {.addSpecial = true}), (std::vector<TokenId>{258, 257, 256}));
        tekken.addBos = false;
        QVERIFY(!(*Tokenizer::create(tekken))->addBos());

        Vocabulary gpt4o = bpeVocabulary();
        gpt4o.preTokenizer = "gpt-4o";
        auto g = Tokenizer::create(gpt4o);
        QVERIFY(g.ok());
        QCOMPARE((*g)->preTokenizerName(), std::string_view("gpt-4o"));
        QVERIFY(!(*g)->addBos());
        QCOMPARE(encodeOk(**g, "ab a", {.addSpecial = true}), (std::vector<TokenId>{257, 256}));
    }

    void brokenVocabularies()
    {
        expectError(Vocabulary{}, "no tokens");
        {
            auto v = spmVocabulary();
            v.scores.pop_back();
            expectError(v, "scores");
        }
        {
            auto v = spmVocabulary();
            v.types.resize(3);
            expectError(v, "token types");
        }
        {
            auto v = spmVocabulary();
            v.types[5] = static_cast<TokenType>(42);
            expectError(v, "unknown token type");
        }
        for (TokenId bad : {TokenId(265), TokenId(1 << 30), TokenId(-7)}) {
            auto v = spmVocabulary();
            v.bos = bad;
            expectError(v, "BOS");
            v = spmVocabulary();
            v.eos = bad;
            expectError(v, "EOS");
            v = spmVocabulary();
            v.eot = bad;
            expectError(v, "EOT");
        }
        {
            auto v = bpeVocabulary();
            v.merges.push_back("nospace");
            expectError(v, "merge 2");
        }
        {
            auto v = bpeVocabulary();
            v.merges.push_back("a ");
            expectError(v, "merge 2");
        }
        {
            auto v = bpeVocabulary();
            v.merges.push_back("");
            expectError(v, "merge 2");
        }
        {
            auto v = bpeVocabulary();
            v.addBos = true; // and no BOS
            expectError(v, "BOS");
        }
        {
            // Merges of parts that are not tokens are harmless: such words fall back to bytes.
            auto v = bpeVocabulary();
            v.merges.push_back("zz qq");
            v.merges.push_back("\xC4\xA0 \xC4\xA0");
            auto t = Tokenizer::create(v);
            QVERIFY(t.ok());
            QCOMPARE((*t)->decode(encodeOk(**t, "zzqq  x")), std::string("zzqq  x"));
        }
        {
            // A padding id outside the vocabulary is dropped with a warning, not fatal.
            auto v = spmVocabulary();
            v.pad = 99999;
            auto t = Tokenizer::create(v);
            QVERIFY(t.ok());
            QCOMPARE((*t)->pad(), kNoToken);
        }
        {
            // Empty token texts never match (no endless loop in special-token splitting).
            auto v = spmVocabulary();
            v.tokens.push_back("");
            v.types.push_back(TokenType::UserDefined);
            v.scores.push_back(0);
            auto t = Tokenizer::create(v);
            QVERIFY(t.ok());
            QCOMPARE((*t)->decode(encodeOk(**t, "ab")), std::string("ab"));
        }
    }

    // GGUF metadata that is missing or of the wrong type.
    void brokenGgufMetadata()
    {
        const auto baseWriter = [] {
            gguf::Writer w;
            w.setString("general.architecture", "llama");
            w.setString("tokenizer.ggml.model", "gpt2");
            const std::vector<std::string> tokens = {"a", "b", "ab"};
            w.setStringArray("tokenizer.ggml.tokens", tokens);
            const std::vector<std::string> merges = {"a b"};
            w.setStringArray("tokenizer.ggml.merges", merges);
            return w;
        };
        const auto load = [](const gguf::Writer &w) -> Result<std::unique_ptr<Tokenizer>> {
            const auto bytes = w.toBytes();
            auto file = gguf::File::fromBytes(bytes);
            if (!file)
                return file.error();
            return Tokenizer::fromGguf(**file);
        };
        {
            auto t = load(baseWriter());
            QVERIFY2(t.ok(), t.ok() ? "" : t.error().message.c_str());
            QCOMPARE(encodeOk(**t, "ab"), std::vector<TokenId>{2});
        }
        const auto expectLoadError = [&](const gguf::Writer &w, const char *fragment) {
            auto t = load(w);
            QVERIFY2(!t.ok(), fragment);
            QVERIFY2(QString::fromStdString(t.error().message).contains(fragment), t.error().message.c_str());
        };
        {
            gguf::Writer w;
            w.setString("general.architecture", "llama");
            expectLoadError(w, "tokenizer.ggml.model");
        }
        {
            auto w = baseWriter();
            w.setString("tokenizer.ggml.model", "t5");
            expectLoadError(w, "unsupported tokenizer");
        }
        {
            auto w = baseWriter();
            w.setUInt32("tokenizer.ggml.tokens", 3);
            expectLoadError(w, "tokenizer.ggml.tokens");
        }
        {
            gguf::Writer w;
            w.setString("tokenizer.ggml.model", "gpt2");
            const std::vector<std::string> tokens = {"a", "b"};
            w.setStringArray("tokenizer.ggml.tokens", tokens);
            expectLoadError(w, "merges");
        }
        {
            auto w = baseWriter();
            const std::vector<int32_t> types = {1, 1, 9};
            w.setInt32Array("tokenizer.ggml.token_type", types);
            expectLoadError(w, "token type");
        }
        {
            auto w = baseWriter();
            const std::vector<float> scores = {0.0f};
            w.setFloat32Array("tokenizer.ggml.scores", scores);
            expectLoadError(w, "scores");
        }
        {
            auto w = baseWriter();
            w.setUInt32("tokenizer.ggml.bos_token_id", 3);
            expectLoadError(w, "BOS");
        }
        {
            auto w = baseWriter();
            w.setString("tokenizer.ggml.eos_token_id", "2");
            expectLoadError(w, "eos_token_id");
        }
        {
            auto w = baseWriter();
            w.setString("tokenizer.ggml.add_bos_token", "yes");
            expectLoadError(w, "add_bos_token");
        }
        {
            // 0xFFFFFFFF is "no token", as llama.cpp writes it.
            auto w = baseWriter();
            w.setUInt32("tokenizer.ggml.padding_token_id", 0xFFFFFFFFu);
            auto t = load(w);
            QVERIFY(t.ok());
            QCOMPARE((*t)->pad(), kNoToken);
        }
        {
            // An unknown pre-tokenizer falls back to the default, with a warning.
            auto w = baseWriter();
            w.setString("tokenizer.ggml.pre", "brand-new-model");
            std::string warning;
            setLogSink([&](LogLevel level, std::string_view, std::string_view message) {
                if (level == LogLevel::Warning)
                    warning = std::string(message);
            });
            auto t = load(w);
            setLogSink({});
            QVERIFY(t.ok());
            QCOMPARE((*t)->preTokenizerName(), std::string_view("default"));
            QVERIFY2(warning.find("brand-new-model") != std::string::npos, warning.c_str());
        }
    }

    void invalidUtf8IsLossless()
    {
        auto spm = Tokenizer::create(spmVocabulary());
        auto bpe = Tokenizer::create(bpeVocabulary());
        QVERIFY(spm.ok() && bpe.ok());
        const std::string inputs[] = {
            "\xFF", "\x80\x80", "a\xC3", "\xE2\x82 b", "\xF0\x9F\x98", "\xED\xA0\x80", "\xC0\xAF", std::string("a\0b", 3),
            "\xF4\x90\x80\x80",
        };
        for (const std::string &text : inputs) {
            const auto ids = encodeOk(**bpe, text);
            QCOMPARE((*bpe)->decode(ids), text);
            const auto spmIds = encodeOk(**spm, text);
            for (TokenId id : spmIds)
                QVERIFY(id != 0); // byte fallback, never <unk>
            QCOMPARE((*spm)->decode(spmIds), text);
        }
    }

    void emptyInput()
    {
        auto spm = Tokenizer::create(spmVocabulary());
        QVERIFY(spm.ok());
        QVERIFY(encodeOk(**spm, "").empty());
        QCOMPARE(encodeOk(**spm, "", {.addSpecial = true}), std::vector<TokenId>{1});
        QCOMPARE((*spm)->decode({}), std::string());
        auto bpe = Tokenizer::create(bpeVocabulary());
        QVERIFY(bpe.ok());
        QVERIFY(encodeOk(**bpe, "").empty());
    }

    // Whole encodes (pre-tokenizer, then BPE merges on each word) scale with the text: 1 MB may
    // take at most 30x what 100 kB takes (CPU time; the heap kept warm as in test_pre_tokenizer).
    void encodeScalesLinearly_data()
    {
        QTest::addColumn<QByteArray>("pre");
        QTest::addColumn<QByteArray>("unit");
        for (const char *pre : {"gpt-2", "llama-bpe", "qwen2", "gpt-4o", "tekken", "deepseek-llm", "default"})
            for (const auto &[name, unit] : {std::pair<const char *, const char *>{"digits", "0123456789"},
                                             {"merged letters", "ab"},
                                             {"spaces", " "},
                                             {"mixed", "ab 12 ab, "}})
                QTest::addRow("%s %s", pre, name) << QByteArray(pre) << QByteArray(unit);
    }

    void encodeScalesLinearly()
    {
        QFETCH(QByteArray, pre);
        QFETCH(QByteArray, unit);
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        Vocabulary v = bpeVocabulary();
        v.preTokenizer = pre.toStdString();
        v.bos = v.eos; // llama-bpe and tekken add a BOS by default
        auto t = Tokenizer::create(std::move(v));
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message.c_str());
        const auto textOf = [&](std::size_t bytes) {
            std::string s;
            while (s.size() < bytes)
                s.append(unit.constData(), static_cast<std::size_t>(unit.size()));
            return s;
        };
        const auto cpuNs = [] {
            timespec ts{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
            return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
        };
        const auto timeOf = [&](const std::string &text, int runs) {
            qint64 best = std::numeric_limits<qint64>::max();
            for (int run = 0; run < runs; ++run) {
                const qint64 start = cpuNs();
                const auto ids = (*t)->encode(text);
                if (!ids.ok() || ids->empty())
                    return qint64(0);
                best = std::min(best, cpuNs() - start);
            }
            return best;
        };
        const std::string largeText = textOf(1'000'000);
        (void)timeOf(largeText, 1); // warms the heap to the large size
        const qint64 measured = timeOf(textOf(100'000), 3);
        const qint64 small = std::max<qint64>(measured, 2'000'000);
        double ratio = double(timeOf(largeText, 1)) / double(small);
        for (int retry = 0; retry < 2 && ratio >= 30 && ratio < 100; ++retry)
            ratio = std::min(ratio, double(timeOf(largeText, 1)) / double(small));
        QVERIFY2(ratio < 30, qPrintable(QStringLiteral("100 kB took %1 ms; 1 MB took %2x as long").arg(double(measured) / 1e6).arg(ratio)));
    }

    // Several MB of random bytes, and a single multi-MB "word": no crash, lossless, and fast
    // enough (merge queues are O(n log n), not quadratic).
    void hugeInput()
    {
        std::mt19937 rng(1234);
        std::string random(4 << 20, '\0');
        for (char &c : random)
            c = static_cast<char>(rng());
        const std::string word(4 << 20, 'a');
        auto bpe = Tokenizer::create(bpeVocabulary());
        auto spm = Tokenizer::create(spmVocabulary());
        QVERIFY(bpe.ok() && spm.ok());
        QElapsedTimer timer;
        timer.start();
        for (const std::string *text : std::array<const std::string *, 2>{&random, &word}) {
            QCOMPARE((*bpe)->decode(encodeOk(**bpe, *text)), *text);
            QCOMPARE((*spm)->decode(encodeOk(**spm, *text)), *text);
        }
        QVERIFY2(timer.elapsed() < 60000, "16 MiB of hostile input took over a minute");
        // Out-of-range ids decode to nothing instead of reading out of bounds.
        const std::vector<TokenId> bad = {-1, 100000, 260};
        QCOMPARE((*spm)->decode(bad), std::string("a"));
        QCOMPARE((*spm)->tokenText(-5), std::string_view());
        QCOMPARE((*spm)->tokenType(1 << 30), TokenType::Undefined);
    }
};

QTEST_GUILESS_MAIN(TestTokenizerHostile)
#include "test_tokenizer_hostile.moc"
