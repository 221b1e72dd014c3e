// The settings' self-test section: it shows the recorded table, and "Run again", clicked, tests
// lavapipe and fills the table from the new record.
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(ParloPlugin)

class TestGuiSelfTest : public QObject
{
    Q_OBJECT

private slots:
    void runAgainFillsTheTable()
    {
        QTemporaryDir cache;
        qputenv("XDG_CACHE_HOME", cache.path().toLocal8Bit());
        QQmlEngine engine;
        engine.addImportPath(QStringLiteral("qrc:/")); // where the static Parlo module keeps its qmldir
        QQmlComponent component(&engine);
        component.setData("import QtQuick\nimport QtQuick.Window\nimport Parlo\n"
                          "Window { width: 600; height: 400; visible: true; SelfTestSection { anchors.fill: parent } }",
                          QUrl("qrc:/test.qml"));
        std::unique_ptr<QObject> root(component.create());
        QVERIFY2(root, qPrintable(component.errorString()));
        auto *window = qobject_cast<QQuickWindow *>(root.get());
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        auto *button = root->findChild<QQuickItem *>("selfTestRunAgain");
        QVERIFY(button);
        QObject *selfTest = nullptr;
        for (QObject *o : root->findChildren<QObject *>()) {
            if (o->metaObject()->indexOfProperty("rows") >= 0 && o->metaObject()->indexOfMethod("runAgain()") >= 0)
                selfTest = o;
        }
        QVERIFY(selfTest);
        QCOMPARE(selfTest->property("rows").toList().size(), 0);
        const QPointF centre = button->mapToScene(QPointF(button->width() / 2, button->height() / 2));
        QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(selfTest->property("running").toBool() == false && !selfTest->property("rows").toList().isEmpty(),
                                 150000);
        const QVariantList rows = selfTest->property("rows").toList();
        bool lavapipePassed = false;
        for (const QVariant &row : rows) {
            const QVariantMap m = row.toMap();
            lavapipePassed |= m.value("device").toString().contains("llvmpipe") && m.value("outcome").toString() == "passed";
        }
        QVERIFY2(lavapipePassed, qPrintable(selfTest->property("status").toString()));
        QVERIFY(QFile::exists(cache.filePath("parlo/selftest.json")));
    }
};

QTEST_MAIN(TestGuiSelfTest)
#include "test_gui_self_test.moc"
