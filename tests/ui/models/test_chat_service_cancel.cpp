// A model whose chat template burns CPU (within every template limit, for seconds) must not
// hold the app: Cancel stops its load, and choosing another model supersedes it. Both go
// through the real ChatService worker thread and EngineAdapter, as the window's buttons do.
#include "chat/chat_service.h"
#include "chat/engine_adapter.h"
#include "gguf_rewrite.h"
#include "test_data.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::app;

namespace {

// About 4.8 million loop steps, under the 5 million step limit: seconds of work on this machine.
constexpr const char *k_burningTemplate =
    "{% for i in range(2200) %}{% for j in range(2200) %}{% if j == 7 %}{% endif %}{% endfor %}{% endfor %}"
    "{% for m in messages %}{{ m.content }}{% endfor %}";

} // namespace

class TestChatServiceCancel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_burning;
    QString m_plain;

private slots:
    void initTestCase()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        QVERIFY(m_dir.isValid());
        m_plain = model;
        m_burning = m_dir.filePath("burning-template.gguf");
        QVERIFY(parlo::test::rewriteGguf(model, m_burning, [](parlo::gguf::Writer &w) {
            w.setString("tokenizer.chat_template", k_burningTemplate);
        }));
    }

    void cancelStopsATemplateStillRendering()
    {
        ChatService service(std::make_unique<EngineAdapter>("cpu", 1));
        QSignalSpy failed(&service, &ChatService::loadFailed);
        QSignalSpy loaded(&service, &ChatService::modelLoaded);
        service.loadModel(m_burning, SamplingSettings{});
        QTest::qWait(300); // the weights are in; the probe render is burning
        service.cancelLoad();
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() + loaded.count() > 0, 30000);
        QCOMPARE(loaded.count(), 0);
        QVERIFY2(failed.first().at(1).toString().contains("cancelled"), qPrintable(failed.first().at(1).toString()));
    }

    void anotherModelSupersedesTheLoad()
    {
        ChatService service(std::make_unique<EngineAdapter>("cpu", 1));
        QSignalSpy failed(&service, &ChatService::loadFailed);
        QSignalSpy loaded(&service, &ChatService::modelLoaded);
        service.loadModel(m_burning, SamplingSettings{});
        QTest::qWait(300);
        service.loadModel(m_plain, SamplingSettings{});
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > 0, 30000);
        // The burning load ended as cancelled, not as a model loaded after its render finished.
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(loaded.first().at(0).toString(), m_plain);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), m_burning);
        QVERIFY2(failed.first().at(1).toString().contains("cancelled"), qPrintable(failed.first().at(1).toString()));
    }
};

QTEST_GUILESS_MAIN(TestChatServiceCancel)
#include "test_chat_service_cancel.moc"
