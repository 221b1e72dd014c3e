// parlo-cli devices: every Vulkan device with its capabilities, and which one Parlo would use.
#include "cli_command.h"
#include "parlo/devices.h"

#include <QCommandLineParser>

#include <cstdio>

namespace {

int runDevices(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription("List compute devices and the one Parlo would use.");
    const QCommandLineOption device("device", "Device to choose: auto, cpu, vulkan or vulkan:N (default: PARLO_DEVICE, else auto).",
                                    "device");
    parser.addOption(device);
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;

    const parlo::DeviceInventory inventory = parlo::enumerateVulkanDevices();
    if (!inventory.vulkanAvailable) {
        std::printf("No Vulkan device is available: %s.\n", inventory.unavailableReason.c_str());
    } else {
        std::printf("%zu Vulkan device(s):\n\n", inventory.devices.size());
        for (const auto &d : inventory.devices)
            std::printf("%s\n", parlo::formatDeviceReport(d).c_str());
    }

    std::optional<std::string> requested;
    if (parser.isSet(device))
        requested = parser.value(device).toStdString();
    auto request = parlo::deviceRequestFrom(requested ? std::optional<std::string_view>(*requested) : std::nullopt);
    if (!request) {
        parlo::cli::printError(QString::fromStdString(request.error().message));
        return 2;
    }
    auto choice = parlo::chooseDevice(inventory, *request);
    if (!choice) {
        parlo::cli::printError(QString::fromStdString(choice.error().message));
        return 1;
    }
    const char *backend = choice->backend == parlo::BackendKind::Vulkan ? "Vulkan" : "CPU";
    std::printf("Parlo would use: %s — %s.\n", backend, choice->reason.c_str());
    return 0;
}

} // namespace

PARLO_CLI_COMMAND("devices", "List Vulkan devices, their capabilities, and the one Parlo would use", runDevices);
