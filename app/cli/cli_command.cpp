#include "cli_command.h"

#include "core/regular_file.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cstdio>

namespace parlo::cli {

std::vector<CliCommand> &registry()
{
    static std::vector<CliCommand> list;
    return list;
}

bool registerCommand(CliCommand command)
{
    registry().push_back(std::move(command));
    return true;
}

const std::vector<CliCommand> &commands() { return registry(); }

void printError(const QString &message)
{
    std::fprintf(stderr, "parlo-cli: %s\n", message.toUtf8().constData());
}

bool requireRegularFile(const QString &path, const QString &kind)
{
    if (auto problem = parlo::app::regularFileProblem(path, kind)) {
        printError(*problem);
        return false;
    }
    return true;
}

bool parseOrExit(QCommandLineParser &parser, const QStringList &args, int &exitCode)
{
    const QCommandLineOption help(QStringList{"h", "help"}, "Show this help.");
    parser.addOption(help);
    if (!parser.parse(args)) {
        printError(parser.errorText());
        exitCode = 2;
        return false;
    }
    if (parser.isSet(help)) {
        std::fputs(parser.helpText().toUtf8().constData(), stdout);
        exitCode = 0;
        return false;
    }
    return true;
}

} // namespace parlo::cli
