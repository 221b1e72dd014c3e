// The hand-written pre-tokenizer regexes, case by case, against splits worked out from the
// regex definitions (and checked with Hugging Face tokenizers' behaviour where noted).
#include "parlo/log.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/unicode_class.h"

#include <QtTest>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <cstdlib>
#include <cstring>

#include <malloc.h>
#include <time.h>

using namespace parlo::tokenizer;
using Words = std::vector<std::string>;

Q_DECLARE_METATYPE(PreTokenizerKind)

namespace {

Words split(PreTokenizerKind kind, std::string_view text)
{
    Words out;
    for (const std::string_view w : preTokenize(kind, text))
        out.emplace_back(w);
    return out;
}

QString show(const Words &w)
{
    QStringList parts;
    for (const auto &s : w)
        parts << "[" + QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())) + "]";
    return parts.join(' ');
}

} // namespace

class TestPreTokenizer : public QObject
{
    Q_OBJECT

private slots:
    // The scaling test times 100 kB against 1 MB. glibc gives big blocks back to the kernel and
    // maps them afresh on the next call, so the large run would also time page faults (slow in
    // a VM) that the small one, served from the warm heap, never takes: keep the heap and warm
    // it, so both sizes measure the matchers alone.
    void initTestCase()
    {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 1 << 30);
        std::vector<char *> blocks;
        for (int k = 0; k < 24; ++k) {
            blocks.push_back(static_cast<char *>(std::malloc(16 << 20)));
            if (blocks.back())
                std::memset(blocks.back(), 1, 16 << 20);
        }
        for (char *b : blocks)
            std::free(b);
    }

    void unicodeClasses()
    {
        constexpr uint8_t lower = ClassLetter | ClassLowerLike;
        constexpr uint8_t upper = ClassLetter | ClassUpperLike;
        constexpr uint8_t caseless = ClassLetter | ClassUpperLike | ClassLowerLike;
        QCOMPARE(codepointClass('a'), lower);
        QCOMPARE(codepointClass('Z'), upper);
        QCOMPARE(codepointClass(0xE9), lower);      // é
        QCOMPARE(codepointClass(0xDF), lower);      // ß
        QCOMPARE(codepointClass(0x01C5), upper);    // ǅ (Lt)
        QCOMPARE(codepointClass(0x02B0), caseless); // ʰ (Lm)
        QCOMPARE(codepointClass(0x4E2D), caseless); // 中 (Lo)
        QCOMPARE(codepointClass(0x0416), upper);    // Ж
        QCOMPARE(codepointClass(0x03B1), lower);    // α
        QCOMPARE(codepointClass('7'), uint8_t(ClassNumber));
        QCOMPARE(codepointClass(0x0663), uint8_t(ClassNumber)); // Arabic-Indic three
        QCOMPARE(codepointClass(0x00BD), uint8_t(ClassNumber)); // ½ (No)
        QCOMPARE(codepointClass('!'), uint8_t(ClassPunctuation));
        QCOMPARE(codepointClass(0x00AB), uint8_t(ClassPunctuation)); // «
        QCOMPARE(codepointClass('$'), uint8_t(ClassSymbol));
        QCOMPARE(codepointClass(0x1F600), uint8_t(ClassSymbol)); // 😀
        QCOMPARE(codepointClass(0x0301), uint8_t(ClassMark | ClassUpperLike | ClassLowerLike)); // combining acute
        QCOMPARE(codepointClass(0x20DD), uint8_t(ClassMark | ClassUpperLike | ClassLowerLike)); // enclosing circle (Me)
        QCOMPARE(codepointClass(' '), uint8_t(ClassWhitespace));
        QCOMPARE(codepointClass('\n'), uint8_t(ClassWhitespace));
        QCOMPARE(codepointClass(0x3000), uint8_t(ClassWhitespace)); // ideographic space (Zs)
        QCOMPARE(codepointClass(0x85), uint8_t(ClassWhitespace));   // NEL (Cc but White_Space)
        QCOMPARE(codepointClass(0x1C), uint8_t(0)); // information separator: not White_Space
        QCOMPARE(codepointClass(0x200B), uint8_t(0)); // zero width space: Cf, not White_Space
        QCOMPARE(codepointClass(kInvalidByteBase + 0xFF), uint8_t(0));
        QCOMPARE(std::string(kUnicodeVersion), std::string("14.0.0"));
    }

    void utf8Decoding()
    {
        QCOMPARE(decodeUtf8("\xC3\xA9", 0).cp, 0xE9u);
        QCOMPARE(decodeUtf8("\xF0\x9F\x98\x80", 0).cp, 0x1F600u);
        QCOMPARE(decodeUtf8("\xF0\x9F\x98\x80", 0).length, 4u);
        // Overlong, surrogate, beyond U+10FFFF, truncated, stray continuation: one invalid byte each.
        for (const std::string_view bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
            const DecodedCodepoint c = decodeUtf8(bad, 0);
            QCOMPARE(c.length, 1u);
            QCOMPARE(c.cp, kInvalidByteBase + static_cast<uint8_t>(bad[0]));
        }
        QVERIFY(isTruncatedUtf8("\xE2\x82"));
        QVERIFY(isTruncatedUtf8("\xF0"));
        QVERIFY(!isTruncatedUtf8("\xE2\x41"));
        QVERIFY(!isTruncatedUtf8("\xC0"));
        QVERIFY(!isTruncatedUtf8("a"));
    }

    void splits_data()
    {
        QTest::addColumn<PreTokenizerKind>("kind");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("words");
        using K = PreTokenizerKind;
        const auto row = [](const char *name, K kind, const QString &text, const QStringList &words) {
            QTest::newRow(name) << kind << text << words;
        };
        // GPT-2: a space attaches to the following word; \s+(?!\S) leaves the last space of a run.
        row("gpt2 words", K::Gpt2, "Hello world", {"Hello", " world"});
        row("gpt2 space run", K::Gpt2, "a   b", {"a", "  ", " b"});
        row("gpt2 trailing spaces", K::Gpt2, "a  ", {"a", "  "});
        row("gpt2 contractions", K::Gpt2, "I'm we'll DON'T", {"I", "'m", " we", "'ll", " DON", "'", "T"});
        row("gpt2 numbers", K::Gpt2, "x 12345!", {"x", " 12345", "!"});
        row("gpt2 newline before word", K::Gpt2, "a\n\nb", {"a", "\n", "\n", "b"});
        row("gpt2 punctuation run", K::Gpt2, "ok?!... yes", {"ok", "?!...", " yes"});
        row("gpt2 unicode letters", K::Gpt2, "naïve Ελλάδα", {"naïve", " Ελλάδα"});
        // Llama 3: one non-letter may lead a word, digits in threes, case-insensitive contractions,
        // line breaks collected with the whitespace before them.
        row("llama3 leading punct", K::Llama3, "(hello) world", {"(hello", ")", " world"});
        row("llama3 digits", K::Llama3, "12345678", {"123", "456", "78"});
        row("llama3 contractions", K::Llama3, "DON'T we'LL", {"DON", "'T", " we", "'LL"});
        row("llama3 newlines", K::Llama3, "a \n\n b", {"a", " \n\n", " b"});
        row("llama3 punct with newline", K::Llama3, "end.\n\nNext", {"end", ".\n\n", "Next"});
        row("llama3 trailing space", K::Llama3, "a   ", {"a", "   "});
        row("qwen2 digits", K::Qwen2, "x 2024", {"x", " ", "2", "0", "2", "4"});
        // (?i) folds U+017F (long s) to 's', as Oniguruma and Python's regex do.
        row("llama3 long s", K::Llama3, "x'\u017Fa", {"x", "'\u017F", "a"});
        // gpt-4o: a word is upper-like then lower-like code points (caseless letters and marks
        // count as both), a contraction may end it, one non-letter may lead it.
        row("gpt-4o camel case", K::Gpt4o, "HelloWorld XMLHttpRequest", {"Hello", "World", " XMLHttp", "Request"});
        row("gpt-4o all caps", K::Gpt4o, "ALLCAPS words", {"ALLCAPS", " words"});
        row("gpt-4o contractions", K::Gpt4o, "I'm DON'T we'LL they'Re", {"I'm", " DON'T", " we'LL", " they'Re"});
        row("gpt-4o contraction after caps", K::Gpt4o, "McDonald's", {"Mc", "Donald's"});
        row("gpt-4o long s", K::Gpt4o, "x'\u017F", {"x'\u017F"});
        row("gpt-4o digits", K::Gpt4o, "1234567", {"123", "456", "7"});
        row("gpt-4o slash", K::Gpt4o, "a/b\n\n", {"a", "/b", "\n\n"});
        row("gpt-4o punct with breaks and slashes", K::Gpt4o, "x!\n/\n/y", {"x", "!\n/\n/", "y"});
        row("gpt-4o marks", K::Gpt4o, "e\u0301\u0301 \u0301", {"e\u0301\u0301", " \u0301"});
        // The lone mark leads, finds no lower-like after it, and is matched alone as U*W+.
        row("gpt-4o mark before caps", K::Gpt4o, "\u0301A", {"\u0301", "A"});
        row("gpt-4o titlecase", K::Gpt4o, "\u01C5ungla", {"\u01C5ungla"});
        row("gpt-4o greek cyrillic", K::Gpt4o, "Ελλάδα МОСКВА Москва", {"Ελλάδα", " МОСКВА", " Москва"});
        row("gpt-4o cjk", K::Gpt4o, "中文字 ok", {"中文字", " ok"});
        row("gpt-4o emoji", K::Gpt4o, "hi 😀😀!", {"hi", " 😀😀!"});
        row("gpt-4o trailing spaces", K::Gpt4o, "a   ", {"a", "   "});
        row("gpt-4o space run", K::Gpt4o, "a   b", {"a", "  ", " b"});
        row("gpt-4o line breaks", K::Gpt4o, "a \r\n\r\n  b", {"a", " \r\n\r\n", " ", " b"});
        row("gpt-4o tab leads", K::Gpt4o, "\tHello", {"\tHello"});
        // tekken: the same words without contractions, single digits.
        row("tekken contractions", K::Tekken, "I'm DON'T", {"I", "'m", " DON", "'T"});
        row("tekken camel case", K::Tekken, "HelloWorld XMLHttpRequest", {"Hello", "World", " XMLHttp", "Request"});
        row("tekken digits", K::Tekken, "x 2024", {"x", " ", "2", "0", "2", "4"});
        row("tekken slash", K::Tekken, "a/b\n\n", {"a", "/b", "\n\n"});
        row("tekken marks", K::Tekken, "e\u0301\u0301 \u0301", {"e\u0301\u0301", " \u0301"});
        row("tekken trailing spaces", K::Tekken, "a   ", {"a", "   "});
        // Sequences: each step splits the pieces the previous one left.
        // default: "$" is split off first, so the space before it stays alone.
        row("default", K::Default, "Hi, 1234567 $5", {"Hi", ",", " ", "123", "456", "7", " ", "$", "5"});
        row("falcon", K::Falcon, "a<b> 12345", {"a", "<", "b", ">", " ", "123", "45"});
        row("starcoder digits", K::Starcoder, "v 42x", {"v", " ", "4", "2", "x"});
        row("deepseek-coder", K::DeepseekCoder, "def f(x):\n  return 10", {"def", " f", "(", "x", "):", "\n", " ", " return", " ", "1", "0"});
        row("deepseek-llm", K::DeepseekLlm, "Hello, 世界 123\n", {"Hello", ",", " ", "世界", " ", "123", "\n"});
        row("deepseek-llm trailing space", K::DeepseekLlm, "ab  ", {"ab", "  "});
    }

    void splits()
    {
        QFETCH(PreTokenizerKind, kind);
        QFETCH(QString, text);
        QFETCH(QStringList, words);
        Words expected;
        for (const QString &w : words) {
            if (!w.isEmpty())
                expected.push_back(w.toStdString());
        }
        const Words got = split(kind, text.toStdString());
        QVERIFY2(got == expected, qPrintable("got " + show(got) + "\nexpected " + show(expected)));
    }

    // Whatever the input, the words cover every byte exactly once, in order.
    void coversAllBytes()
    {
        const std::string hostile = std::string("a\xFF\xC3 b\xE2\x82 \xF0\x9F\x98\x80\x80\x80 \t\r\n 123'S ") + '\0' + "z";
        for (int k = 0; k <= static_cast<int>(PreTokenizerKind::Tekken); ++k) {
            const auto words = preTokenize(static_cast<PreTokenizerKind>(k), hostile);
            std::string joined;
            for (const auto w : words) {
                QVERIFY(!w.empty());
                joined += w;
            }
            QCOMPARE(joined, hostile);
        }
        QVERIFY(preTokenize(PreTokenizerKind::Llama3, "").empty());
    }

    // Invalid UTF-8 bytes belong to no class: each may lead a word or join a punctuation run.
    void casedInvalidBytes()
    {
        for (const auto kind : {PreTokenizerKind::Gpt4o, PreTokenizerKind::Tekken}) {
            const Words got = split(kind, "\xFF" "ab \xC3");
            QCOMPARE(got, (Words{"\xFF" "ab", " \xC3"}));
        }
    }

    void choosing()
    {
        QCOMPARE(choosePreTokenizer("llama-bpe").kind, PreTokenizerKind::Llama3);
        QVERIFY(choosePreTokenizer("llama-bpe").ignoreMerges);
        QCOMPARE(choosePreTokenizer("qwen2").kind, PreTokenizerKind::Qwen2);
        QCOMPARE(choosePreTokenizer("refact").kind, PreTokenizerKind::Starcoder);
        QCOMPARE(choosePreTokenizer("command-r").kind, PreTokenizerKind::Starcoder);
        QCOMPARE(choosePreTokenizer("smollm").kind, PreTokenizerKind::Starcoder);
        QCOMPARE(choosePreTokenizer("mpt").kind, PreTokenizerKind::Gpt2);
        QCOMPARE(choosePreTokenizer("olmo").kind, PreTokenizerKind::Gpt2);
        QCOMPARE(choosePreTokenizer("phi-2").kind, PreTokenizerKind::Gpt2);
        QCOMPARE(choosePreTokenizer("falcon").kind, PreTokenizerKind::Falcon);
        QCOMPARE(choosePreTokenizer("deepseek-llm").kind, PreTokenizerKind::DeepseekLlm);
        QCOMPARE(choosePreTokenizer("deepseek-coder").kind, PreTokenizerKind::DeepseekCoder);
        QCOMPARE(choosePreTokenizer("gpt-4o").kind, PreTokenizerKind::Gpt4o);
        QCOMPARE(choosePreTokenizer("llama4").kind, PreTokenizerKind::Gpt4o);
        // llama.cpp: gpt-4o keeps the BPE defaults, tekken adds BOS and ignores merges.
        QVERIFY(!choosePreTokenizer("gpt-4o").addBosDefault);
        QVERIFY(!choosePreTokenizer("gpt-4o").ignoreMerges);
        QCOMPARE(choosePreTokenizer("tekken").kind, PreTokenizerKind::Tekken);
        QVERIFY(choosePreTokenizer("tekken").addBosDefault);
        QVERIFY(choosePreTokenizer("tekken").ignoreMerges);
        QCOMPARE(preTokenizerKindName(PreTokenizerKind::Gpt4o), std::string_view("gpt-4o"));
        QCOMPARE(preTokenizerKindName(PreTokenizerKind::Tekken), std::string_view("tekken"));
        QVERIFY(choosePreTokenizer("default").known);
        QVERIFY(!choosePreTokenizer("no-such-thing").known);
        QCOMPARE(choosePreTokenizer("no-such-thing").kind, PreTokenizerKind::Default);
    }

    // Long runs must not make a matcher rescan (quadratic time).
    void longRunsAreLinear()
    {
        const std::string spaces = std::string(1 << 20, ' ') + "x";
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(preTokenize(PreTokenizerKind::DeepseekLlm, spaces).size(), std::size_t(2));
        QCOMPARE(preTokenize(PreTokenizerKind::Gpt2, spaces).size(), std::size_t(2));
        // Upper-like runs make the word alternatives back off: one long run must stay linear too.
        std::string caps;
        for (int i = 0; i < (1 << 17); ++i)
            caps += i % 2 ? "\xCC\x81" : "A"; // A and a combining acute, alternating
        caps += "AB";
        QCOMPARE(preTokenize(PreTokenizerKind::Gpt4o, caps).size(), std::size_t(2));
        QCOMPARE(preTokenize(PreTokenizerKind::Tekken, std::string(1 << 20, 'A')).size(), std::size_t(1));
        QCOMPARE(preTokenize(PreTokenizerKind::Gpt4o, spaces).size(), std::size_t(2));
        QVERIFY2(timer.elapsed() < 5000, "splitting 1 MiB of spaces and capitals took too long");
    }

    // Every pre-tokenizer on every kind of long run: time grows with the text, not its square.
    // Measured as a ratio (10x the text may take at most 30x the time) so a slow or busy machine
    // does not matter; the old \p{N}{1,3} matcher rescanned the whole digit run at each match
    // (160k digits took 4.6 s, 1 MB over 60 s).
    void everyRunScalesLinearly_data()
    {
        QTest::addColumn<PreTokenizerKind>("kind");
        QTest::addColumn<QByteArray>("unit");
        const std::pair<const char *, QByteArray> classes[] = {
            {"digits", "0123456789"},
            {"letters", "abcdefghij"},
            {"capitals", "ABCDEFGHIJ"},
            {"spaces", " "},
            {"tabs and spaces", "\t "},
            {"newlines", "\n"},
            {"space newline", " \n"},
            {"punctuation", "!?.,;:-_()"},
            {"apostrophes", "'"},
            {"cjk", "\xE4\xB8\xAD\xE6\x96\x87"},
            {"hangul", "\xEA\xB0\x80"},
            {"emoji", "\xF0\x9F\x98\x80"},
            {"marks", "\xCC\x81"},
            {"mixed", "Tom's 3.14159 ist \xE4\xB8\xAD! \n\t "},
            {"invalid utf-8", "\xFF\xC3"},
        };
        for (const PreTokenizerKind kind :
             {PreTokenizerKind::Default, PreTokenizerKind::Gpt2, PreTokenizerKind::Llama3, PreTokenizerKind::Qwen2,
              PreTokenizerKind::Falcon, PreTokenizerKind::Starcoder, PreTokenizerKind::DeepseekLlm,
              PreTokenizerKind::DeepseekCoder, PreTokenizerKind::Gpt4o, PreTokenizerKind::Tekken})
            for (const auto &[name, unit] : classes)
                QTest::addRow("%s %s", preTokenizerKindName(kind).data(), name) << kind << unit;
    }

    void everyRunScalesLinearly()
    {
        QFETCH(PreTokenizerKind, kind);
        QFETCH(QByteArray, unit);
        const auto textOf = [&](std::size_t bytes) {
            std::string s;
            s.reserve(bytes + static_cast<std::size_t>(unit.size()));
            while (s.size() < bytes)
                s.append(unit.constData(), static_cast<std::size_t>(unit.size()));
            return s + "x";
        };
        // CPU time, not wall time: on a shared machine a long run is preempted more often than a
        // short one, which would read as superlinear. Best of `runs` for the rest of the noise.
        const auto cpuNs = [] {
            timespec t{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
            return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
        };
        const auto timeOf = [&](const std::string &text, int runs) {
            qint64 best = std::numeric_limits<qint64>::max();
            for (int run = 0; run < runs; ++run) {
                const qint64 start = cpuNs();
                const auto words = preTokenize(kind, text);
                if (words.empty())
                    return qint64(0);
                best = std::min(best, cpuNs() - start);
            }
            return best;
        };
        const qint64 measured = timeOf(textOf(100'000), 3);
        const qint64 small = std::max<qint64>(measured, 2'000'000);
        // A floor for the small time keeps a near-zero baseline from making noise into a ratio.
        // The large text runs once more only when the first run missed but not by far (noise).
        const std::string largeText = textOf(1'000'000);
        double ratio = double(timeOf(largeText, 1)) / double(small);
        for (int retry = 0; retry < 2 && ratio >= 30 && ratio < 100; ++retry)
            ratio = std::min(ratio, double(timeOf(largeText, 1)) / double(small));
        const qint64 large = qint64(ratio * double(small));
        QVERIFY2(ratio < 30, qPrintable(QStringLiteral("100 kB took %1 ms, 1 MB %2 ms (x%3)")
                                            .arg(double(measured) / 1e6).arg(double(large) / 1e6).arg(ratio)));
    }
};

QTEST_GUILESS_MAIN(TestPreTokenizer)
#include "test_pre_tokenizer.moc"
