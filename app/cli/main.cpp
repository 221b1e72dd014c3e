// parlo-cli: the headless front end. Subcommands live in cmd_*.cpp and register themselves.
#include "cli_command.h"
#include "core/log_bridge.h"
#include "terminal_text.h"
#include "parlo/version.h"

#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

void printUsage()
{
    std::printf("Usage: parlo-cli <command> [options]\n\nCommands:\n");
    auto list = parlo::cli::commands();
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return std::strcmp(a.name, b.name) < 0; });
    for (const auto &command : list)
        std::printf("  %-12s %s\n", command.name, command.summary);
    std::printf("\nOptions:\n  --version    Print the version\n  --help       Show this help\n"
                "\nRun `parlo-cli <command> --help` for a command's options.\n");
}

} // namespace

int main(int argc, char **argv)
{
    // Before anything prints: text from models and history files may hold escape sequences.
    parlo::cli::installTerminalEscaping();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("parlo");
    QCoreApplication::setApplicationVersion(parlo::versionString());
    parlo::app::installEngineLogBridge();

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
        printUsage();
        return args.size() < 2 ? 2 : 0;
    }
    if (args[1] == "--version" || args[1] == "-v") {
        std::printf("parlo-cli %s\n", parlo::versionString());
        return 0;
    }
    for (const auto &command : parlo::cli::commands()) {
        if (args[1] == QLatin1String(command.name)) {
            QStringList commandArgs = args.mid(2);
            commandArgs.prepend(QStringLiteral("parlo-cli ") + command.name);
            return command.run(commandArgs);
        }
    }
    parlo::cli::printError(QStringLiteral("unknown command \"%1\"; run parlo-cli --help").arg(args[1]));
    return 2;
}
