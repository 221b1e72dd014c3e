// Hostile and broken templates: every one ends with a TemplateError (kind, line, column) and
// never with a crash, a hang or unbounded memory.
#include "parlo/chat_template.h"

#include <QElapsedTimer>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

#include <pthread.h>
#include <sys/resource.h>

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

    // 20,000 chained operators parse by loops into a tree as deep as the chain: the interpreter
    // recursed through it (stack overflow), so the parser measures the tree and refuses it.
    void chainedOperatorsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("source");
        const auto chain = [](const char *head, const char *link, int n, const char *tail) {
            QByteArray s = head;
            for (int k = 0; k < n; ++k)
                s += link;
            return s + tail;
        };
        QTest::newRow("1+1+...") << chain("{{ 1", "+1", 20000, " }}");
        QTest::newRow("x.a.a...") << chain("{{ x", ".a", 20000, " }}");
        QTest::newRow("|string|string...") << chain("{{ x", "|string", 20000, " }}");
        QTest::newRow("~ chain") << chain("{{ 'a'", " ~ 'a'", 20000, " }}");
        QTest::newRow("and chain") << chain("{{ x", " and x", 20000, " }}");
        QTest::newRow("x[0][0]...") << chain("{{ x", "[0]", 20000, " }}");
        QTest::newRow("f()()...") << chain("{{ f", "()", 20000, " }}");
        QTest::newRow("is defined...") << chain("{{ x", " is defined", 20000, " }}");
        QTest::newRow("if-else chain") << chain("{{ 1", " if x else 1", 20000, " }}");
        QTest::newRow("nested ifs") << chain("", "{% if x %}", 20000, "") + chain("", "{% endif %}", 20000, "");
        QTest::newRow("nested fors") << chain("", "{% for a in x %}", 20000, "") + chain("", "{% endfor %}", 20000, "");
        QTest::newRow("nested macro defaults") << chain("{% macro m(a=", "[", 20000, "") + chain("", "]", 20000, ") %}{% endmacro %}");
        QTest::newRow("parenthesised target") << chain("{% for ", "(", 20000, "a") + chain("", ")", 20000, " in x %}{% endfor %}");
        QTest::newRow("set ns chain") << chain("{% set ns.x = 1", "+1", 20000, " %}");
    }

    void chainedOperatorsAreRefused()
    {
        QFETCH(QByteArray, source);
        const ChatTemplate t = ChatTemplate::compile(source.toStdString());
        QVERIFY(!t.isValid());
        QVERIFY2(t.syntaxError()->message.find("nests too deeply") != std::string::npos, t.syntaxError()->message.c_str());
        QVERIFY(t.syntaxError()->line >= 1);
    }

    // A 900 KB template: its tree (built before it was measured) is freed without recursion.
    void hugeDeepTemplateIsFreed()
    {
        std::string source = "{{ 1";
        while (source.size() < 900'000)
            source += "+1";
        source += " }}";
        parlo::chat::TemplateLimits limits;
        limits.maxTemplateBytes = 1u << 20;
        const ChatTemplate t = ChatTemplate::compile(source, limits);
        QVERIFY(!t.isValid());
        QVERIFY(t.syntaxError()->message.find("nests too deeply") != std::string::npos);
    }

    // Up to the limit everything works, also on a small thread stack (a worker thread's).
    void deepButLegalTemplatesRenderOnASmallStack()
    {
        std::string source = "{{ " + std::string(100, '(') + "1" + std::string(100, ')') + " }}";
        source += "{{ 1";
        for (int k = 0; k < 200; ++k)
            source += "+1";
        source += " }}{{ x";
        for (int k = 0; k < 200; ++k)
            source += "|default('d')";
        source += " }}";
        const ChatTemplate t = ChatTemplate::compile(source);
        QVERIFY2(t.isValid(), t.isValid() ? "" : t.syntaxError()->message.c_str());
        parlo::chat::Rendered r;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 1u << 20);
        struct Job
        {
            const ChatTemplate *t;
            parlo::chat::Rendered *r;
        } job{&t, &r};
        pthread_t thread;
        QCOMPARE(pthread_create(&thread, &attr, [](void *p) -> void * {
            auto *j = static_cast<Job *>(p);
            *j->r = j->t->render(input());
            return nullptr;
        }, &job), 0);
        pthread_join(thread, nullptr);
        pthread_attr_destroy(&attr);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error->describe().c_str());
        QCOMPARE(r.text, std::string("1201d"));
    }

    // Values nest only as deep as the syntax may: a list wrapped 100,000 times in a loop was
    // freed (and printed) recursively.
    void deepValuesAreRefused()
    {
        const auto r = render("{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}"
                              "{{ ns.x }}");
        QVERIFY(!r.ok());
        QCOMPARE(r.error->kind, Kind::Limit);
        QVERIFY2(r.error->message.find("nests too deeply") != std::string::npos, r.error->message.c_str());
        const auto d = render("{% set ns = namespace(x={}) %}{% for i in range(100000) %}{% set ns.x = {'k': ns.x} %}{% endfor %}");
        QVERIFY(!d.ok());
        QVERIFY2(d.error->message.find("nests too deeply") != std::string::npos, d.error->message.c_str());
        const auto l = render("{% set ns = namespace(x=1) %}{% for i in range(50000) %}{% for x in [ns.x, 1] %}"
                              "{% if loop.last %}{% set ns.x = loop %}{% endif %}{% endfor %}{% endfor %}");
        QVERIFY(!l.ok());
        QVERIFY2(l.error->message.find("nests too deeply") != std::string::npos, l.error->message.c_str());
        // Namespaces may hold each other in long chains; printing one ends with an error.
        const auto n = render("{% set ns = namespace(x=none) %}{% for i in range(100000) %}{% set ns.x = namespace(x=ns.x) %}"
                              "{% endfor %}{{ ns }}");
        QVERIFY(!n.ok());
        QVERIFY2(n.error->message.find("nests too deeply") != std::string::npos, n.error->message.c_str());
    }

    // A namespace that contains itself recursed forever in repr().
    void selfContainingNamespacePrints()
    {
        auto r = render("{% set ns = namespace(a=1) %}{% set ns.x = ns %}{{ ns }}|{{ ns | string }}|{{ [ns, ns] }}");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error->describe().c_str());
        QCOMPARE(r.text, std::string("<Namespace {'a': 1, 'x': <Namespace {...}>}>|<Namespace {'a': 1, 'x': <Namespace {...}>}>|"
                                     "[<Namespace {'a': 1, 'x': <Namespace {...}>}>, <Namespace {'a': 1, 'x': <Namespace {...}>}>]"));
        r = render("{% set ns = namespace() %}{% set ns.d = {'self': ns} %}{{ ns.d }}");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error->describe().c_str());
        QCOMPARE(r.text, std::string("{'self': <Namespace {'d': {...}}>}"));
        r = render("{% set ns = namespace() %}{% set ns.d = {'self': ns} %}{{ ns.d | tojson }}");
        QVERIFY(!r.ok());
        QVERIFY2(r.error->message.find("not JSON serializable") != std::string::npos, r.error->message.c_str());
        r = render("{% set ns = namespace() %}{% set ns.x = ns %}{{ ns == ns.x }}{{ ns in [ns] }}");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error->describe().c_str());
        QCOMPARE(r.text, std::string("TrueTrue"));
    }

    // Work inside the step limit: 16 MB searched a million times took about 80 minutes.
    void cpuBurnIsStopped()
    {
        QElapsedTimer timer;
        timer.start();
        const auto r = render("{% set s = 'a' * 16000000 %}{% for i in range(1000) %}{% for j in range(1000) %}"
                              "{{ s.count('b') }}{% endfor %}{% endfor %}");
        QVERIFY(!r.ok());
        QCOMPARE(r.error->kind, Kind::Limit);
        QVERIFY2(r.error->message.find("too much work") != std::string::npos, r.error->message.c_str());
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
        // The same through filters, membership and comparisons (with a smaller budget, to be quick).
        parlo::chat::TemplateLimits limits;
        limits.maxWorkBytes = 256u << 20;
        for (const char *body : {"{{ s | trim | length }}", "{{ 'b' in s }}", "{{ s == s ~ '' }}", "{{ s.split('b') | length }}",
                                 "{{ s | replace('b', 'c') | length }}", "{{ s[1:] | length }}"}) {
            timer.restart();
            const auto f = render(std::string("{% set s = 'a' * 16000000 %}{% for i in range(1000) %}{% for j in range(1000) %}") +
                                  body + "{% endfor %}{% endfor %}", limits);
            QVERIFY2(!f.ok(), body);
            QCOMPARE(f.error->kind, Kind::Limit);
            QVERIFY2(timer.elapsed() < 20000, body);
        }
    }

    void wallClockLimitStopsARender()
    {
        parlo::chat::TemplateLimits limits;
        limits.maxWorkBytes = UINT64_MAX;
        limits.maxMilliseconds = 300;
        QElapsedTimer timer;
        timer.start();
        const auto r = render("{% set s = 'a' * 1000000 %}{% for i in range(1000) %}{% for j in range(1000) %}"
                              "{{ s.count('b') }}{% endfor %}{% endfor %}", limits);
        QVERIFY(!r.ok());
        QCOMPARE(r.error->kind, Kind::Limit);
        QVERIFY2(r.error->message.find("too long") != std::string::npos, r.error->message.c_str());
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    // The app's Cancel: another thread sets a flag, the render stops soon after.
    void cancelStopsARender()
    {
        parlo::chat::TemplateLimits limits;
        limits.maxWorkBytes = UINT64_MAX;
        limits.maxMilliseconds = 0;
        const ChatTemplate t = ChatTemplate::compile("{% set s = 'a' * 1000000 %}{% for i in range(1000) %}"
                                                     "{% for j in range(1000) %}{{ s.count('b') }}{% endfor %}{% endfor %}",
                                                     limits);
        std::atomic<bool> cancel{false};
        ChatInput in = input();
        in.cancelled = [&cancel] { return cancel.load(); };
        QElapsedTimer timer;
        timer.start();
        std::thread canceller([&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            cancel = true;
        });
        const auto r = t.render(in);
        canceller.join();
        QVERIFY(!r.ok());
        QCOMPARE(r.error->kind, Kind::Cancelled);
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    }

    // Memory: every value alive at once counts against one budget, so a template cannot reach
    // gigabytes ([s] * 200000 of a 16 MB string reached 5.9 GB; batch(10**15, 'x') 3.4 GB).
    void memoryGrowthIsBounded_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        const QString big = "{% set s = 'x' * 16000000 %}";
        QTest::newRow("many big strings") << big + "{% set ns = namespace(l=[]) %}{% for i in range(200000) %}"
                                                   "{% set ns.l = ns.l + [s ~ i] %}{% endfor %}" << "too much memory";
        QTest::newRow("list of a big string, printed") << big + "{% set l = [s] * 200000 %}{{ l }}" << "too much memory";
        QTest::newRow("list of a big string, joined") << big + "{% set l = [s] * 200000 %}{{ l | join }}" << "string of";
        QTest::newRow("list of a big string, looped") << big + "{% set l = [s] * 200000 %}{% for a in l %}{% for b in l %}"
                                                                 "{% for c in l %}{% for d in l %}{% endfor %}{% endfor %}"
                                                                 "{% endfor %}{% endfor %}" << "too much memory";
        QTest::newRow("batch fill") << "{{ [1] | batch(10**15, 'x') | list | length }}" << "list of";
        QTest::newRow("huge range") << "{{ range(10**15) | length }}" << "list of";
        QTest::newRow("string repetition") << "{{ 'ab' * 10**12 }}" << "string of";
        QTest::newRow("characters of a big string") << big + "{% for c in s %}{% endfor %}" << "too much memory";
        QTest::newRow("nested outputs") << "{% macro f(n) %}{{ 'y' * 4000000 }}{{ f(n - 1) if n > 0 }}{% endmacro %}{{ f(90) }}"
                                        << "string of";
        QTest::newRow("dicts of big strings") << big + "{% set ns = namespace(d={}) %}{% for i in range(1000) %}"
                                                       "{% set ns.d = {'k': s ~ i, 'o': ns.d} %}"
                                                       "{% endfor %}" << "too much memory";
    }

    void memoryGrowthIsBounded()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        QElapsedTimer timer;
        timer.start();
        const auto r = render(source.toStdString());
        QVERIFY(!r.ok());
        QCOMPARE(r.error->kind, Kind::Limit);
        QVERIFY2(QString::fromStdString(r.error->message).contains(message), r.error->message.c_str());
        QVERIFY2(timer.elapsed() < 20000, qPrintable(QString::number(timer.elapsed())));
        // The whole test process never came near a gigabyte.
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        QVERIFY2(usage.ru_maxrss < 1'000'000, qPrintable(QStringLiteral("peak %1 kB").arg(usage.ru_maxrss)));
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
