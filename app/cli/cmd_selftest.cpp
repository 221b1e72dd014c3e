// parlo-cli selftest: runs the per-device self-test (a tiny model built in memory, compared
// with the CPU) and records the result where the app's device choice reads it.
#include "cli_command.h"
#include "parlo/gguf.h"
#include "parlo/selftest.h"
#include "selftest/self_test_record.h"

#include <QCommandLineParser>

#include <cstdio>

namespace {

int runSelfTest(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("Check each Vulkan device's output against the CPU, per weight type, and record the result.");
    const QCommandLineOption device("device", "Device to test: vulkan:N, or all (default).", "device");
    const QCommandLineOption types("types", "Weight types, comma-separated (default: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, "
                                            "Q5_1, Q4_K, Q6_K).", "list");
    const QCommandLineOption model("model", "Test the weight types this GGUF model uses.", "file");
    parser.addOptions({device, types, model});
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;

    std::vector<parlo::TensorType> wanted;
    if (parser.isSet(types)) {
        for (const QString &name : parser.value(types).split(',', Qt::SkipEmptyParts)) {
            const auto type = parlo::selfTestTypeByName(name.trimmed().toStdString());
            if (!type) {
                parlo::cli::printError(QStringLiteral("unknown weight type \"%1\"").arg(name.trimmed()));
                return 2;
            }
            wanted.push_back(*type);
        }
    } else if (parser.isSet(model)) {
        auto file = parlo::gguf::File::open(parser.value(model).toStdString());
        if (!file) {
            parlo::cli::printError(QString::fromStdString(file.error().message));
            return 1;
        }
        wanted = parlo::selfTestTypesOf(**file);
    }

    const parlo::DeviceInventory inventory = parlo::enumerateVulkanDevices();
    if (!inventory.vulkanAvailable) {
        parlo::cli::printError(QStringLiteral("no Vulkan device to test: %1").arg(QString::fromStdString(inventory.unavailableReason)));
        return 1;
    }
    std::vector<uint32_t> indices;
    const QString which = parser.isSet(device) ? parser.value(device) : QStringLiteral("all");
    if (which == "all") {
        for (const auto &d : inventory.devices)
            indices.push_back(d.index);
    } else {
        auto request = parlo::parseDeviceRequest(which.toStdString());
        if (!request || !request->vulkanIndex) {
            parlo::cli::printError("--device must be vulkan:N or all");
            return 2;
        }
        indices.push_back(*request->vulkanIndex);
    }

    parlo::app::SelfTestRecord record;
    record.load();
    bool anyFailed = false;
    std::printf("%-10s %-34s %-6s %-10s %s\n", "device", "name", "type", "result", "detail");
    for (uint32_t index : indices) {
        parlo::SelfTestOptions options;
        options.vulkanIndex = index;
        options.types = wanted;
        auto report = parlo::runDeviceSelfTest(options);
        if (!report) {
            parlo::cli::printError(QString::fromStdString(report.error().message));
            return 1;
        }
        record.store(*report);
        for (const parlo::SelfTestCase &c : report->cases) {
            std::printf("vulkan:%-3u %-34.34s %-6s %-10s %s\n", index, report->device.name.c_str(),
                        parlo::tensorTypeName(uint32_t(c.type)).c_str(), std::string(parlo::selfTestOutcomeName(c.outcome)).c_str(),
                        c.detail.c_str());
        }
        std::printf("vulkan:%-3u driver: %s\n", index, report->device.driver.c_str());
        anyFailed = anyFailed || !report->passed();
    }
    if (!record.save())
        parlo::cli::printError(QStringLiteral("the result was not recorded: %1").arg(record.error()));
    return anyFailed ? 1 : 0;
}

} // namespace

PARLO_CLI_COMMAND("selftest", "Check each GPU's output against the CPU and record it", runSelfTest);
