// AppOptions read from the environment: the mock engine is on only for PARLO_FAKE_ENGINE=1, so
// a user who writes "false" or "off" still gets the real engine and real answers.
#include "app_context.h"

#include <QtTest>

class TestAppOptions : public QObject
{
    Q_OBJECT

private slots:
    void fakeEngineOnlyForOne_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("fake");
        QTest::newRow("1") << QByteArray("1") << true;
        QTest::newRow("0") << QByteArray("0") << false;
        QTest::newRow("false") << QByteArray("false") << false;
        QTest::newRow("off") << QByteArray("off") << false;
        QTest::newRow("no") << QByteArray("no") << false;
        QTest::newRow("empty") << QByteArray("") << false;
        QTest::newRow("yes") << QByteArray("yes") << false;
    }

    void fakeEngineOnlyForOne()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, fake);
        qputenv("PARLO_FAKE_ENGINE", value);
        QCOMPARE(parlo::ui::AppContext::optionsFromEnvironment().fakeEngine, fake);
        qunsetenv("PARLO_FAKE_ENGINE");
        QCOMPARE(parlo::ui::AppContext::optionsFromEnvironment().fakeEngine, false);
    }
};

QTEST_GUILESS_MAIN(TestAppOptions)
#include "test_app_options.moc"
