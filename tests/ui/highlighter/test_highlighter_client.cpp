// The out-of-process KDE highlighter: real KF5 definitions and themes for C++, Python and JSON,
// plain text for a language it does not know, and a restart after the helper dies.
#include "highlight/helper_highlighter_client.h"

#include <QSignalSpy>
#include <QtTest>

using namespace parlo::ui;

namespace {

struct Reply
{
    quint64 id = 0;
    HighlightResult result;
};

Reply waitFor(HelperHighlighterClient &client, quint64 id)
{
    Reply reply;
    QSignalSpy spy(&client, &CodeHighlighter::highlighted);
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 20000) {
        for (const QList<QVariant> &args : spy) {
            if (args.at(0).toULongLong() == id) {
                reply.id = id;
                reply.result = args.at(1).value<HighlightResult>();
                return reply;
            }
        }
        spy.wait(100);
    }
    return reply;
}

// The colour of the span covering `offset`, or invalid.
QColor colourAt(const HighlightResult &result, int offset)
{
    for (const HighlightSpan &span : result.spans)
        if (offset >= span.offset && offset < span.offset + span.length)
            return span.color;
    return {};
}

} // namespace

class TestHighlighterClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!QFileInfo(QStringLiteral(PARLO_HIGHLIGHTER)).isExecutable())
            QFAIL("parlo-highlighter was not built");
    }

    void cpp()
    {
        HelperHighlighterClient client(QStringLiteral(PARLO_HIGHLIGHTER));
        const QString code = QStringLiteral("#include <vector>\nint main() { return 0; } // done\n");
        const Reply reply = waitFor(client, client.highlight("cpp", CodeHighlighter::Theme::Light, code));
        QCOMPARE(reply.result.definition, QStringLiteral("C++"));
        QVERIFY(reply.result.spans.size() >= 4);
        const QColor keyword = colourAt(reply.result, code.indexOf(u"int"));
        const QColor comment = colourAt(reply.result, code.indexOf(u"// done") + 3);
        const QColor preprocessor = colourAt(reply.result, 1);
        QVERIFY(keyword.isValid() && comment.isValid() && preprocessor.isValid());
        QVERIFY(keyword != comment);
        // Spans stay inside the text.
        for (const HighlightSpan &span : reply.result.spans)
            QVERIFY(span.offset >= 0 && span.length > 0 && span.offset + span.length <= code.size());
    }

    void pythonAndThemes()
    {
        HelperHighlighterClient client(QStringLiteral(PARLO_HIGHLIGHTER));
        const QString code = QStringLiteral("def greet(name):\n    return f\"hi {name}\"  # comment\n");
        const Reply light = waitFor(client, client.highlight("python", CodeHighlighter::Theme::Light, code));
        const Reply dark = waitFor(client, client.highlight("py", CodeHighlighter::Theme::Dark, code));
        QCOMPARE(light.result.definition, QStringLiteral("Python"));
        QCOMPARE(dark.result.definition, QStringLiteral("Python"));
        QVERIFY(!light.result.spans.isEmpty());
        QVERIFY(light.result.background.lightness() > 128);
        QVERIFY(dark.result.background.lightness() < 128);
        const int comment = code.indexOf(u"# comment") + 2;
        QVERIFY(colourAt(light.result, comment).isValid());
        QVERIFY(colourAt(light.result, comment) != colourAt(dark.result, comment));
    }

    void jsonWithNonAscii()
    {
        HelperHighlighterClient client(QStringLiteral(PARLO_HIGHLIGHTER));
        // Offsets count UTF-16 units: the emoji before the number shifts it by two.
        const QString code = QStringLiteral("{\"név\": \"😀\", \"n\": 42}");
        const Reply reply = waitFor(client, client.highlight("json", CodeHighlighter::Theme::Light, code));
        QCOMPARE(reply.result.definition, QStringLiteral("JSON"));
        const int number = code.indexOf(u"42");
        const QColor numberColour = colourAt(reply.result, number);
        QVERIFY(numberColour.isValid());
        QCOMPARE(colourAt(reply.result, number + 1), numberColour);
        QVERIFY(colourAt(reply.result, code.indexOf(u"név")) != numberColour);
    }

    void unknownLanguageIsPlainText()
    {
        HelperHighlighterClient client(QStringLiteral(PARLO_HIGHLIGHTER));
        for (const QString &language : {QStringLiteral("no-such-language"), QString(), QStringLiteral("two words"),
                                        QStringLiteral("\n\nHL 9 light cpp 3")}) {
            const Reply reply = waitFor(client, client.highlight(language, CodeHighlighter::Theme::Light, "x = 1"));
            QVERIFY(reply.id != 0);
            QVERIFY(reply.result.spans.isEmpty());
            QCOMPARE(reply.result.definition, QStringLiteral("None"));
        }
        QCOMPARE(client.restartCount(), 0);
    }

    void restartsAfterTheHelperDies()
    {
        HelperHighlighterClient client(QStringLiteral(PARLO_HIGHLIGHTER));
        QVERIFY(waitFor(client, client.highlight("cpp", CodeHighlighter::Theme::Light, "int x;")).id != 0);
        QVERIFY(client.process());
        const qint64 firstPid = client.process()->processId();
        client.process()->kill();
        QTRY_VERIFY(client.restartCount() == 1);
        const Reply reply = waitFor(client, client.highlight("cpp", CodeHighlighter::Theme::Light, "int y;"));
        QCOMPARE(reply.result.definition, QStringLiteral("C++"));
        QVERIFY(client.process()->processId() != firstPid);

        // Killed with a request in flight: the request is answered after the restart.
        const quint64 id = client.highlight("python", CodeHighlighter::Theme::Dark, "import os\n");
        client.process()->kill();
        const Reply retried = waitFor(client, id);
        QCOMPARE(retried.id, id);
        QCOMPARE(retried.result.definition, QStringLiteral("Python"));
    }

    void missingHelperAnswersPlain()
    {
        HelperHighlighterClient client(QStringLiteral("/nonexistent/parlo-highlighter"));
        const Reply reply = waitFor(client, client.highlight("cpp", CodeHighlighter::Theme::Light, "int x;"));
        QVERIFY(reply.id != 0);
        QVERIFY(reply.result.spans.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHighlighterClient)
#include "test_highlighter_client.moc"
