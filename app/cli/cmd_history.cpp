// parlo-cli history: list, show, search, export and import the conversation history that the
// GUI uses (same SQLite file, same code).
#include "cli_command.h"
#include "storage/history_export.h"
#include "storage/history_store.h"
#include "terminal_text.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSaveFile>
#include <cstdio>

namespace {

using namespace parlo::storage;

constexpr qint64 kMaxImportBytes = qint64(1) << 30;

int fail(const StoreError &error)
{
    parlo::cli::printError(error.message);
    return 1;
}

// All of it: a NUL inside a message must not end the output. Control characters are escaped
// by the terminal filter (main.cpp) when stdout is a terminal.
void print(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
}

bool parseId(const QString &text, qint64 &id)
{
    bool ok = false;
    id = text.toLongLong(&ok);
    if (!ok || id <= 0) {
        parlo::cli::printError(
            QStringLiteral("\"%1\" is not a conversation id (see `parlo-cli history list`)").arg(text));
        return false;
    }
    return true;
}

int list(HistoryStore &store, int limit)
{
    ListQuery query;
    query.limit = limit;
    auto rows = store.listConversations(query);
    if (!rows)
        return fail(rows.error());
    if (rows->isEmpty()) {
        print(QStringLiteral("No conversations yet.\n"));
        return 0;
    }
    print(QStringLiteral("%1  %2  %3  %4\n")
              .arg(QStringLiteral("ID"), 6)
              .arg(QStringLiteral("UPDATED (UTC)"), -16)
              .arg(QStringLiteral("MSGS"), 5)
              .arg(QStringLiteral("TITLE")));
    for (const ConversationSummary &c : *rows) {
        const QString title = (c.pinned ? QStringLiteral("[pinned] ") : QString()) +
                              (c.title.isEmpty() ? QStringLiteral("(untitled)") : c.title);
        print(QStringLiteral("%1  %2  %3  %4\n")
                  .arg(c.id, 6)
                  .arg(c.updatedAt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")), -16)
                  .arg(c.messageCount, 5)
                  .arg(title));
    }
    return 0;
}

int search(HistoryStore &store, const QString &text, int limit)
{
    auto hits = store.search(text, limit);
    if (!hits)
        return fail(hits.error());
    if (hits->isEmpty()) {
        print(QStringLiteral("No matches for \"%1\".\n").arg(text));
        return 0;
    }
    for (const SearchHit &hit : *hits) {
        const QString where = hit.messageId > 0
                                  ? QStringLiteral("%1 message %2").arg(roleName(hit.role)).arg(hit.messageId)
                                  : QStringLiteral("title");
        print(QStringLiteral("%1  %2  (%3)\n    %4\n")
                  .arg(hit.conversationId, 6)
                  .arg(hit.conversationTitle, where,
                       hit.snippetWith(QStringLiteral("**"), QStringLiteral("**")).simplified()));
    }
    return 0;
}

int writeOut(const QByteArray &data, const QString &outPath)
{
    if (outPath.isEmpty() || outPath == u"-") {
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        return 0;
    }
    QSaveFile file(outPath); // all or nothing: a failed export never leaves half a file
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        parlo::cli::printError(QStringLiteral("cannot write %1: %2").arg(outPath, file.errorString()));
        return 1;
    }
    std::fprintf(stderr, "Wrote %s\n", qPrintable(outPath));
    return 0;
}

int exportHistory(HistoryStore &store, const QStringList &rest, bool all, const QString &format,
                  const QString &outPath)
{
    if (format != u"md" && format != u"json") {
        parlo::cli::printError(QStringLiteral("--format must be md or json"));
        return 2;
    }
    QList<Conversation> conversations;
    if (all) {
        auto everything = store.allConversations();
        if (!everything)
            return fail(everything.error());
        conversations = std::move(*everything);
    } else {
        if (rest.size() != 1) {
            parlo::cli::printError(QStringLiteral("export needs a conversation id or --all"));
            return 2;
        }
        qint64 id = 0;
        if (!parseId(rest[0], id))
            return 2;
        auto one = store.conversation(id);
        if (!one)
            return fail(one.error());
        conversations.append(std::move(*one));
    }
    const QByteArray data =
        format == u"json" ? exportJson(conversations) : exportMarkdown(conversations).toUtf8();
    return writeOut(data, outPath);
}

int importHistory(HistoryStore &store, const QString &path)
{
    if (!parlo::cli::requireRegularFile(path, QStringLiteral("history export")))
        return 1;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        parlo::cli::printError(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        return 1;
    }
    if (file.size() > kMaxImportBytes) {
        parlo::cli::printError(
            QStringLiteral("%1 is larger than 1 GiB; that is not a history export").arg(path));
        return 1;
    }
    auto parsed = parseExportJson(file.readAll());
    if (!parsed)
        return fail(parsed.error().withContext(path));
    auto report = store.importConversations(*parsed);
    if (!report)
        return fail(report.error());
    print(QStringLiteral("Imported %1 conversation(s); %2 already present.\n")
              .arg(report->imported)
              .arg(report->skipped));
    return 0;
}

int runHistory(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Browse the conversation history.\n\n"
        "  list                          conversations, pinned first, newest first\n"
        "  show ID                       a conversation as Markdown (the branch on screen)\n"
        "  search TEXT                   full-text search over messages and titles\n"
        "  export (ID|--all) --format md|json [--out FILE]\n"
        "  import FILE                   a JSON export; conversations already present are skipped");
    const QCommandLineOption db("db", "History database (default: the app's).", "path",
                                HistoryStore::defaultPath());
    const QCommandLineOption format("format", "Export format: md or json.", "format", "md");
    const QCommandLineOption out("out", "Write the export to FILE instead of stdout.", "file");
    const QCommandLineOption all("all", "Export every conversation.");
    const QCommandLineOption limit("limit", "Most rows to print (list, search).", "n", "200");
    parser.addOptions({db, format, out, all, limit});
    parser.addPositionalArgument("command", "list, show, search, export or import");
    int exitCode = 0;
    if (!parlo::cli::parseOrExit(parser, args, exitCode))
        return exitCode;

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty()) {
        parlo::cli::printError(
            QStringLiteral("history needs a command: list, show, search, export or import"));
        return 2;
    }
    const QString command = positional.takeFirst();
    const int maxRows = qMax(1, parser.value(limit).toInt());
    static const QStringList known{"list", "show", "search", "export", "import"};
    if (!known.contains(command)) {
        parlo::cli::printError(QStringLiteral("unknown history command \"%1\"").arg(command));
        return 2;
    }

    // Reading never changes the file: no upgrade, no recovery, nothing created, and a damaged
    // or foreign file stays where it is. Only import (and the app) may set a damaged file aside.
    const bool reading = command != u"import";
    OpenOptions options;
    if (reading) {
        options.readOnly = true;
        options.create = false;
        options.recoverCorrupt = false;
        options.markDamage = false;
    }
    HistoryStore store;
    auto opened = store.open(parser.value(db), options);
    if (!opened) {
        if (reading && opened.error().kind == ErrorKind::Corrupt)
            parlo::cli::printError(opened.error().message +
                                   QStringLiteral(". It was left as it is. (If it is a damaged Parlo history: "
                                                  "Parlo sets it aside when it opens it to write, so start "
                                                  "Parlo or run `parlo-cli history import`.)"));
        else
            parlo::cli::printError(opened.error().message);
        return 1;
    }
    for (const QString &notice : opened->notices)
        parlo::cli::printError(notice);

    if (command == u"list")
        return list(store, maxRows);
    if (command == u"show") {
        qint64 id = 0;
        if (positional.size() != 1 || !parseId(positional[0], id))
            return 2;
        auto c = store.conversation(id);
        if (!c)
            return fail(c.error());
        // For reading, not for a file (that is `export`): escaped even into a pipe, so a pager
        // or a log never replays a stored escape sequence.
        print(parlo::cli::escapeControls(exportMarkdown({*c})));
        return 0;
    }
    if (command == u"search") {
        if (positional.isEmpty()) {
            parlo::cli::printError(QStringLiteral("search needs some text"));
            return 2;
        }
        return search(store, positional.join(QLatin1Char(' ')), maxRows);
    }
    if (command == u"export")
        return exportHistory(store, positional, parser.isSet(all), parser.value(format), parser.value(out));
    if (positional.size() != 1) {
        parlo::cli::printError(QStringLiteral("import needs one file"));
        return 2;
    }
    return importHistory(store, positional[0]);
}

} // namespace

PARLO_CLI_COMMAND("history", "List, show, search, export and import saved conversations", runHistory);
