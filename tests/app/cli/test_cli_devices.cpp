// parlo-cli --version and devices, as a user runs them.
#include "parlo/version.h"
#include "process_run.h"

#include <QProcess>
#include <QtTest>

namespace {

using Run = parlo::test::ProcessRun;

Run runCli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    return parlo::test::runProcess(PARLO_CLI_PATH, args, env);
}

} // namespace

class TestCliDevices : public QObject
{
    Q_OBJECT

private slots:
    void printsVersion()
    {
        const Run run = runCli({"--version"});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out.trimmed(), QStringLiteral("parlo-cli ") + parlo::versionString());
    }

    void listsLavapipeWithCapabilities()
    {
        const Run run = runCli({"devices"});
        QCOMPARE(run.exitCode, 0);
        if (run.out.contains("No Vulkan device"))
            QSKIP("no Vulkan device on this machine (install mesa-vulkan-drivers for lavapipe)");
        QVERIFY2(run.out.contains("llvmpipe"), qPrintable(run.out));
        for (const char *field : {"subgroup size", "subgroup operations", "fp16 arithmetic", "int8 arithmetic",
                                  "8/16-bit storage", "shared memory", "max workgroup", "maxStorageBufferRange",
                                  "cooperative matrix", "driver:", "Vulkan:"})
            QVERIFY2(run.out.contains(field), field);
        QVERIFY2(run.out.contains("Parlo would use: CPU"), qPrintable(run.out));
        QVERIFY(run.out.contains("software"));
    }

    void deviceOptionChoosesVulkan()
    {
        const Run run = runCli({"devices", "--device", "vulkan:0"});
        if (run.out.contains("No Vulkan device"))
            QSKIP("no Vulkan device on this machine");
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("Parlo would use: Vulkan — vulkan:0"), qPrintable(run.out));
    }

    void environmentChoosesDevice()
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("PARLO_DEVICE", "cpu");
        const Run run = runCli({"devices"}, env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains("Parlo would use: CPU — the CPU backend was requested"));
    }

    void badDeviceIsAClearError()
    {
        const Run run = runCli({"devices", "--device", "vulkan:99"});
        if (run.out.contains("No Vulkan device"))
            QSKIP("no Vulkan device on this machine");
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("vulkan:99 does not exist"), qPrintable(run.err));
        const Run bad = runCli({"devices", "--device", "tpu"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("unknown device"));
    }

    void noDriverIsAClearSentenceAndExitZero()
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("VK_ICD_FILENAMES", "/nonexistent");
        const Run run = runCli({"devices"}, env);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.startsWith("No Vulkan device is available: "), qPrintable(run.out));
        QVERIFY(run.out.contains("Parlo would use: CPU — running on the CPU because Vulkan is not available"));
    }

    void unknownCommandFails()
    {
        const Run run = runCli({"frobnicate"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("unknown command"));
    }
};

QTEST_GUILESS_MAIN(TestCliDevices)
#include "test_cli_devices.moc"
