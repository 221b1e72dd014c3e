// Hostile and broken templates: every one ends with a TemplateError (kind, line, column) and
// never with a crash, a hang or unbounded memory.
#include "parlo/chat_template.h"

#include <QElapsedTimer>
#include <QtTest>

using parlo::chat::ChatInput;
using parlo::chat::ChatTemplate;
using parlo::chat::TemplateError;
using Kind = parlo::chat::TemplateError::Kind;

namespace {

ChatInput input()
{
    ChatInput in;
    auto messages = parlo::json::parse("[{\"role\": \"user\", \"content\": \"hi\"}]");
    in.messages = *messages;
    in.bosToken = "<s>";
    return in;
}

parlo::chat::Rendered render(const std::string &source, parlo::chat::TemplateLimits limits = {})
{
    return ChatTemplate::compile(source, limits).render(input());
}

} // namespace

class TestJinjaHostile : public QObject
{
    Q_OBJECT

private slots:
    void syntaxErrors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("unterminated variable") << "ab\n{{ x" << "unexpected end of template" << 2 << 1;
        QTest::newRow("unterminated block") << "{% if x %}yes" << "unexpected end of template; Jinja was looking for 'elif' or 'else' or 'endif'" << 1 << 14;
        QTest::newRow("unterminated comment") << "a\n  {# never closed" << "Missing end of comment tag" << 2 << 3;
        QTest::newRow("unterminated string") << "{{ 'abc }}" << "unterminated string literal" << 1 << 4;
        QTest::newRow("unknown tag") << "\n\n{% frobnicate %}" << "Encountered unknown tag 'frobnicate'." << 3 << 4;
        QTest::newRow("stray endif") << "{% endif %}" << "Encountered unknown tag 'endif'" << 1 << 4;
        QTest::newRow("unbalanced paren") << "{{ (1 + 2 }}" << "expected ')'" << 1 << 11;
        QTest::newRow("unexpected closer") << "{{ 1 ] }}" << "unexpected ']'" << 1 << 6;
        QTest::newRow("bad char") << "{{ 1 $ 2 }}" << "unexpected char '$'" << 1 << 6;
        QTest::newRow("empty expression") << "{{ }}" << "expected an expression" << 1 << 4;
        QTest::newRow("missing endfor") << "{% for x in y %}" << "'endfor' or 'else'" << 1 << 17;
        QTest::newRow("do tag not enabled") << "{% do x %}" << "unknown tag 'do'" << 1 << 4;
        QTest::newRow("recursive loops") << "{% for x in y recursive %}{% endfor %}" << "recursive" << 1 << 15;
        QTest::newRow("invalid utf8") << "ok\xff" << "not valid UTF-8" << 0 << 0;
    }

    void syntaxErrors()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QFETCH(int, line);
        QFETCH(int, column);
        const std::string bytes = source == "ok\xff" ? std::string("ok\xff") : source.toStdString();
        const ChatTemplate t = ChatTemplate::compile(bytes);
        QVERIFY(!t.isValid());
        const TemplateError &e = *t.syntaxError();
        QVERIFY2(QString::fromStdString(e.message).contains(message), e.message.c_str());
        QCOMPARE(e.kind, Kind::Syntax);
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
        const auto r = t.render(input());
        QVERIFY(!r.ok());
        QCOMPARE(r.error->message, e.message);
        QVERIFY(!ChatTemplate::parse(bytes).ok());
    }

    void deepNestingIsRefused()
    {
        for (const std::string &source : {"{{ " + std::string(100000, '(') + "1" + std::string(100000, ')') + " }}",
                                          "{{ " + std::string(50000, '[') + std::string(50000, ']') + " }}",
                                          std::string("{{ ") + [] { std::string s; for (int k = 0; k < 20000; ++k) s += "not "; return s; }() + "x }}",
                                          std::string("{{ ") + [] { std::string s; for (int k = 0; k < 20000; ++k) s += "-"; return s; }() + "1 }}",
                                          [] { std::string s; for (int k = 0; k < 5000; ++k) s += "{% if true %}"; return s; }()}) {
            const ChatTemplate t = ChatTemplate::compile(source);
            QVERIFY2(!t.isValid(), source.substr(0, 20).c_str());
            QVERIFY2(t.syntaxError()->message.find("nests too deeply") != std::string::npos, t.syntaxError()->message.c_str());
        }
    }

    void runawayTemplatesAreBounded_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("huge loop") << "{% for i in range(100000000) %}x{% endfor %}" << "list of 100000000 items";
        QTest::newRow("range past the list limit") << "{{ range(1000000) | length }}" << "list of 1000000 items";
        QTest::newRow("nested loops") << "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}" << "steps";
        QTest::newRow("string doubling") << "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}" << "string of";
        QTest::newRow("string repeat") << "{{ 'x' * 1000000000000 }}" << "string of";
        QTest::newRow("list repeat") << "{{ [1, 2] * 1000000000000 }}" << "list of";
        QTest::newRow("output flood") << "{% for i in range(100000) %}{{ 'y' * 100 }}{% endfor %}" << "string of";
        QTest::newRow("infinite recursion") << "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}" << "recursion depth";
        QTest::newRow("mutual recursion") << "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}" << "recursion depth";
        QTest::newRow("replace blowup") << "{% set ns = namespace(s='a') %}{% for i in range(40) %}{% set ns.s = ns.s | replace('a', 'aa') %}{% endfor %}" << "string of";
    }

    void runawayTemplatesAreBounded()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        parlo::chat::TemplateLimits limits;
        limits.maxOutputBytes = 1u << 20;
        limits.maxSteps = 200'000;
        QElapsedTimer timer;
        timer.start();
        const auto r = render(source.toStdString(), limits);
        QVERIFY(!r.ok());
        QCOMPARE(r.error->kind, Kind::Limit);
        QVERIFY2(QString::fromStdString(r.error->message).contains(message), r.error->message.c_str());
        QVERIFY(r.error->line >= 1);
        QVERIFY2(timer.elapsed() < 20000, "the limit should stop the template quickly");
    }

    void runtimeErrorsCarryPosition_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");
        QTest::newRow("undefined attribute") << "line1\n{{ nothing.attr }}" << "'nothing' is undefined" << 2;
        QTest::newRow("missing key chain") << "{{ messages[0].nope.deeper }}" << "'dict object' has no attribute 'nope'" << 1;
        QTest::newRow("index chain") << "{{ messages[3].role }}" << "list object has no element 3" << 1;
        QTest::newRow("str plus int") << "{{ 'a' + 1 }}" << "can only concatenate str (not \"int\") to str" << 1;
        QTest::newRow("int plus str") << "{{ 1 + 'a' }}" << "unsupported operand type(s) for +: 'int' and 'str'" << 1;
        QTest::newRow("compare types") << "{{ 1 < 'a' }}" << "'<' not supported between instances of 'int' and 'str'" << 1;
        QTest::newRow("call non-callable") << "{{ messages() }}" << "'list' object is not callable" << 1;
        QTest::newRow("call undefined") << "{{ nothing() }}" << "'nothing' is undefined" << 1;
        QTest::newRow("iterate none") << "{% for x in none %}{% endfor %}" << "'NoneType' object is not iterable" << 1;
        QTest::newRow("iterate int") << "{% for x in 5 %}{% endfor %}" << "'int' object is not iterable" << 1;
        QTest::newRow("division by zero") << "{{ 1 / 0 }}" << "division by zero" << 1;
        QTest::newRow("modulo by zero") << "{{ 1 % 0 }}" << "integer modulo by zero" << 1;
        QTest::newRow("integer overflow") << "{{ 9223372036854775807 + 1 }}" << "integer overflow" << 1;
        QTest::newRow("power overflow") << "{{ 10 ** 100 }}" << "integer overflow" << 1;
        QTest::newRow("unknown filter") << "{{ 1 | frob }}" << "No filter named 'frob'." << 1;
        QTest::newRow("unknown test") << "{{ 1 is frob }}" << "No test named 'frob'." << 1;
        QTest::newRow("tojson undefined") << "{{ nothing | tojson }}" << "not JSON serializable" << 1;
        QTest::newRow("unsafe append") << "{% set l = [] %}{{ l.append(1) }}" << "access to attribute 'append' of 'list' object is unsafe." << 1;
        QTest::newRow("unsafe underscore") << "{{ messages.__class__() }}" << "unsafe" << 1;
        QTest::newRow("set attribute on dict") << "{% set d = {} %}{% set d.x = 1 %}" << "cannot assign attribute on non-namespace object" << 1;
        QTest::newRow("unpack mismatch") << "{% for a, b in [[1, 2, 3]] %}{% endfor %}" << "too many values to unpack" << 1;
        QTest::newRow("macro bad kwarg") << "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}" << "macro 'm' takes no keyword argument 'b'" << 1;
        QTest::newRow("split empty sep") << "{{ 'a'.split('') }}" << "empty separator" << 1;
        QTest::newRow("raise") << "\n\n   {{ raise_exception('Nope: ' ~ messages|length) }}" << "Nope: 1" << 3;
    }

    void runtimeErrorsCarryPosition()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QFETCH(int, line);
        const auto r = render(source.toStdString());
        QVERIFY2(!r.ok(), r.text.c_str());
        QVERIFY2(QString::fromStdString(r.error->message).contains(message), r.error->message.c_str());
        QCOMPARE(r.error->line, line);
        QVERIFY(r.error->column >= 1);
        QVERIFY(r.text.empty());
        QCOMPARE(r.error->kind, source.contains("raise_exception") ? Kind::Raised : Kind::Render);
        QVERIFY(QString::fromStdString(r.error->describe()).startsWith(QStringLiteral("line %1, column ").arg(line)));
    }

    void undefinedFollowsJinja2Defaults()
    {
        const auto r = render("[{{ nope }}][{{ nope|default('d') }}][{{ nope is defined }}][{% for x in nope %}x{% endfor %}]"
                              "[{{ nope|length }}][{{ 'y' if nope else 'n' }}][{{ messages[0].nope }}][{{ nope ~ 'c' }}]");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error->describe().c_str());
        QCOMPARE(r.text, std::string("[][d][False][][0][n][][c]"));
    }

    void wrongTypesInInputAreHandled()
    {
        // Messages that are not what templates expect: the template decides, nothing crashes.
        ChatInput in;
        in.messages = *parlo::json::parse("[1, \"two\", null, {\"role\": 5, \"content\": [1, {\"a\": null}]}]");
        const auto t = ChatTemplate::compile("{% for m in messages %}{{ m.role }}|{{ m['content'] }};{% endfor %}");
        const auto r = t.render(in);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error->describe().c_str());
        QCOMPARE(r.text, std::string("|;|;|;5|[1, {'a': None}];"));
        in.messages = *parlo::json::parse("{\"not\": \"a list\"}");
        const auto r2 = ChatTemplate::compile("{{ messages[0]['role'] }}").render(in);
        QVERIFY(!r2.ok());
    }

    void hugeTemplateIsRefused()
    {
        parlo::chat::TemplateLimits limits;
        limits.maxTemplateBytes = 1000;
        const ChatTemplate t = ChatTemplate::compile(std::string(2000, 'x'), limits);
        QVERIFY(!t.isValid());
        QCOMPARE(t.syntaxError()->kind, Kind::Limit);
    }

    void manyTokensParseQuickly()
    {
        std::string source;
        for (int k = 0; k < 20000; ++k)
            source += "{{ messages[0].content ~ '" + std::to_string(k) + "' }}\n";
        QElapsedTimer timer;
        timer.start();
        const auto r = render(source);
        QVERIFY(r.ok());
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestJinjaHostile)
#include "test_jinja_hostile.moc"
