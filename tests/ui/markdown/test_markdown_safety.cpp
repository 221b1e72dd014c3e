// neutraliseMarkdown: no image and no HTML survive (checked by rendering the result with
// Qt's own Markdown reader and looking for image fragments and loaded resources), while code,
// links, autolinks, entities and ordinary text come through unchanged.
#include "markdown/markdown_safety.h"

#include <QElapsedTimer>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QtTest>

using parlo::ui::neutraliseMarkdown;

namespace {

// A document that records every resource Qt's renderer asks for instead of loading it.
class RecordingDocument : public QTextDocument
{
public:
    QList<QUrl> requested;

protected:
    QVariant loadResource(int, const QUrl &name) override
    {
        requested.append(name);
        return {};
    }
};

struct Rendered
{
    QString text;
    int images = 0;
    QStringList anchors;
    QList<QUrl> requested;
};

Rendered render(const QString &markdown)
{
    RecordingDocument doc;
    doc.setMarkdown(markdown);
    Rendered result;
    result.text = doc.toPlainText();
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.charFormat().isImageFormat())
                ++result.images;
            if (fragment.charFormat().isAnchor())
                result.anchors.append(fragment.charFormat().anchorHref());
        }
    }
    // Laying the document out is when images and backgrounds are loaded.
    doc.setTextWidth(400);
    (void)doc.size();
    result.requested = doc.requested;
    return result;
}

} // namespace

class TestMarkdownSafety : public QObject
{
    Q_OBJECT

private slots:
    void hostile_data()
    {
        QTest::addColumn<QString>("markdown");
        const QString h = QStringLiteral("http://127.0.0.1:9/");
        QTest::newRow("image") << QStringLiteral("see ![chart](%1leak?pin=4711) now").arg(h);
        QTest::newRow("image with title") << QStringLiteral("![a](%1t \"title\")").arg(h);
        QTest::newRow("image pointy") << QStringLiteral("![a](<%1p q>)").arg(h);
        QTest::newRow("reference image") << QStringLiteral("![a][r] ![r] ![r][]\n[r]: %1ref").arg(h);
        QTest::newRow("nested image") << QStringLiteral("![a ![b](%1in)](%1out)").arg(h);
        QTest::newRow("image in link") << QStringLiteral("[![b](%1in)](https://example.org)").arg(h);
        QTest::newRow("img block") << QStringLiteral("<img src=\"%1block\">").arg(h);
        QTest::newRow("img inline") << QStringLiteral("text <img src=\"%1inline\"> more").arg(h);
        QTest::newRow("img after br") << QStringLiteral("a<br>b\n<br/>\n<img src=\"%1afterbr\">").arg(h);
        QTest::newRow("img in bold html") << QStringLiteral("<b><img src=\"%1nested\"></b>").arg(h);
        QTest::newRow("css url") << QStringLiteral("<span style=\"background-image:url(%1css)\">x</span>").arg(h);
        QTest::newRow("style tag") << QStringLiteral("<style>p{background:url(%1style)}</style>\n\ntext").arg(h);
        QTest::newRow("link prefetch") << QStringLiteral("<link rel=\"prefetch\" href=\"%1pre\">").arg(h);
        QTest::newRow("link stylesheet") << QStringLiteral("<link rel=\"stylesheet\" href=\"%1css\">").arg(h);
        QTest::newRow("table background") << QStringLiteral("<table background=\"%1bg\"><tr><td>x</td></tr></table>").arg(h);
        QTest::newRow("table cells") << QStringLiteral("| a | b |\n|---|---|\n| ![c](%1cell) | <img src=\"%1tag\"> |").arg(h);
        QTest::newRow("code span across a cell")
            << QStringLiteral("| a | b |\n|---|---|\n| `x | <img src=\"%1cross\"> ` |").arg(h);
        QTest::newRow("unpaired backtick in alt") << QStringLiteral("![a`b](%1x) `![c](%1y)`").arg(h);
        QTest::newRow("comment") << QStringLiteral("<!-- x --><img src=\"%1c\">").arg(h);
        QTest::newRow("list and quote") << QStringLiteral("- ![a](%1l)\n- <img src=\"%1l2\">\n\n> ![q](%1q)").arg(h);
        QTest::newRow("escaped bang stays text") << QStringLiteral("\\![a](%1e) \\\\![b](%1e2)").arg(h);
        QTest::newRow("svg") << QStringLiteral("<svg><image href=\"%1svg\"/></svg>").arg(h);
        QTest::newRow("indented") << QStringLiteral("    <img src=\"%1indented\">").arg(h);
    }

    void hostile()
    {
        QFETCH(QString, markdown);
        const QString safe = neutraliseMarkdown(markdown);
        const Rendered r = render(safe);
        QVERIFY2(r.images == 0, qPrintable(safe));
        QVERIFY2(r.requested.isEmpty(), qPrintable(safe + u'\n' + QDebug::toString(r.requested)));
        // What it pointed at is still on screen, as text.
        QVERIFY2(r.text.contains(QStringLiteral("127.0.0.1:9")), qPrintable(safe + u'\n' + r.text));
        // Some of these Qt 6.4 does not load even raw (<img> from Markdown, <link>); they are
        // kept so a Qt that starts loading them finds them neutralised already.
    }

    void imagesSayWhereTheyPoint()
    {
        const QString safe = neutraliseMarkdown(u"Chart: ![sales *2024*](http://host/a_b?x=1&y=2)");
        const Rendered r = render(safe);
        QVERIFY2(r.text.contains(QStringLiteral("image: sales 2024 → http://host/a_b?x=1&y=2")), qPrintable(r.text));
        QCOMPARE(r.anchors.size() >= 1, true);
        QCOMPARE(r.anchors.first(), QStringLiteral("http://host/a_b?x=1&y=2"));
        const Rendered empty = render(neutraliseMarkdown(u"![](http://host/x.png)"));
        QVERIFY2(empty.text.contains(QStringLiteral("image → http://host/x.png")), qPrintable(empty.text));
    }

    void ordinaryMarkdownIsKept_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::newRow("text") << QStringLiteral("Plain *emphasis*, **strong** and ~~strike~~.");
        QTest::newRow("link") << QStringLiteral("A [link](https://example.org/a_(b)) here.");
        QTest::newRow("autolink") << QStringLiteral("Mail <someone@example.org> or <https://example.org/x>.");
        QTest::newRow("code span") << QStringLiteral("Use `a < b && <img>` in code, ``x ` y``.");
        QTest::newRow("entities") << QStringLiteral("5 &lt; 6 &amp; &copy; &#60;");
        QTest::newRow("comparison") << QStringLiteral("if a < b and c > d");
        QTest::newRow("table") << QStringLiteral("| a | b |\n|---|---|\n| `x` | y |");
        QTest::newRow("shell pipe") << QStringLiteral("Run `ls | grep x` first.");
        QTest::newRow("exclamation") << QStringLiteral("Wow! [not an image] !");
    }

    void ordinaryMarkdownIsKept()
    {
        QFETCH(QString, markdown);
        QCOMPARE(render(neutraliseMarkdown(markdown)).text, render(markdown).text);
    }

    void htmlIsShownAsText()
    {
        // Raw, "<b and c >" is a tag and hides the words; neutralised, everything is read.
        QCOMPARE(render(neutraliseMarkdown(u"if a<b and c > d")).text, QStringLiteral("if a<b and c > d"));
        QCOMPARE(render(neutraliseMarkdown(u"<img src=\"x.png\">")).text, QStringLiteral("<img src=\"x.png\">"));
    }

    void lineBreakInsideALine()
    {
        QCOMPARE(neutraliseMarkdown(u"a<br>b<BR />c"), QStringLiteral("a<br/>b<br/>c"));
        // Alone at the end of a line it could begin an HTML block: shown as text.
        QCOMPARE(neutraliseMarkdown(u"a<br>\n<br>"), QStringLiteral("a\\<br>\n\\<br>"));
    }

    void linearOnHostileRuns()
    {
        // Inputs that make naive scanners quadratic: unclosed images, brackets, backtick runs,
        // titles and tags. 400 KB each must take well under a second.
        const QStringList patterns = {QStringLiteral("![a]("), QStringLiteral("!["), QStringLiteral("[["),
                                      QStringLiteral("` `` ``` "), QStringLiteral("![a](x ("),
                                      QStringLiteral("<ab:"), QStringLiteral("<br>"), QStringLiteral("![a][")};
        for (const QString &pattern : patterns) {
            const QString input = pattern.repeated(400000 / pattern.size());
            QElapsedTimer timer;
            timer.start();
            const QString out = neutraliseMarkdown(input);
            QVERIFY2(timer.elapsed() < 2000, qPrintable(QStringLiteral("%1: %2 ms").arg(pattern).arg(timer.elapsed())));
            QVERIFY(!out.isEmpty());
        }
    }
};

QTEST_MAIN(TestMarkdownSafety)
#include "test_markdown_safety.moc"
