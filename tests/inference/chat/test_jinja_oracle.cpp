// Hand-written templates covering each Jinja feature, rendered by Parlo and by the reference
// (../shared/tools/render_chat_template.py: jinja2 as Hugging Face configures it) and compared
// byte for byte. One Python process renders all cases through the script's own render().
#include "parlo/chat_template.h"
#include "test_data.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

namespace {

struct Case
{
    const char *name;
    const char *source;
    const char *conversation; // JSON; nullptr: kDefaultConversation
    bool generation = true;
};

const char *kDefaultConversation = R"({"messages": [
  {"role": "system", "content": "  Be brief.\n"},
  {"role": "user", "content": "Hello «there» 🦙 <b>&'\""},
  {"role": "assistant", "content": "Hi!", "tool_calls": [{"function": {"name": "f", "arguments": {"x": 1, "y": [1.5, null, true], "z": "é"}}}]},
  {"role": "user", "content": "Thanks\nbye"}],
  "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
  "count": 7, "ratio": 2.5, "big": 12345678901234, "tiny": 0.0001, "flag": false, "nothing": null, "words": ["b", "A", "c", "a"]})";

const Case kCases[] = {
    // statements and whitespace control
    {"if_elif_else", "{% for m in messages %}{% if m.role == 'user' %}U{% elif m.role == 'assistant' %}A{% else %}S{% endif %}{% endfor %}", nullptr},
    {"trim_lstrip", "A\n  {% if true %}\n    x\n  {% endif %}\nB\n{# comment #}\nC\n  {%+ if true %}keep{% endif %}\n", nullptr},
    {"dash_control", "A   {{- ' b ' -}}   C\n\n{%- if true -%}\n  D  \n{%- endif -%}\n  E", nullptr},
    {"trailing_newline_dropped", "line\n", nullptr},
    {"crlf", "a\r\n{% if true %}\r\nb\r\n{% endif %}\r\nc", nullptr},
    {"raw", "{% raw %}{{ not rendered }}{% endraw %}", nullptr},
    {"loop_vars", "{% for m in messages %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}", nullptr},
    {"loop_prev_next", "{% for w in words %}[{{ loop.previtem }}|{{ w }}|{{ loop.nextitem }}]{% endfor %}", nullptr},
    {"loop_filter_else", "{% for m in messages if m.role == 'user' %}{{ loop.index }}:{{ m.content }}|{% else %}none{% endfor %}{% for x in [] %}x{% else %}empty{% endfor %}", nullptr},
    {"loop_unpack", "{% for k, v in {'a': 1, 'b': [2, 3]}.items() %}{{ k }}={{ v }};{% endfor %}{% for a, b in [(1, 2), [3, 4]] %}{{ a + b }}{% endfor %}", nullptr},
    {"loop_break_continue", "{% for i in range(10) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 5 %}{% break %}{% endif %}{{ i }}{% endfor %}", nullptr},
    {"loop_cycle", "{% for i in range(5) %}{{ loop.cycle('a', 'b') }}{% endfor %}", nullptr},
    {"loop_scope", "{% set x = 1 %}{% for i in range(3) %}{% set x = x + i %}{{ x }}{% endfor %}|{{ x }}", nullptr},
    {"namespace", "{% set ns = namespace(n=0, found=false) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% if m.role == 'assistant' %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.n }} {{ ns.found }}", nullptr},
    {"set_block", "{% set x %}\n  Hello {{ messages[1].content | upper }}\n{% endset %}[{{ x }}]{% set y | trim %}  padded  {% endset %}[{{ y }}]", nullptr},
    {"filter_block", "{% filter upper %}shout {{ 'this' }}{% endfilter %}", nullptr},
    {"set_tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t = (1, 'x') %}{{ t }}{{ (5,) }}{{ () }}", nullptr},
    {"macro", "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', '?') }} {{ greet(name='C', punct='.') }}", nullptr},
    {"macro_recursive", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * (fact(n - 1) | int) }}{% endif %}{% endmacro %}{{ fact(6) }}", nullptr},
    {"macro_scope", "{% set ns = namespace(v='outer') %}{% macro show() %}{{ ns.v }}{% set ns.v = 'changed' %}{% endmacro %}{{ show() }}{{ ns.v }}", nullptr},
    {"call_block", "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}inside {{ count }}{% endcall %}", nullptr},
    {"raise_exception", "{% if messages[0].role == 'system' %}{{ raise_exception('No system messages, please') }}{% endif %}ok", nullptr},
    // expressions
    {"literals", "{{ 'a\\tb\\n' }}{{ \"q'\" }}{{ 'x' 'y' }}{{ 42 }} {{ -3 }} {{ 1.5 }} {{ 1e3 }} {{ 1_000 }} {{ [1, 'a', none, true, 2.0] }} {{ {'k': 'v', 'n': None} }} {{ True }} {{ none }}", nullptr},
    {"string_escapes", "{{ '\\u00e9\\x41\\\\ \\d' }}", nullptr},
    {"arithmetic", "{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 'ab' * 3 }} {{ [1] * 2 }} {{ 0.1 + 0.2 }} {{ 10 / 4 }} {{ 3.0 }} {{ 1e20 }} {{ 1.5e-7 }}", nullptr},
    {"concat", "{{ 'a' ~ 1 ~ none ~ undefined_thing ~ [1] }}{{ 'x' + 'y' }}{{ [1] + [2] }}", nullptr},
    {"comparisons", "{{ 1 < 2 < 3 }} {{ 1 == 1.0 }} {{ 'a' < 'b' }} {{ [1, 2] == [1, 2] }} {{ 'b' in 'abc' }} {{ 2 not in [1, 3] }} {{ 'role' in messages[0] }} {{ none == none }} {{ 1 != '1' }} {{ true == 1 }}", nullptr},
    {"logic", "{{ true and 'x' }} {{ false or 'y' }} {{ not none }} {{ '' or [] or 0 }} {{ 'a' if count > 5 else 'b' }} {{ 'c' if flag }}|{{ nothing is none }} {{ not flag and count }}", nullptr},
    {"attribute_subscript", "{{ messages[1]['role'] }} {{ messages[1].content }} {{ messages[-1].role }} {{ messages.0.role }} {{ tools[0].function.parameters.required[0] }} {{ messages[1]['missing'] }}|{{ messages[9] }}|", nullptr},
    {"slicing", "{{ words[1:] }} {{ words[:-1] }} {{ words[::-1] }} {{ words[::2] }} {{ 'héllo wörld'[1:4] }} {{ 'abcdef'[::-2] }} {{ words[10:] }} {{ 'abc'[-1] }} {{ 'h€llo'[1] }}", nullptr},
    {"tests", "{{ count is number }} {{ ratio is float }} {{ count is integer }} {{ 'x' is string }} {{ messages is sequence }} {{ messages[0] is mapping }} {{ messages is iterable }} {{ count is odd }} {{ count is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ nothing is none }} {{ missing is defined }} {{ missing is undefined }} {{ flag is boolean }} {{ flag is false }} {{ true is true }} {{ 'ABC' is upper }} {{ 'abc' is lower }} {{ count is equalto 7 }} {{ count is eq 8 }} {{ count is gt 3 }} {{ 3 is in [1, 3] }} {{ range is callable }} {{ 'x' is not none }}", nullptr},
    // filters
    {"filters_text", "{{ '  pad  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ 'hello world' | upper }}|{{ 'HeLLo' | lower }}|{{ 'hello WORLD' | capitalize }}|{{ 'hello big-world (x)' | title }}|{{ 'a b c' | replace(' ', '-') }}|{{ 'aaa' | replace('a', 'b', 2) }}|{{ 'one two  three' | wordcount }}|{{ 'hi' | center(8) }}|", nullptr},
    {"filters_length_default", "{{ messages | length }} {{ 'héllo' | length }} {{ messages[0] | count }} {{ missing | default('dflt') }} {{ '' | default('empty', true) }} {{ nothing | d('n') }} {{ missing | length }}", nullptr},
    {"filters_tojson", "{{ tools | tojson }}\n{{ messages[2].tool_calls[0].function.arguments | tojson(indent=2) }}\n{{ {'b': 1, 'a': [1.0, 'x\"y\\n<>&']} | tojson(sort_keys=true) }}\n{{ 'é🦙' | tojson }}\n{{ [1, (2, 3)] | tojson(separators=(',', ':')) }}\n{{ ratio | tojson }} {{ tiny | tojson }} {{ big | tojson }} {{ nothing | tojson }}", nullptr},
    {"filters_indent", "{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, first=true) }}|{{ 'a\\n\\nb' | indent(width='>>', blank=true) }}|{{ tools[0] | tojson(indent=4) | indent(8) }}", nullptr},
    {"filters_items_dictsort", "{% for k, v in tools[0].function.parameters | items %}{{ k }};{% endfor %}{% for k, v in {'b': 2, 'A': 1, 'c': 0} | dictsort %}{{ k }}{{ v }}{% endfor %}{{ {'b': 2, 'a': 1} | dictsort(by='value', reverse=true) }}", nullptr},
    {"filters_first_last_join", "{{ words | first }} {{ words | last }} {{ words | join(', ') }} {{ messages | map(attribute='role') | join('|') }} {{ [1, 2, 3] | join }} {{ 'abc' | first }} {{ [] | first }}|", nullptr},
    {"filters_select", "{{ messages | selectattr('role', 'equalto', 'user') | list | length }} {{ messages | rejectattr('role', 'eq', 'user') | map(attribute='role') | list }} {{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 0, 2] | select | list }} {{ words | reject('equalto', 'b') | list }} {{ messages | selectattr('tool_calls') | list | length }} {{ messages | selectattr('tool_calls', 'defined') | list | length }}", nullptr},
    {"filters_map", "{{ words | map('upper') | list }} {{ messages | map(attribute='missing', default='?') | list }} {{ ['1', '2'] | map('int') | sum }} {{ tools | map(attribute='function.name') | first }}", nullptr},
    {"filters_convert", "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(5) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 3 | float }} {{ -5 | abs }} {{ -2.5 | abs }} {{ 2.5 | round }} {{ 3.14159 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ 7 | round }} {{ 42 | string }} {{ [1, 'a'] | string }} {{ 'abc' | list }} {{ 12 | string | length }}", nullptr},
    {"filters_sort_unique", "{{ words | sort }} {{ words | sort(reverse=true) }} {{ words | sort(case_sensitive=true) }} {{ words | unique | list }} {{ ['a', 'A', 'b'] | unique(case_sensitive=true) | list }} {{ words | reverse | list }} {{ 'abc' | reverse }} {{ [3, 1, 2] | sort | first }} {{ messages | sort(attribute='role') | map(attribute='role') | list }} {{ [3, 1, 2] | max }} {{ [3, 1, 2] | min }}", nullptr},
    {"filters_escape_safe", "{{ '<a href=\"x\">&\\'</a>' | e }} {{ '<b>' | escape }} {{ '<i>' | safe }}", nullptr},
    {"filters_batch_misc", "{{ range(7) | batch(3) | list }} {{ range(5) | batch(2, 'x') | list }} {{ 'a very long sentence here' | truncate(12) }} {{ '%s has %d items (%.2f)' | format('list', 3, 1.5) }} {{ messages[0] | attr('role') }}|{{ range(3, 10, 3) | list }} {{ range(5) | sum }}", nullptr},
    // methods
    {"string_methods", "{{ '  x  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ '  a'.lstrip() }}|{{ 'a  '.rstrip() }}|{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ 'a,b,,c'.split(',') }} {{ ' a  b '.split() }} {{ 'a b c'.split(' ', 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ 'hello world'.title() }} {{ \"they're\".title() }} {{ 'Ab'.upper() }}{{ 'Ab'.lower() }} {{ 'aaa'.replace('a', 'b') }} {{ '-'.join(['x', 'y']) }} {{ 'hello'.find('l') }} {{ 'hello'.find('z') }} {{ 'hello'.count('l') }} {{ '{} and {}'.format(1, 'two') }} {{ '{name}!'.format(name='N') }} {{ 'a\\nb'.splitlines() }} {{ '12'.isdigit() }} {{ 'héllo'.capitalize() }}", nullptr},
    {"dict_methods", "{{ messages[0].keys() | list }} {{ messages[0].values() | list }} {{ messages[0].get('role') }} {{ messages[0].get('nope', 'fallback') }} {{ messages[0].get('nope') }} {% for k in messages[0] %}{{ k }},{% endfor %} {{ {'a': 1}.items() | list }}", nullptr},
    {"think_split", "{% set content = '<think>reasoning</think>answer' %}{% if '</think>' in content %}{{ content.split('</think>')[-1] }}{% endif %}", nullptr},
    {"strftime_now", "{{ strftime_now('%Y-%m-%d %d %b %Y %A %j %H:%M') }}", nullptr},
    {"undefined_semantics", "[{{ missing }}][{{ missing | upper }}][{% for x in missing %}{{ x }}{% endfor %}][{{ missing is defined }}][{{ messages[0].nope }}][{% if not missing %}falsy{% endif %}][{{ missing == missing }}][{{ 'x' in missing }}]", nullptr},
    {"generation_prompt", "{% for m in messages %}{{ m.role }};{% endfor %}{% if add_generation_prompt %}GEN{% endif %}{{ bos_token }}{{ eos_token }}", nullptr, false},
    {"dict_literal_in_output", "{{ {'a': {'b': [1, {'c': 2}]}} }}", nullptr},
    {"repr_strings", "{{ ['it\\'s', 'say \"hi\"', 'both \\' \"', 'tab\\t', 'é'] }} {{ {'k': ('t',)} }}", nullptr},
    {"nested_loops", "{% for m in messages %}{% set outer = loop %}{% for c in m.role %}{% if loop.first %}{{ outer.index }}{% endif %}{{ c }}{% endfor %};{% endfor %}", nullptr},
    {"is_not_precedence", "{{ not messages[0].role == 'user' }} {{ - 2 ** 2 }} {{ -1 | abs }} {{ not count is odd }} {{ (2 + 3) | string ~ 'x' }}", nullptr},
    {"unicode_case", "{{ 'straße'.upper() }} {{ 'ÀÉÎ ΑΒΓ АБВ'.lower() }} {{ 'émile zola' | title }}", nullptr},
    // errors that must match jinja2's messages
    {"error_undefined_attr", "{{ functions.name }}", nullptr},
    {"error_undefined_concat", "{{ 'a' + functions }}", nullptr},
    {"error_missing_key_chain", "{{ messages[0].nope.deeper }}", nullptr},
    {"error_index_chain", "{{ messages[10].role }}", nullptr},
};

} // namespace

class TestJinjaOracle : public QObject
{
    Q_OBJECT

    QJsonArray m_oracle;
    QString m_skipReason;

private slots:
    void initTestCase()
    {
        const QString script = parlo::test::testDataFile("tools/render_chat_template.py");
        if (script.isEmpty()) {
            m_skipReason = "the oracle tools/render_chat_template.py is missing from PARLO_TEST_DATA";
            return;
        }
        QProcess probe;
        probe.start(PARLO_PYTHON3, {"-c", "import jinja2"});
        if (!probe.waitForFinished(30000) || probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0) {
            m_skipReason = "python3-jinja2 is not installed (apt install python3-jinja2)";
            return;
        }
        // Built as text: the conversations' key order is part of what tojson and items() print.
        std::string cases = "[";
        for (const Case &c : kCases) {
            if (cases.size() > 1)
                cases += ",";
            cases += "{\"template\": ";
            parlo::json::appendQuoted(cases, c.source, true);
            cases += ", \"conversation\": ";
            cases += c.conversation ? c.conversation : kDefaultConversation;
            cases += c.generation ? ", \"gen\": true}" : ", \"gen\": false}";
        }
        cases += "]";
        // Loads the oracle script as a module and renders every case with its own render().
        const char *driver = R"(
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("oracle", sys.argv[1])
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)
out = []
for case in json.load(sys.stdin):
    try:
        out.append({"ok": True, "text": oracle.render(case["template"], case["conversation"], case["gen"])})
    except Exception as e:
        out.append({"ok": False, "error": str(e)})
sys.stdout.write(json.dumps(out, ensure_ascii=True))
)";
        QProcess python;
        python.start(PARLO_PYTHON3, {"-c", driver, script});
        python.write(cases.data(), qint64(cases.size()));
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        m_oracle = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
        QCOMPARE(m_oracle.size(), int(std::size(kCases)));
    }

    void matchesOracle_data()
    {
        QTest::addColumn<int>("index");
        for (size_t k = 0; k < std::size(kCases); ++k)
            QTest::newRow(kCases[k].name) << int(k);
    }

    void matchesOracle()
    {
        if (!m_skipReason.isEmpty())
            QSKIP(qPrintable(m_skipReason));
        QFETCH(int, index);
        const Case &c = kCases[index];
        const QJsonObject expected = m_oracle[index].toObject();

        const std::string conversationText = c.conversation ? c.conversation : kDefaultConversation;
        auto conversation = parlo::json::parse(conversationText);
        QVERIFY(conversation.ok());
        parlo::chat::ChatInput input;
        input.bosToken = "<s>";
        input.eosToken = "</s>";
        input.addGenerationPrompt = c.generation;
        input.now = parlo::chat::CivilTime{2026, 1, 15, 12, 0, 0};
        for (const auto &[key, value] : conversation->toObject()) {
            if (key == "messages")
                input.messages = value;
            else
                input.variables.set(key, value);
        }
        const auto rendered = parlo::chat::ChatTemplate::compile(c.source).render(input);
        if (expected["ok"].toBool()) {
            QVERIFY2(rendered.ok(), rendered.ok() ? "" : rendered.error->describe().c_str());
            QCOMPARE(QString::fromStdString(rendered.text), expected["text"].toString());
        } else {
            QVERIFY2(!rendered.ok(), qPrintable("jinja2 failed with: " + expected["error"].toString() +
                                                "\nParlo rendered: " + QString::fromStdString(rendered.text)));
            QCOMPARE(QString::fromStdString(rendered.error->message), expected["error"].toString());
        }
    }
};

QTEST_GUILESS_MAIN(TestJinjaOracle)
#include "test_jinja_oracle.moc"
