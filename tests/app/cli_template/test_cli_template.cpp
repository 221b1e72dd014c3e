// parlo-cli template end to end: byte-exact output against every expected rendering, template
// errors on stderr with a non-zero exit, --model through GGUF metadata, --date, bad input.
#include "parlo/gguf.h"
#include "process_run.h"
#include "parlo/gguf_writer.h"
#include "parlo/json.h"
#include "test_data.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = parlo::test::ProcessRun;

Run runCli(const QStringList &args) { return parlo::test::runProcess(PARLO_CLI_PATH, QStringList{"template"} + args); }

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestCliTemplate : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void rendersEveryExpectedFile_data()
    {
        QTest::addColumn<QString>("templatePath");
        QTest::addColumn<QString>("conversationPath");
        QTest::addColumn<bool>("generation");
        QTest::addColumn<QString>("expectedBase");
        const QString root = parlo::test::testDataFile("templates");
        if (root.isEmpty())
            return;
        for (const QString &t : QDir(root).entryList({"*.jinja"}, QDir::Files, QDir::Name))
            for (const QString &c : QDir(root + "/conversations").entryList({"*.json"}, QDir::Files, QDir::Name))
                for (bool gen : {true, false}) {
                    const QString name = QStringLiteral("%1--%2--%3").arg(QFileInfo(t).completeBaseName(),
                                                                          QFileInfo(c).completeBaseName(), gen ? "gen" : "nogen");
                    QTest::newRow(qPrintable(name)) << root + "/" + t << root + "/conversations/" + c << gen
                                                    << root + "/expected/" + name;
                }
    }

    void rendersEveryExpectedFile()
    {
        PARLO_REQUIRE_TEST_FILE(root, "templates/expected");
        QFETCH(QString, templatePath);
        QFETCH(QString, conversationPath);
        QFETCH(bool, generation);
        QFETCH(QString, expectedBase);
        QStringList args{"--template", templatePath, "--messages", conversationPath, "--date", "2026-01-15"};
        if (!generation)
            args << "--no-generation-prompt";
        const Run run = runCli(args);
        if (QFile::exists(expectedBase + ".error")) {
            QCOMPARE(run.exitCode, 1);
            QVERIFY(run.outBytes.isEmpty());
            QByteArray expected = readAll(expectedBase + ".error").trimmed();
            expected.replace("template error: ", "");
            QVERIFY2(run.errBytes.contains("template error: line "), run.errBytes.constData());
            QVERIFY2(run.errBytes.contains(expected), run.errBytes.constData());
            return;
        }
        QVERIFY2(run.exitCode == 0, run.errBytes.constData());
        QCOMPARE(run.outBytes, readAll(expectedBase + ".txt"));
    }

    void dateOptionFeedsStrftimeNow()
    {
        PARLO_REQUIRE_TEST_FILE(tpl, "templates/meta-llama-Llama-3.2-3B-Instruct.jinja");
        PARLO_REQUIRE_TEST_FILE(conv, "templates/conversations/simple.json");
        const Run run = runCli({"--template", tpl, "--messages", conv, "--date", "2024-07-04"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.outBytes.contains("Today Date: 04 Jul 2024\n"), run.outBytes.constData());
        const Run today = runCli({"--template", tpl, "--messages", conv});
        QCOMPARE(today.exitCode, 0);
        QVERIFY(today.outBytes.contains(QDate::currentDate().toString("dd MMM yyyy").toUtf8()) ||
                today.outBytes.contains("Today Date: ")); // locale month names may differ; the date must be set
    }

    void tokensAndObjectConversations()
    {
        QVERIFY(m_dir.isValid());
        const QString tpl = m_dir.filePath("t.jinja");
        QVERIFY(writeAll(tpl, "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}{{ eos_token }}{{ extra }}\n"));
        const QString conv = m_dir.filePath("c.json");
        QVERIFY(writeAll(conv, "{\"messages\": [{\"role\": \"user\", \"content\": \"h\\u00e9\"}], \"extra\": \"X\"}"));
        Run run = runCli({"--template", tpl, "--messages", conv});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.outBytes, QByteArray("<s>h\xC3\xA9</s>X"));
        run = runCli({"--template", tpl, "--messages", conv, "--bos-token", "[B]", "--eos-token", ""});
        QCOMPARE(run.outBytes, QByteArray("[B]h\xC3\xA9X"));
    }

    void modelTemplateFromGguf()
    {
        PARLO_REQUIRE_TEST_FILE(model, "vocab/ggml-vocab-phi-3.gguf");
        PARLO_REQUIRE_TEST_FILE(conv, "templates/conversations/system-multiturn.json");
        auto file = parlo::gguf::File::open(model.toStdString());
        QVERIFY(file.ok());
        const auto source = (*file)->getString("tokenizer.chat_template");
        QVERIFY(source.has_value());
        const auto tokens = *(*file)->getStringArray("tokenizer.ggml.tokens");
        const QString bos = QString::fromUtf8(tokens[*(*file)->getUInt("tokenizer.ggml.bos_token_id")].data(),
                                              qsizetype(tokens[*(*file)->getUInt("tokenizer.ggml.bos_token_id")].size()));
        const QString eos = QString::fromUtf8(tokens[*(*file)->getUInt("tokenizer.ggml.eos_token_id")].data(),
                                              qsizetype(tokens[*(*file)->getUInt("tokenizer.ggml.eos_token_id")].size()));
        const QString tpl = m_dir.filePath("phi3.jinja");
        QVERIFY(writeAll(tpl, QByteArray(source->data(), qsizetype(source->size()))));
        for (bool gen : {true, false}) {
            QStringList extra = gen ? QStringList{} : QStringList{"--no-generation-prompt"};
            const Run fromModel = runCli(QStringList{"--model", model, "--messages", conv} + extra);
            QVERIFY2(fromModel.exitCode == 0, fromModel.errBytes.constData());
            const Run fromFile = runCli(QStringList{"--template", tpl, "--messages", conv, "--bos-token", bos, "--eos-token", eos} + extra);
            QCOMPARE(fromModel.outBytes, fromFile.outBytes);
            QVERIFY(fromModel.outBytes.contains("<|user|>\nWhat is the capital of Italy?<|end|>"));
            // And the oracle agrees, given the same BOS/EOS.
            const QString script = parlo::test::testDataFile("tools/render_chat_template.py");
            if (script.isEmpty())
                continue;
            std::string object = "{\"messages\": " + readAll(conv).toStdString() + ", \"bos_token\": ";
            parlo::json::appendQuoted(object, bos.toStdString(), false);
            object += ", \"eos_token\": ";
            parlo::json::appendQuoted(object, eos.toStdString(), false);
            object += "}";
            const QString objectPath = m_dir.filePath("phi3-conversation.json");
            QVERIFY(writeAll(objectPath, QByteArray::fromStdString(object)));
            QProcess python;
            python.start("/usr/bin/python3", QStringList{script, tpl, objectPath} + extra);
            if (!python.waitForFinished(30000) || python.exitCode() != 0)
                continue; // python3-jinja2 missing: the byte-exact expected-file tests still ran
            QCOMPARE(fromModel.outBytes, python.readAllStandardOutput());
        }
    }

    void modelWithoutTemplateUsesFallbackAndSaysSo()
    {
        PARLO_REQUIRE_TEST_FILE(conv, "templates/conversations/simple.json");
        parlo::gguf::Writer writer;
        writer.setString("general.architecture", "llama");
        const std::vector<std::string> tokens{"<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"};
        writer.setStringArray("tokenizer.ggml.tokens", tokens);
        writer.setUInt32("tokenizer.ggml.bos_token_id", 1);
        writer.setUInt32("tokenizer.ggml.eos_token_id", 4);
        const QString model = m_dir.filePath("notemplate.gguf");
        QVERIFY(writer.writeFile(model.toStdString()).ok());
        const Run run = runCli({"--model", model, "--messages", conv});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.outBytes, QByteArray("<|im_start|>user\nHello! Who are you?<|im_end|>\n<|im_start|>assistant\n"));
        QVERIFY2(run.errBytes.contains("no chat template; using the built-in ChatML template"), run.errBytes.constData());
    }

    void modelTemplateErrorGoesToStderr()
    {
        PARLO_REQUIRE_TEST_FILE(gemma, "templates/google-gemma-2-2b-it.jinja");
        PARLO_REQUIRE_TEST_FILE(conv, "templates/conversations/system-multiturn.json");
        parlo::gguf::Writer writer;
        writer.setString("general.architecture", "gemma2");
        writer.setString("tokenizer.chat_template", readAll(gemma).toStdString());
        const QString model = m_dir.filePath("gemma.gguf");
        QVERIFY(writer.writeFile(model.toStdString()).ok());
        const Run run = runCli({"--model", model, "--messages", conv});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.outBytes.isEmpty());
        QVERIFY2(run.errBytes.contains("template error: line 1, column ") && run.errBytes.contains("System role not supported"),
                 run.errBytes.constData());
    }

    void badInvocations()
    {
        PARLO_REQUIRE_TEST_FILE(conv, "templates/conversations/simple.json");
        PARLO_REQUIRE_TEST_FILE(tpl, "templates/microsoft-Phi-3.5-mini-instruct.jinja");
        QCOMPARE(runCli({"--template", tpl}).exitCode, 2);
        QCOMPARE(runCli({"--messages", conv}).exitCode, 2);
        QCOMPARE(runCli({"--template", tpl, "--messages", conv, "--date", "15/01/2026"}).exitCode, 2);
        Run run = runCli({"--template", m_dir.filePath("missing.jinja"), "--messages", conv});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.errBytes.contains("missing.jinja does not exist"), run.errBytes.constData());
        const QString broken = m_dir.filePath("broken.json");
        QVERIFY(writeAll(broken, "[{\"role\": \"user\", \"content\": \"x\"}"));
        run = runCli({"--template", tpl, "--messages", broken});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.errBytes.contains("JSON: line 1"), run.errBytes.constData());
        const QString syntax = m_dir.filePath("syntax.jinja");
        QVERIFY(writeAll(syntax, "ok\n{% for x in messages %}"));
        run = runCli({"--template", syntax, "--messages", conv});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.errBytes.contains("template error: line 2, column "), run.errBytes.constData());
        run = runCli({"--model", m_dir.filePath("nope.gguf"), "--messages", conv});
        QCOMPARE(run.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestCliTemplate)
#include "test_cli_template.moc"
