// parlo-cli bench: one run compares devices side by side; known GPUs get a bandwidth ceiling.
#include "process_run.h"
#include "test_data.h"

#include <QtTest>

class TestCliBench : public QObject
{
    Q_OBJECT

private slots:
    void comparesCpuAndVulkanInOneRun()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-Q8_0.gguf");
        const auto run = parlo::test::runProcess(PARLO_CLI_PATH, {"bench", "--model", model, "--device", "cpu,vulkan:0",
                                                                  "-p", "8", "-n", "4", "--repetitions", "1"});
        if (run.exitCode != 0 && run.err.contains("Vulkan was requested but is not available"))
            QSKIP("no Vulkan device on this machine");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("memory copy bandwidth:"), qPrintable(run.out)); // the CPU section
        QVERIFY(run.out.contains("backend: Vulkan"));
        const QStringList lines = run.out.split('\n');
        const qsizetype header = lines.indexOf(QRegularExpression("^device\\s+prefill tok/s\\s+decode tok/s.*"));
        QVERIFY2(header >= 0, qPrintable(run.out));
        QVERIFY(lines.value(header + 1).startsWith("cpu "));
        QVERIFY(lines.value(header + 2).startsWith("vulkan:0 "));
    }

    void badDeviceInTheListFails()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-Q8_0.gguf");
        const auto run = parlo::test::runProcess(PARLO_CLI_PATH, {"bench", "--model", model, "--device", "cpu,tpu",
                                                                  "-p", "4", "-n", "2", "--repetitions", "1"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("unknown device"), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestCliBench)
#include "test_cli_bench.moc"
