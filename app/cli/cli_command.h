// The parlo-cli subcommand registry. Each cmd_<name>.cpp defines one command and registers it
// with PARLO_CLI_COMMAND, so adding a command never touches a shared dispatcher.
#pragma once

#include <QStringList>

#include <functional>
#include <vector>

class QCommandLineParser;

namespace parlo::cli {

struct CliCommand
{
    const char *name;
    const char *summary;
    // args[0] is "parlo-cli <name>", the rest are the command's own arguments. Returns the exit code.
    std::function<int(const QStringList &args)> run;
};

bool registerCommand(CliCommand command);
const std::vector<CliCommand> &commands();

// Parses `args` with `parser`, handling --help. Returns false (after printing the reason) when
// the command should exit with `exitCode`.
bool parseOrExit(QCommandLineParser &parser, const QStringList &args, int &exitCode);

// Prints "parlo-cli: <message>" to stderr.
void printError(const QString &message);

// True when `path` is a regular file; otherwise prints why (a FIFO would block the open, a
// folder or device is never a `kind` file) and returns false. Call before opening any file a
// user names.
bool requireRegularFile(const QString &path, const QString &kind);

} // namespace parlo::cli

#define PARLO_CLI_CONCAT_INNER(a, b) a##b
#define PARLO_CLI_CONCAT(a, b) PARLO_CLI_CONCAT_INNER(a, b)
#define PARLO_CLI_COMMAND(name, summary, function)                                                  \
    static const bool PARLO_CLI_CONCAT(parlo_cli_registered_, __LINE__) =                          \
        ::parlo::cli::registerCommand({name, summary, function})
