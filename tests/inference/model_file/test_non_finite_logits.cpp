// A model whose weights hold NaN or Inf: generate and eval say the model is broken, on the
// CPU and on Vulkan, instead of sampling from garbage ("####").
#include "gguf_rewrite.h"
#include "process_run.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <limits>

namespace {

using Run = parlo::test::ProcessRun;

// PARLO_CLI_UNDER_TEST: run another build (an older one, to see this test fail there).
QString cli() { return qEnvironmentVariable("PARLO_CLI_UNDER_TEST", PARLO_CLI_PATH); }

const char k_message[] = "the model produced non-finite values (NaN/Inf)";

// A copy of `source` whose F32 tensor `name` is filled with `value`.
bool poison(const QString &source, const QString &target, std::string_view name, float value)
{
    return parlo::test::rewriteGguf(source, target, [](parlo::gguf::Writer &) {},
                                    [&](const parlo::gguf::TensorInfo &t, std::span<const std::byte> data)
                                        -> std::optional<std::vector<std::byte>> {
                                        if (t.name != name || t.type != parlo::TensorType::F32)
                                            return std::nullopt;
                                        std::vector<std::byte> out(data.size());
                                        for (size_t i = 0; i + sizeof value <= out.size(); i += sizeof value)
                                            std::memcpy(out.data() + i, &value, sizeof value);
                                        return out;
                                    });
}

} // namespace

class TestNonFiniteLogits : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_nan, m_inf;

private slots:
    void initTestCase()
    {
        PARLO_REQUIRE_TEST_FILE(source, "models/stories260K-F32.gguf");
        QVERIFY(m_dir.isValid());
        m_nan = m_dir.filePath("nan.gguf");
        m_inf = m_dir.filePath("inf.gguf");
        QVERIFY(poison(source, m_nan, "output_norm.weight", std::numeric_limits<float>::quiet_NaN()));
        QVERIFY(poison(source, m_inf, "blk.1.ffn_norm.weight", std::numeric_limits<float>::infinity()));
    }

    void generateRefuses_data()
    {
        QTest::addColumn<QString>("device");
        QTest::addColumn<bool>("nan");
        QTest::newRow("cpu nan") << "cpu" << true;
        QTest::newRow("cpu inf") << "cpu" << false;
        QTest::newRow("vulkan nan") << "vulkan" << true;
        QTest::newRow("vulkan inf") << "vulkan" << false;
    }

    void generateRefuses()
    {
        QFETCH(QString, device);
        QFETCH(bool, nan);
        const Run run = parlo::test::runProcess(cli(), {"generate", "--model", nan ? m_nan : m_inf, "--device", device,
                                                                 "--prompt", "Once upon a time", "-n", "8", "--temp", "0"});
        if (device == "vulkan" && run.err.contains("not available"))
            QSKIP("no Vulkan device (install mesa-vulkan-drivers for lavapipe)");
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(k_message), qPrintable(run.err));
        QVERIFY2(!run.out.contains("##"), qPrintable(run.out));
    }

    void evalRefuses()
    {
        const QString out = m_dir.filePath("logits.f32");
        const Run run = parlo::test::runProcess(cli(), {"eval", "--model", m_nan, "--device", "cpu", "--tokens", "1 403 407",
                                                                 "--logits-out", out});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(k_message), qPrintable(run.err));
    }

    void healthyModelStillRuns()
    {
        PARLO_REQUIRE_TEST_FILE(source, "models/stories260K-F32.gguf");
        const Run run = parlo::test::runProcess(cli(), {"generate", "--model", source, "--device", "cpu", "--prompt",
                                                                 "Once upon a time", "-n", "8", "--temp", "0"});
        QCOMPARE(run.exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestNonFiniteLogits)
#include "test_non_finite_logits.moc"
