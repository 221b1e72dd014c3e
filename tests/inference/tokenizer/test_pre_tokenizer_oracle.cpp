// The gpt-4o and tekken matchers against the regexes themselves: pre_tokenizer_oracle.py runs the
// published patterns through Python's `regex` module (Unicode categories and (?i) as the models'
// tokenizers have them) on the llama.cpp vocab test strings, the shared story and a few hundred
// random strings from a fixed seed, and every split must agree piece by piece.
#include "test_data.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer_test_util.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <set>
#include <string>
#include <vector>

using namespace parlo::tokenizer;

Q_DECLARE_METATYPE(PreTokenizerKind)

namespace {

constexpr int kRandomStrings = 400;
constexpr int kSeed = 20240611;

// Corners worth pinning whatever the random draw brings.
const char *const kEdgeCases[] = {
    "HelloWorld", "XMLHttpRequest", "ALLCAPS", "I'm DON'T we'LL they'RE", "x'\xC5\xBF", "1234567",
    "a/b\n\n", "a!\n/\n/b", "e\xCC\x81\xCC\x81 \xCC\x81", "\xC7\x85ungla", "   trailing   ", "\r\n\r\n  x",
    "\xFF\xC3 \xE2\x82 ok", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80 !!", "\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1 \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0",
};

std::string fromHex(const QJsonValue &v)
{
    const QByteArray bytes = QByteArray::fromHex(v.toString().toLatin1());
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

// Readable form of any bytes: printable ASCII and valid UTF-8 as they are, the rest escaped.
QString visible(std::string_view s)
{
    QString out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b == '\n' || b == '\r' || b == '\t') {
            out += b == '\n' ? "\\n" : b == '\r' ? "\\r" : "\\t";
            ++i;
            continue;
        }
        if (b >= 0x20 && b < 0x7F) {
            out += QChar(b);
            ++i;
            continue;
        }
        std::size_t n = 1;
        if (b >= 0x80) {
            n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            if (i + n <= s.size() && parlo::test::isValidUtf8(s.substr(i, n))) {
                out += QString::fromUtf8(s.data() + i, static_cast<qsizetype>(n));
                i += n;
                continue;
            }
        }
        out += QString("\\x%1").arg(b, 2, 16, QChar('0'));
        ++i;
    }
    return out;
}

QString showPieces(const std::vector<std::string> &pieces)
{
    QStringList parts;
    for (const auto &p : pieces)
        parts << "[" + visible(p) + "]";
    return parts.join(' ');
}

} // namespace

class TestPreTokenizerOracle : public QObject
{
    Q_OBJECT

    QJsonArray m_oracle;
    QString m_skipReason;

    std::vector<std::string> corpus()
    {
        std::set<std::string> seen;
        std::vector<std::string> out;
        const auto add = [&](const std::string &s) {
            if (!s.empty() && seen.insert(s).second)
                out.push_back(s);
        };
        for (const char *s : kEdgeCases)
            add(s);
        const QString vocabDir = parlo::test::testDataFile("vocab");
        if (vocabDir.isEmpty())
            qWarning("vocab/ is missing from PARLO_TEST_DATA: only the edge cases and random strings are checked");
        for (const QString &name : QDir(vocabDir).entryList({"*.inp"}, QDir::Files, QDir::Name)) {
            for (const std::string &s : parlo::test::splitVocabInputs(parlo::test::readBytes(vocabDir + "/" + name)))
                add(s);
        }
        const QString story = parlo::test::testDataFile("texts/story.txt");
        if (story.isEmpty())
            qWarning("texts/story.txt is missing from PARLO_TEST_DATA");
        const std::string text = story.isEmpty() ? std::string() : parlo::test::readBytes(story);
        add(text);
        for (std::size_t pos = 0; pos < text.size();) {
            const std::size_t next = text.find("\n\n", pos);
            add(text.substr(pos, next == std::string::npos ? std::string::npos : next + 2 - pos));
            pos = next == std::string::npos ? text.size() : next + 2;
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QProcess probe;
        probe.start(PARLO_PYTHON3, {"-c", "import regex"});
        if (!probe.waitForFinished(30000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0) {
            m_skipReason = QString("%1 cannot import the regex module (apt install python3-regex)").arg(PARLO_PYTHON3);
            return;
        }
        QByteArray input;
        for (const std::string &s : corpus())
            input += QByteArray(s.data(), static_cast<qsizetype>(s.size())).toHex() + '\n';
        QProcess python;
        python.start(PARLO_PYTHON3, {PARLO_PRE_TOKENIZER_ORACLE, QString::number(kRandomStrings), QString::number(kSeed)});
        python.write(input);
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(120000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        m_oracle = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
        QVERIFY(m_oracle.size() > kRandomStrings);
    }

    void matchesRegex_data()
    {
        QTest::addColumn<PreTokenizerKind>("kind");
        QTest::newRow("gpt-4o") << PreTokenizerKind::Gpt4o;
        QTest::newRow("tekken") << PreTokenizerKind::Tekken;
    }

    void matchesRegex()
    {
        if (!m_skipReason.isEmpty())
            QSKIP(qPrintable(m_skipReason));
        QFETCH(PreTokenizerKind, kind);
        const QString name = QString::fromLatin1(preTokenizerKindName(kind));
        int mismatches = 0;
        for (const QJsonValue &entry : m_oracle) {
            const std::string text = fromHex(entry["text"]);
            std::vector<std::string> expected;
            for (const QJsonValue &piece : entry[name].toArray())
                expected.push_back(fromHex(piece));
            std::vector<std::string> got;
            for (const std::string_view piece : preTokenize(kind, text))
                got.emplace_back(piece);
            if (got == expected)
                continue;
            // One warning a string: Qt Test cuts long failure messages short.
            if (++mismatches <= 20)
                qWarning().noquote() << "\n  text  " << visible(text) << "\n  parlo " << showPieces(got)
                                     << "\n  regex " << showPieces(expected);
        }
        QVERIFY2(mismatches == 0, qPrintable(QString("%1 of %2 strings split differently from the %3 regex (the first are shown above)")
                                                 .arg(mismatches).arg(m_oracle.size()).arg(name)));
    }
};

QTEST_GUILESS_MAIN(TestPreTokenizerOracle)
#include "test_pre_tokenizer_oracle.moc"
