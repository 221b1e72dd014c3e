// Every real template in ../shared/templates on every conversation, with and without the
// generation prompt, must equal jinja2's rendering byte for byte (or refuse with its message).
#include "parlo/chat_template.h"
#include "test_data.h"

#include <QDir>
#include <QFile>
#include <QtTest>

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestChatTemplates : public QObject
{
    Q_OBJECT

private slots:
    void matchesJinja2_data()
    {
        QTest::addColumn<QString>("templatePath");
        QTest::addColumn<QString>("conversationPath");
        QTest::addColumn<bool>("generation");
        QTest::addColumn<QString>("expectedBase");
        const QString root = parlo::test::testDataFile("templates");
        if (root.isEmpty())
            return;
        const QDir dir(root);
        const auto templates = dir.entryList({"*.jinja"}, QDir::Files, QDir::Name);
        const auto conversations = QDir(root + "/conversations").entryList({"*.json"}, QDir::Files, QDir::Name);
        for (const QString &t : templates)
            for (const QString &c : conversations)
                for (bool gen : {true, false}) {
                    const QString base = QStringLiteral("%1/expected/%2--%3--%4")
                                             .arg(root, QFileInfo(t).completeBaseName(), QFileInfo(c).completeBaseName(),
                                                  gen ? "gen" : "nogen");
                    QTest::newRow(qPrintable(base.mid(root.size() + 10))) << dir.filePath(t)
                                                                          << root + "/conversations/" + c << gen << base;
                }
    }

    void matchesJinja2()
    {
        PARLO_REQUIRE_TEST_FILE(root, "templates/expected");
        QFETCH(QString, templatePath);
        QFETCH(QString, conversationPath);
        QFETCH(bool, generation);
        QFETCH(QString, expectedBase);

        const QByteArray source = readAll(templatePath);
        const QByteArray conversation = readAll(conversationPath);
        auto messages = parlo::json::parse(std::string_view(conversation.constData(), size_t(conversation.size())));
        QVERIFY2(messages.ok(), messages.ok() ? "" : messages.error().message.c_str());

        parlo::chat::ChatInput input;
        input.messages = *messages;
        input.bosToken = "<s>";
        input.eosToken = "</s>";
        input.addGenerationPrompt = generation;
        input.now = parlo::chat::CivilTime{2026, 1, 15, 12, 0, 0};
        const auto tpl = parlo::chat::ChatTemplate::compile(std::string_view(source.constData(), size_t(source.size())));
        QVERIFY2(tpl.isValid(), tpl.isValid() ? "" : tpl.syntaxError()->describe().c_str());
        const auto rendered = tpl.render(input);

        if (QFile::exists(expectedBase + ".error")) {
            QVERIFY2(!rendered.ok(), "the template should have refused this conversation");
            QString expected = QString::fromUtf8(readAll(expectedBase + ".error")).trimmed();
            expected.remove(QRegularExpression("^template error: "));
            QCOMPARE(QString::fromStdString(rendered.error->message), expected);
            QVERIFY(rendered.error->line > 0);
            return;
        }
        QVERIFY2(rendered.ok(), rendered.ok() ? "" : rendered.error->describe().c_str());
        const QByteArray expected = readAll(expectedBase + ".txt");
        QCOMPARE(QByteArray::fromStdString(rendered.text), expected);
    }

    void everyTemplateWasChecked()
    {
        PARLO_REQUIRE_TEST_FILE(root, "templates/expected");
        const int expectedFiles = QDir(root).entryList({"*.txt", "*.error"}, QDir::Files).size();
        QVERIFY2(expectedFiles >= 72, qPrintable(QString::number(expectedFiles)));
    }
};

QTEST_GUILESS_MAIN(TestChatTemplates)
#include "test_chat_templates.moc"
