// Splitting Markdown into blocks: the kinds, code fences (closed, unterminated, indented,
// tildes), loose and nested lists, tables, hostile and huge input, and the block model's
// incremental updates while an answer streams.
#include "markdown/markdown_block_model.h"
#include "markdown/markdown_blocks.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using parlo::ui::MarkdownBlock;
using parlo::ui::splitMarkdown;
using Kind = MarkdownBlock::Kind;

class TestMarkdownBlocks : public QObject
{
    Q_OBJECT

private slots:
    void kinds()
    {
        const auto blocks = splitMarkdown(u"# Title\nSome *text*\nmore text\n\n- a\n- b\n\n> quote\n\n---\n\n"
                                          "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n1. one\n2. two");
        QCOMPARE(blocks.size(), 7);
        QCOMPARE(blocks[0].kind, Kind::Heading);
        QCOMPARE(blocks[0].text, QStringLiteral("# Title"));
        QCOMPARE(blocks[1].kind, Kind::Paragraph);
        QCOMPARE(blocks[1].text, QStringLiteral("Some *text*\nmore text"));
        QCOMPARE(blocks[2].kind, Kind::List);
        QCOMPARE(blocks[3].kind, Kind::Quote);
        QCOMPARE(blocks[4].kind, Kind::Rule);
        QCOMPARE(blocks[5].kind, Kind::Table);
        QCOMPARE(blocks[6].kind, Kind::List);
    }

    void codeFence()
    {
        const auto blocks = splitMarkdown(u"Intro:\n```python title=\"x\"\ndef f():\n\n    return 1\n```\nAfter.");
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].language, QStringLiteral("python"));
        QCOMPARE(blocks[1].text, QStringLiteral("def f():\n\n    return 1"));
        QVERIFY(blocks[1].closed);
        QCOMPARE(blocks[2].text, QStringLiteral("After."));
    }

    void markdownInsideCodeIsCode()
    {
        const auto blocks = splitMarkdown(u"~~~~md\n# not a heading\n```\nstill code\n~~~~");
        QCOMPARE(blocks.size(), 1);
        QCOMPARE(blocks[0].kind, Kind::Code);
        QCOMPARE(blocks[0].text, QStringLiteral("# not a heading\n```\nstill code"));
    }

    void unterminatedFence()
    {
        const auto blocks = splitMarkdown(u"text\n```cpp\nint x = 1;\nint y");
        QCOMPARE(blocks.size(), 2);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QVERIFY(!blocks[1].closed);
        QCOMPARE(blocks[1].text, QStringLiteral("int x = 1;\nint y"));
        // A fence opened on the very last line: an empty, open code block.
        const auto justOpened = splitMarkdown(u"```");
        QCOMPARE(justOpened.size(), 1);
        QVERIFY(!justOpened[0].closed);
        QVERIFY(justOpened[0].text.isEmpty());
    }

    void inlineBackticksAreNotFences()
    {
        const auto blocks = splitMarkdown(u"```inline``` code\nnext");
        QCOMPARE(blocks.size(), 1);
        QCOMPARE(blocks[0].kind, Kind::Paragraph);
    }

    void indentedFenceInList()
    {
        const auto blocks = splitMarkdown(u"1. Run:\n   ```sh\n   make -j2\n   ```\n2. Done");
        QCOMPARE(blocks.size(), 3);
        QCOMPARE(blocks[1].kind, Kind::Code);
        QCOMPARE(blocks[1].text, QStringLiteral("make -j2"));
        QCOMPARE(blocks[1].language, QStringLiteral("sh"));
    }

    void looseAndNestedListsStayOneBlock()
    {
        const auto blocks = splitMarkdown(u"- a\n  - a.1\n    - a.1.1\n\n- b\n\n  continuation of b\n\n3. c\n\nAfter");
        QCOMPARE(blocks.size(), 2);
        QCOMPARE(blocks[0].kind, Kind::List);
        QVERIFY(blocks[0].text.contains(u"a.1.1"));
        QVERIFY(blocks[0].text.contains(u"continuation of b"));
        QCOMPARE(blocks[1].text, QStringLiteral("After"));
    }

    void windowsLineEndings()
    {
        const auto blocks = splitMarkdown(u"para\r\n\r\n```c\r\nint x;\r\n```\r\n");
        QCOMPARE(blocks.size(), 2);
        QCOMPARE(blocks[1].text, QStringLiteral("int x;"));
        QVERIFY(blocks[1].closed);
    }

    void hostileInputNeverFails()
    {
        const QStringList inputs = {QString(), QStringLiteral("\n\n\n"), QStringLiteral("`"), QStringLiteral("``"),
                                    QStringLiteral("|"), QStringLiteral("|\n|"), QStringLiteral("#"),
                                    QStringLiteral("####### seven"), QString(5000, u'`'), QString(5000, u'-'),
                                    QString(3000, u'>') + u'x', QStringLiteral("- ") + QString(2000, u' ') + u'-',
                                    QString(QChar(0)) + QStringLiteral("\n```\0x"), QStringLiteral("\xd800 lone surrogate")};
        for (const QString &input : inputs) {
            const auto blocks = splitMarkdown(input);
            for (const MarkdownBlock &b : blocks)
                QVERIFY(b.kind == Kind::Code || !b.text.trimmed().isEmpty() || b.kind == Kind::Paragraph);
        }
        QVERIFY(splitMarkdown(u"").isEmpty());
        QVERIFY(splitMarkdown(u"\n \n\t\n").isEmpty());
    }

    void hugeTextIsLinear()
    {
        QString text;
        for (int i = 0; i < 20000; ++i)
            text += QStringLiteral("Paragraph %1 with `code` and **bold**.\n\n```js\nlet x = %1;\n```\n\n").arg(i);
        QElapsedTimer timer;
        timer.start();
        const auto blocks = splitMarkdown(text);
        QCOMPARE(blocks.size(), 40000);
        QCOMPARE(blocks.last().text, QStringLiteral("let x = 19999;"));
        qInfo("split %lld chars into %lld blocks in %lld ms", qint64(text.size()), qint64(blocks.size()),
              timer.elapsed());
    }

    void modelUpdatesOnlyTheTailWhileStreaming()
    {
        parlo::ui::MarkdownBlockModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        const QString answer = QStringLiteral("## Hi\n\nSome text here.\n\n```cpp\nint main() {}\n```\n\nBye.");
        for (qsizetype n = 1; n <= answer.size(); ++n)
            model.setMarkdown(answer.left(n));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.data(model.index(2), parlo::ui::MarkdownBlockModel::KindRole).toString(), QStringLiteral("code"));
        QCOMPARE(model.data(model.index(2), parlo::ui::MarkdownBlockModel::LanguageRole).toString(), QStringLiteral("cpp"));
        QCOMPARE(model.data(model.index(2), parlo::ui::MarkdownBlockModel::TextRole).toString(), QStringLiteral("int main() {}"));
        QCOMPARE(reset.count(), 0);
        QVERIFY(inserted.count() >= 4);
        QVERIFY(changed.count() > 20);
        // Growing text only re-kinds a block at its start ("#" then "##"): removals stay rare.
        QVERIFY2(removed.count() <= 3, qPrintable(QString::number(removed.count())));

        model.setMarkdown(QString());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMarkdownBlocks)
#include "test_markdown_blocks.moc"
