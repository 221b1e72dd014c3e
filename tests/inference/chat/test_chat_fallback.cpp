// Built-in fallback templates, their choice from architecture and vocabulary, and buildPrompt's
// recovery: system prompt folding for templates that refuse it, fallback with the error kept.
#include "parlo/chat_template.h"
#include "test_data.h"

#include <QFile>
#include <QtTest>

#include <set>

using namespace parlo::chat;

namespace {

ChatInput conversation(bool withSystem)
{
    ChatInput in;
    std::string text = "[";
    if (withSystem)
        text += "{\"role\": \"system\", \"content\": \"Be brief.\"},";
    text += "{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"},"
            "{\"role\": \"user\", \"content\": \"Bye\"}]";
    in.messages = *parlo::json::parse(text);
    in.bosToken = "<s>";
    in.eosToken = "</s>";
    return in;
}

TokenLookup vocab(std::set<std::string> tokens)
{
    return [tokens = std::move(tokens)](std::string_view t) { return tokens.count(std::string(t)) != 0; };
}

} // namespace

class TestChatFallback : public QObject
{
    Q_OBJECT

private slots:
    void choosesFromTokensThenArchitecture()
    {
        QCOMPARE(chooseBuiltinTemplate("llama", vocab({"<|im_start|>", "<|im_end|>"})), BuiltinTemplate::ChatML);
        QCOMPARE(chooseBuiltinTemplate("llama", vocab({"<|start_header_id|>", "<|eot_id|>"})), BuiltinTemplate::Llama3);
        QCOMPARE(chooseBuiltinTemplate("gemma2", vocab({"<start_of_turn>", "<end_of_turn>"})), BuiltinTemplate::Gemma);
        QCOMPARE(chooseBuiltinTemplate("llama", vocab({"<|user|>", "<|assistant|>", "<|end|>"})), BuiltinTemplate::Phi3);
        QCOMPARE(chooseBuiltinTemplate("llama", vocab({"[INST]", "[/INST]"})), BuiltinTemplate::Mistral);
        QCOMPARE(chooseBuiltinTemplate("llama", vocab({"<|user|>", "<|assistant|>"})), BuiltinTemplate::Zephyr);
        QCOMPARE(chooseBuiltinTemplate("olmo", vocab({"<|user|>", "<|assistant|>"})), BuiltinTemplate::OLMo);
        QCOMPARE(chooseBuiltinTemplate("olmo2", {}), BuiltinTemplate::OLMo);
        QCOMPARE(chooseBuiltinTemplate("falcon", vocab({"<|endoftext|>"})), BuiltinTemplate::Falcon);
        QCOMPARE(chooseBuiltinTemplate("gemma", {}), BuiltinTemplate::Gemma);
        QCOMPARE(chooseBuiltinTemplate("phi3", {}), BuiltinTemplate::Phi3);
        QCOMPARE(chooseBuiltinTemplate("qwen2", {}), BuiltinTemplate::ChatML);
        QCOMPARE(chooseBuiltinTemplate("qwen3", {}), BuiltinTemplate::ChatML);
        QCOMPARE(chooseBuiltinTemplate("olmo", {}), BuiltinTemplate::OLMo);
        QCOMPARE(chooseBuiltinTemplate("gemma2", {}), BuiltinTemplate::Gemma);
        QCOMPARE(chooseBuiltinTemplate("falcon", {}), BuiltinTemplate::Falcon);
        QCOMPARE(chooseBuiltinTemplate("llama", vocab({"<s>", "</s>"})), BuiltinTemplate::Llama2);
        QCOMPARE(chooseBuiltinTemplate("mamba", {}), BuiltinTemplate::ChatML);
    }

    void everyBuiltinRendersItsFormat_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("withSystem");
        QTest::addColumn<QString>("nogen");
        QTest::newRow("ChatML") << int(BuiltinTemplate::ChatML)
            << "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n"
            << "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n";
        QTest::newRow("Llama 2") << int(BuiltinTemplate::Llama2)
            << "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Bye [/INST]"
            << "<s>[INST] Hi [/INST] Hello! </s><s>[INST] Bye [/INST]";
        QTest::newRow("Llama 3") << int(BuiltinTemplate::Llama3)
            << "<s><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
            << "<s><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nBye<|eot_id|>";
        QTest::newRow("Mistral") << int(BuiltinTemplate::Mistral)
            << "<s>[INST] Be brief.\n\nHi [/INST] Hello!</s>[INST] Bye [/INST]"
            << "<s>[INST] Hi [/INST] Hello!</s>[INST] Bye [/INST]";
        QTest::newRow("Gemma") << int(BuiltinTemplate::Gemma)
            << "<s><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n"
            << "<s><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nBye<end_of_turn>\n";
        QTest::newRow("Phi-3") << int(BuiltinTemplate::Phi3)
            << "<|system|>\nBe brief.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nBye<|end|>\n<|assistant|>\n"
            << "<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n<|user|>\nBye<|end|>\n</s>";
        QTest::newRow("Falcon") << int(BuiltinTemplate::Falcon)
            << "Be brief.\n\nUser: Hi\nFalcon: Hello!\nUser: Bye\nFalcon:"
            << "User: Hi\nFalcon: Hello!\nUser: Bye\n";
        QTest::newRow("Zephyr") << int(BuiltinTemplate::Zephyr)
            << "<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n<|user|>\nBye</s>\n<|assistant|>\n"
            << "<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n<|user|>\nBye</s>\n";
        QTest::newRow("OLMo") << int(BuiltinTemplate::OLMo)
            << "</s><|system|>\nBe brief.\n<|user|>\nHi\n<|assistant|>\nHello!</s>\n<|user|>\nBye\n<|assistant|>\n"
            << "</s><|user|>\nHi\n<|assistant|>\nHello!</s>\n<|user|>\nBye\n";
    }

    void everyBuiltinRendersItsFormat()
    {
        QFETCH(int, which);
        QFETCH(QString, withSystem);
        QFETCH(QString, nogen);
        const auto t = ChatTemplate::compile(builtinTemplateSource(BuiltinTemplate(which)));
        QVERIFY(t.isValid());
        auto r = t.render(conversation(true));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error->describe().c_str());
        QCOMPARE(QString::fromStdString(r.text), withSystem);
        ChatInput in = conversation(false);
        in.addGenerationPrompt = false;
        r = t.render(in);
        QVERIFY(r.ok());
        QCOMPARE(QString::fromStdString(r.text), nogen);
        QVERIFY(!builtinTemplateName(BuiltinTemplate(which)).empty());
    }

    void modelTemplateIsUsedWhenItWorks()
    {
        PromptRequest request;
        request.modelTemplate = "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}";
        request.input = conversation(true);
        auto result = buildPrompt(request);
        QVERIFY(result.ok());
        QCOMPARE(result->text, std::string("[system]Be brief.[user]Hi[assistant]Hello![user]Bye"));
        QVERIFY(!result->usedFallback && !result->systemFolded && !result->error && result->notice.empty());
    }

    void gemmaRefusingSystemGetsItFolded()
    {
        PARLO_REQUIRE_TEST_FILE(path, "templates/google-gemma-2-2b-it.jinja");
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const std::string source = f.readAll().toStdString();
        PromptRequest request;
        request.modelTemplate = source;
        request.architecture = "gemma2";
        request.input = conversation(true);
        auto result = buildPrompt(request);
        QVERIFY(result.ok());
        QVERIFY(result->systemFolded);
        QVERIFY(!result->usedFallback);
        QVERIFY(result->error);
        QCOMPARE(result->error->message, std::string("System role not supported"));
        QCOMPARE(result->error->kind, TemplateError::Kind::Raised);
        QVERIFY2(result->notice.find("System role not supported") != std::string::npos, result->notice.c_str());
        QVERIFY(result->notice.find("first user message") != std::string::npos);
        QCOMPARE(result->text, std::string("<s><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n"
                                           "Hello!<end_of_turn>\n<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n"));
    }

    void brokenTemplateFallsBackAndKeepsTheError()
    {
        PromptRequest request;
        request.modelTemplate = "{{ messages[0].content.nope.deeper }}";
        request.architecture = "llama";
        request.hasToken = vocab({"<|im_start|>", "<|im_end|>"});
        request.input = conversation(false);
        auto result = buildPrompt(request);
        QVERIFY(result.ok());
        QVERIFY(result->usedFallback);
        QCOMPARE(*result->fallback, BuiltinTemplate::ChatML);
        QVERIFY(result->error);
        QCOMPARE(result->error->line, 1);
        QVERIFY2(result->notice.find("ChatML") != std::string::npos, result->notice.c_str());
        QVERIFY(result->notice.find("'str object' has no attribute 'nope'") != std::string::npos);
        QVERIFY(result->text.rfind("<|im_start|>user\nHi", 0) == 0);

        request.modelTemplate = "{% if %}";
        result = buildPrompt(request);
        QVERIFY(result.ok());
        QVERIFY(result->usedFallback);
        QCOMPARE(result->error->kind, TemplateError::Kind::Syntax);
    }

    void refusalWithoutSystemFallsBack()
    {
        PromptRequest request;
        request.modelTemplate = "{{ raise_exception('Only even turns') }}";
        request.architecture = "phi3";
        request.input = conversation(false);
        auto result = buildPrompt(request);
        QVERIFY(result.ok());
        QVERIFY(result->usedFallback && !result->systemFolded);
        QCOMPARE(*result->fallback, BuiltinTemplate::Phi3);
        QCOMPARE(result->error->message, std::string("Only even turns"));
    }

    void noTemplateUsesTheFallbackAndSaysSo()
    {
        PromptRequest request;
        request.architecture = "falcon";
        request.input = conversation(false);
        auto result = buildPrompt(request);
        QVERIFY(result.ok());
        QVERIFY(result->usedFallback && !result->error);
        QCOMPARE(*result->fallback, BuiltinTemplate::Falcon);
        QVERIFY(result->notice.find("no chat template") != std::string::npos);
        QCOMPARE(result->text, std::string("User: Hi\nFalcon: Hello!\nUser: Bye\nFalcon:"));
    }

    // A downloaded template that is hostile (too deep, self-referencing, a CPU or memory burn)
    // stops at its limits; the model still gets a prompt from the built-in template and the
    // notice says why.
    void hostileTemplatesFallBack_data()
    {
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<QByteArray>("reason");
        QByteArray chain = "{{ 1";
        for (int k = 0; k < 20000; ++k)
            chain += "+1";
        QTest::newRow("20000 operators") << chain + " }}" << QByteArray("nests too deeply");
        QTest::newRow("cpu burn") << QByteArray("{% set s = 'a' * 16000000 %}{% for i in range(1000) %}{% for j in range(1000) %}"
                                                "{{ s.count('b') }}{% endfor %}{% endfor %}")
                                  << QByteArray("too much work");
        QTest::newRow("memory burn") << QByteArray("{% set s = 'x' * 16000000 %}{% set ns = namespace(l=[]) %}"
                                                   "{% for i in range(1000) %}{% set ns.l = ns.l + [s ~ i] %}{% endfor %}")
                                     << QByteArray("too much memory");
        QTest::newRow("deep value") << QByteArray("{% set ns = namespace(x=[]) %}{% for i in range(100000) %}"
                                                  "{% set ns.x = [ns.x] %}{% endfor %}")
                                    << QByteArray("nests too deeply");
    }

    void hostileTemplatesFallBack()
    {
        QFETCH(QByteArray, source);
        QFETCH(QByteArray, reason);
        PromptRequest request;
        const std::string text = source.toStdString();
        request.modelTemplate = text;
        request.architecture = "llama";
        request.input = conversation(true);
        request.limits.maxWorkBytes = 256u << 20; // quicker than the default, same mechanism
        auto result = buildPrompt(request);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QVERIFY(result->usedFallback);
        QVERIFY(result->error);
        QVERIFY2(result->notice.find(reason.toStdString()) != std::string::npos, result->notice.c_str());
        QVERIFY2(result->notice.find("built-in") != std::string::npos, result->notice.c_str());
        QVERIFY(!result->text.empty());
    }

    // Cancel means nobody wants the prompt: no fallback, an error that says so.
    void cancelledRenderDoesNotFallBack()
    {
        PromptRequest request;
        request.modelTemplate = "{% for i in range(100000) %}{% for j in range(100) %}{% endfor %}{% endfor %}";
        request.architecture = "llama";
        request.input = conversation(false);
        request.input.cancelled = [] { return true; };
        auto result = buildPrompt(request);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.find("cancelled") != std::string::npos, result.error().message.c_str());
    }

    void badMessagesAreAnError()
    {
        PromptRequest request;
        request.input.messages = parlo::json::Value("not a list");
        QVERIFY(!buildPrompt(request).ok());
    }
};

QTEST_GUILESS_MAIN(TestChatFallback)
#include "test_chat_fallback.moc"
