#include <QtTest>
class TestJson : public QObject
{
    Q_OBJECT
private slots:
    void placeholder() { QSKIP("written below"); }
};
QTEST_GUILESS_MAIN(TestJson)
#include "test_json.moc"
