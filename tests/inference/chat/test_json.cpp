// parlo::json: RFC 8259 parsing, Python-identical serialization, and hostile input.
#include "parlo/json.h"

#include <QtTest>

#include <cmath>

using parlo::json::Value;

class TestJson : public QObject
{
    Q_OBJECT

private slots:
    void parsesAllTypesInOrder()
    {
        auto v = parlo::json::parse(" {\"z\": 1, \"a\": [true, false, null, -2.5e3, \"x\\u00e9\\ud83e\\udd99\\n\"], \"m\": {}} ");
        QVERIFY2(v.ok(), v.ok() ? "" : v.error().message.c_str());
        QVERIFY(v->isObject());
        QCOMPARE(v->toObject()[0].first, std::string("z"));
        QCOMPARE(v->toObject()[1].first, std::string("a"));
        const auto &a = v->find("a")->toArray();
        QCOMPARE(a.size(), size_t(5));
        QVERIFY(a[0].toBool() && !a[1].toBool() && a[2].isNull());
        QCOMPARE(a[3].toDouble(), -2500.0);
        QCOMPARE(a[4].toString(), std::string("x\xC3\xA9\xF0\x9F\xA6\x99\n"));
        QCOMPARE(v->find("z")->toInt(), int64_t(1));
        QVERIFY(v->find("m")->isObject());
    }

    void duplicateKeysKeepFirstPositionLastValue()
    {
        auto v = parlo::json::parse("{\"a\": 1, \"b\": 2, \"a\": 3}");
        QVERIFY(v.ok());
        QCOMPARE(v->size(), size_t(2));
        QCOMPARE(v->toObject()[0].first, std::string("a"));
        QCOMPARE(v->find("a")->toInt(), int64_t(3));
    }

    void serializesLikePythonJsonDumps()
    {
        auto v = parlo::json::parse("{\"name\": \"é\\\"<&>\\u0001\\u007f\", \"n\": [1, 1.0, 0.1, 1e16, 1.5e-7, 123456789.125, -0.0, "
                                    "100000000000000000000], \"e\": [], \"o\": {}}");
        QVERIFY(v.ok());
        // Reference strings produced by Python's json.dumps with the same options.
        QCOMPARE(parlo::json::serialize(*v),
                 std::string("{\"name\": \"é\\\"<&>\\u0001\x7f\", \"n\": [1, 1.0, 0.1, 1e+16, 1.5e-07, 123456789.125, -0.0, "
                             "1e+20], \"e\": [], \"o\": {}}"));
        parlo::json::WriteOptions ascii;
        ascii.ensureAscii = true;
        QCOMPARE(parlo::json::serialize(Value("é🦙\x7f"), ascii), std::string("\"\\u00e9\\ud83e\\udd99\\u007f\""));
        parlo::json::WriteOptions indented;
        indented.indent = 2;
        auto small = parlo::json::parse("{\"b\": [1, {\"c\": null}], \"a\": {}}");
        QCOMPARE(parlo::json::serialize(*small, indented), std::string("{\n  \"b\": [\n    1,\n    {\n      \"c\": null\n    }\n  ],\n  \"a\": {}\n}"));
        indented.sortKeys = true;
        indented.indent = -1;
        QCOMPARE(parlo::json::serialize(*small, indented), std::string("{\"a\": {}, \"b\": [1, {\"c\": null}]}"));
    }

    void formatsFloatsAsPythonRepr()
    {
        QCOMPARE(parlo::json::formatDouble(0.1 + 0.2), std::string("0.30000000000000004"));
        QCOMPARE(parlo::json::formatDouble(1e-4), std::string("0.0001"));
        QCOMPARE(parlo::json::formatDouble(1e-5), std::string("1e-05"));
        QCOMPARE(parlo::json::formatDouble(123456789012345678.0), std::string("1.2345678901234568e+17"));
        QCOMPARE(parlo::json::formatDouble(1e15), std::string("1000000000000000.0"));
        QCOMPARE(parlo::json::formatDouble(2.5), std::string("2.5"));
        QCOMPARE(parlo::json::formatDouble(NAN), std::string("nan"));
        QCOMPARE(parlo::json::formatDouble(-INFINITY), std::string("-inf"));
    }

    void roundTrips()
    {
        const std::string text = "{\"a\": [1, 2.5, \"s\", null, true, {\"b\": []}], \"c\": \"\\ud83e\\udd99\"}";
        auto v = parlo::json::parse(text);
        QVERIFY(v.ok());
        auto again = parlo::json::parse(parlo::json::serialize(*v));
        QVERIFY(again.ok());
        QVERIFY(*v == *again);
    }

    void hugeNumbers()
    {
        auto big = parlo::json::parse("123456789012345678901234567890");
        QVERIFY(big.ok());
        QVERIFY(big->isDouble());
        QVERIFY(std::fabs(big->toDouble() - 1.2345678901234568e29) < 1e15);
        QVERIFY(parlo::json::parse("9223372036854775807")->isInt());
        QVERIFY(parlo::json::parse("-9223372036854775808")->isInt());
        QVERIFY(parlo::json::parse("9223372036854775808")->isDouble());
        auto tooBig = parlo::json::parse("1e400");
        QVERIFY(!tooBig.ok());
        QVERIFY(tooBig.error().message.find("out of range") != std::string::npos);
        auto tiny = parlo::json::parse("1e-400");
        QVERIFY(tiny.ok());
        QCOMPARE(tiny->toDouble(), 0.0);
        QVERIFY(!parlo::json::parse(std::string(100000, '9') + "e99999").ok());
    }

    void hostileInput_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray("") << "unexpected end";
        QTest::newRow("truncated object") << QByteArray("{\"a\": 1") << "unexpected end";
        QTest::newRow("truncated string") << QByteArray("[\"abc") << "unterminated string";
        QTest::newRow("trailing comma") << QByteArray("[1,]") << "unexpected character";
        QTest::newRow("trailing data") << QByteArray("[1] x") << "after the JSON value";
        QTest::newRow("single quotes") << QByteArray("['a']") << "unexpected character";
        QTest::newRow("control char") << QByteArray("[\"a\x01\"]") << "control character";
        QTest::newRow("bad escape") << QByteArray("[\"\\q\"]") << "invalid escape";
        QTest::newRow("lone high surrogate") << QByteArray("[\"\\ud83e\"]") << "lone surrogate";
        QTest::newRow("lone low surrogate") << QByteArray("[\"\\udd99\"]") << "lone surrogate";
        QTest::newRow("invalid utf8") << QByteArray("[\"\xff\"]") << "invalid UTF-8";
        QTest::newRow("overlong utf8") << QByteArray("[\"\xc0\xaf\"]") << "invalid UTF-8";
        QTest::newRow("utf8 surrogate") << QByteArray("[\"\xed\xa0\x80\"]") << "invalid UTF-8";
        QTest::newRow("truncated utf8") << QByteArray("[\"\xe2\x82") << "UTF-8";
        QTest::newRow("leading zero") << QByteArray("[01]") << "expected ','";
        QTest::newRow("bare minus") << QByteArray("[-]") << "invalid number";
        QTest::newRow("nan") << QByteArray("[NaN]") << "unexpected character";
        QTest::newRow("deep arrays") << QByteArray(100000, '[') << "nesting deeper";
        QTest::newRow("deep objects") << QByteArray("{\"a\":").repeated(10000) << "nesting deeper";
        QTest::newRow("key not string") << QByteArray("{1: 2}") << "expected a string key";
    }

    void hostileInput()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        auto v = parlo::json::parse(std::string_view(text.constData(), size_t(text.size())));
        QVERIFY(!v.ok());
        QVERIFY2(QString::fromStdString(v.error().message).contains(message), v.error().message.c_str());
        QVERIFY2(v.error().message.rfind("JSON: line ", 0) == 0, v.error().message.c_str());
    }

    void reportsLineAndColumn()
    {
        auto v = parlo::json::parse("[1,\n  2,\n  x]");
        QVERIFY(!v.ok());
        QVERIFY2(v.error().message.find("line 3, column 3") != std::string::npos, v.error().message.c_str());
    }

    void depthLimitIsConfigurable()
    {
        parlo::json::ParseOptions options;
        options.maxDepth = 3;
        QVERIFY(parlo::json::parse("[[[1]]]", options).ok());
        QVERIFY(!parlo::json::parse("[[[[1]]]]", options).ok());
        options.maxBytes = 4;
        QVERIFY(!parlo::json::parse("[1, 2]", options).ok());
    }

    void mutation()
    {
        Value o;
        o.set("b", 1);
        o.set("a", "x");
        o.set("b", 2);
        QCOMPARE(parlo::json::serialize(o), std::string("{\"b\": 2, \"a\": \"x\"}"));
        Value a;
        a.push(Value());
        a.push(Value::array());
        QCOMPARE(parlo::json::serialize(a), std::string("[null, []]"));
        QCOMPARE(Value("s").toInt(), int64_t(0)); // wrong-type access is neutral, not a crash
        QVERIFY(Value(1).find("x") == nullptr);
    }
};

QTEST_GUILESS_MAIN(TestJson)
#include "test_json.moc"
