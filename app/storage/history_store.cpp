// Opening the history: creating, validating, migrating, and recovering from damage or a crash.
#include "history_store.h"

#include "core/regular_file.h"
#include "schema.h"
#include "store_internal.h"
#include "writer_token.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStorage, "parlo.storage", QtInfoMsg)

namespace parlo::storage {

namespace detail {

StoreError describe(const StoreError &error, const QString &path, const QString &action, bool markDamage)
{
    const QString file = QDir::toNativeSeparators(path);
    switch (error.kind) {
    case ErrorKind::DiskFull:
        return {error.kind,
                QStringLiteral("The disk holding %1 is full, so %2 failed. Free some space; until then "
                               "the conversation continues in memory only. (%3)")
                    .arg(file, action, error.message)};
    case ErrorKind::ReadOnly:
        return {error.kind,
                QStringLiteral("%1 cannot be written (the file or its folder is read-only), so %2 "
                               "failed; the conversation continues in memory only. (%3)")
                    .arg(file, action, error.message)};
    case ErrorKind::Corrupt:
        if (!path.isEmpty() && markDamage) {
            QFile marker(needsCheckMarker(path));
            (void)marker.open(QIODevice::WriteOnly);
        }
        return {error.kind,
                QStringLiteral("The history file %1 is damaged, so %2 failed. Reopen Parlo to set it "
                               "aside and start a new one. (%3)")
                    .arg(file, action, error.message)};
    case ErrorKind::Busy:
        return {error.kind,
                QStringLiteral("The history file %1 is locked by another program (another Parlo or "
                               "parlo-cli?), so %2 failed. Try again. (%3)")
                    .arg(file, action, error.message)};
    case ErrorKind::NotFound:
    case ErrorKind::InvalidInput:
    case ErrorKind::TooNew:
    case ErrorKind::NotOpen:
        return {error.kind, action + QStringLiteral(": ") + error.message};
    case ErrorKind::Io:
    case ErrorKind::Internal:
        break;
    }
    return {error.kind, QStringLiteral("%1 failed on %2: %3").arg(action, file, error.message)};
}

} // namespace detail

HistoryStore::HistoryStore() = default;
HistoryStore::~HistoryStore()
{
    close();
}

QString HistoryStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir).filePath(QStringLiteral("history.sqlite"));
}

int HistoryStore::schemaVersion()
{
    return schema::kCurrentVersion;
}

void HistoryStore::close()
{
    m_db.close();
    m_writer.reset();
}

QString HistoryStore::writerId() const
{
    return m_writer ? m_writer->id() : QString();
}

StoreResult<void> HistoryStore::setPageLimit(qint64 pages)
{
    // SQLite never lowers the cap below the current size, and 0 would be taken literally.
    const qint64 limit = pages > 0 ? pages : 1073741823;
    return m_db.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(limit));
}

StoreResult<OpenReport> HistoryStore::open(const QString &path, const OpenOptions &options)
{
    close();
    m_path = path;
    m_readOnly = options.readOnly;
    m_markDamage = options.markDamage;
    auto report = openChecked(path, options);
    if (report || report.error().kind != ErrorKind::Corrupt || !options.recoverCorrupt || options.readOnly)
        return report;

    qCWarning(lcStorage) << "history database is damaged:" << report.error().message;
    const StoreError damage = report.error();
    auto aside = setAsideCorrupt(path);
    if (!aside)
        return aside.error();
    auto fresh = openChecked(path, options);
    if (!fresh)
        return fresh.error();
    fresh->corruptCopyPath = *aside;
    fresh->notices.prepend(
        QStringLiteral("The history file %1 was damaged and could not be read (%2). It was moved "
                       "to %3 and a new, empty history was started.")
            .arg(QDir::toNativeSeparators(path), damage.message, QDir::toNativeSeparators(*aside)));
    return fresh;
}

StoreResult<OpenReport> HistoryStore::openChecked(const QString &path, const OpenOptions &options)
{
    const QString file = QDir::toNativeSeparators(path);
    const bool existed = QFileInfo::exists(path);
    if (!existed && !options.create)
        return StoreError{ErrorKind::NotFound, QStringLiteral("There is no history file at %1.").arg(file)};
    if (existed) {
        // A FIFO would block the probe below; a device or socket is never ours.
        if (auto problem = app::regularFileProblem(path, QStringLiteral("history")))
            return StoreError{ErrorKind::InvalidInput, *problem + QLatin1Char('.')};
    }
    if (!existed) {
        const QFileInfo dir(QFileInfo(path).absolutePath());
        if (!dir.exists() && !QDir().mkpath(dir.absoluteFilePath()))
            return StoreError{
                ErrorKind::ReadOnly,
                QStringLiteral("Cannot create the folder %1 for the history. Choose a folder you can "
                               "write to.")
                    .arg(QDir::toNativeSeparators(dir.absoluteFilePath()))};
    }

    if (existed && QFileInfo(path).size() > 0) {
        // SQLite takes a file too short for its header as an empty database and would write
        // over it; a file that is not ours must be set aside instead.
        QFile probe(path);
        const QByteArray header = probe.open(QIODevice::ReadOnly) ? probe.read(100) : QByteArray();
        if (probe.isOpen() &&
            (header.size() < 100 || !header.startsWith(QByteArrayView("SQLite format 3\0", 16))))
            return StoreError{ErrorKind::Corrupt,
                              QStringLiteral("%1 is not a Parlo history file (it is not an SQLite database)").arg(file)};
        // The header records the file's length in pages; it is trusted when its "valid for"
        // counter matches the change counter. A shorter file lost its tail.
        auto be32 = [&](int at) {
            return (quint32(quint8(header[at])) << 24) | (quint32(quint8(header[at + 1])) << 16) |
                   (quint32(quint8(header[at + 2])) << 8) | quint32(quint8(header[at + 3]));
        };
        if (header.size() == 100) {
            const quint32 rawPageSize = (quint32(quint8(header[16])) << 8) | quint32(quint8(header[17]));
            const qint64 pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
            const qint64 pages = be32(28);
            if (be32(24) == be32(92) && pages > 0 && pageSize * pages > QFileInfo(path).size())
                return StoreError{ErrorKind::Corrupt,
                                  QStringLiteral("%1 is shorter than its header says (%2 of %3 "
                                                 "bytes): it was cut off")
                                      .arg(file)
                                      .arg(QFileInfo(path).size())
                                      .arg(pageSize * pages)};
        }
    }

    if (auto opened = m_db.open(path, options.readOnly ? Connection::Mode::ReadOnly
                                      : options.create  ? Connection::Mode::ReadWriteCreate
                                                        : Connection::Mode::ReadWrite);
        !opened) {
        const StoreError &e = opened.error();
        const ErrorKind kind = e.kind == ErrorKind::Io ? ErrorKind::ReadOnly : e.kind;
        const QString verb = existed ? QStringLiteral("open") : QStringLiteral("create");
        return StoreError{
            kind, QStringLiteral("Cannot %1 the history file %2: %3. Check that the folder exists and "
                                 "that you can write to it.")
                      .arg(verb, file, e.message)};
    }
    sqlite3_busy_timeout(m_db.handle(), options.busyTimeoutMs);

    OpenReport report;
    report.path = path;
    auto fail = [&](const StoreError &error) -> StoreResult<OpenReport> {
        close();
        return error;
    };

    // Reading the version touches nothing, so a file we refuse stays byte for byte as it was.
    auto version = m_db.queryInt("PRAGMA user_version");
    if (!version && options.readOnly &&
        (version.error().kind == ErrorKind::Io || version.error().kind == ErrorKind::ReadOnly) &&
        !QFileInfo::exists(path + QStringLiteral("-wal"))) {
        // A WAL database in a folder we cannot write: SQLite cannot create the shared-memory
        // file readers coordinate through. Without a "-wal" file nobody is writing (a writer
        // keeps it while connected, and could not create it here either), so the main file
        // alone is the whole database and can be read as immutable.
        if (auto immutable = m_db.open(path, Connection::Mode::ReadOnlyImmutable); !immutable)
            return fail(immutable.error());
        version = m_db.queryInt("PRAGMA user_version");
    }
    if (!version)
        return fail(
            {version.error().kind,
             QStringLiteral("%1 is not a readable history file: %2").arg(file, version.error().message)});
    if (*version > schema::kCurrentVersion)
        return fail(
            {ErrorKind::TooNew, QStringLiteral("The history file %1 was written by a newer version of Parlo "
                                               "(schema version %2; this version knows up to %3). It was "
                                               "left untouched: update Parlo to open it, or choose another "
                                               "file.")
                                    .arg(file)
                                    .arg(*version)
                                    .arg(schema::kCurrentVersion)});
    report.previousVersion = int(*version);
    if (options.readOnly && report.previousVersion == 0)
        return fail({ErrorKind::InvalidInput,
                     QStringLiteral("%1 is not a Parlo history file (an SQLite database without Parlo's "
                                    "tables). It was left untouched.")
                         .arg(file)});

    if (existed && QFileInfo(path).size() > 0 && !options.readOnly) {
        if (auto checked = checkIntegrity(path, options); !checked)
            return fail(checked.error());
    }

    if (options.readOnly) {
        report.schemaVersion = report.previousVersion;
        if (report.previousVersion < schema::kCurrentVersion) {
            // Written by an older Parlo: upgrade a private copy, leave the file as it is.
            if (auto copied = m_db.copyToMemory(); !copied)
                return fail(detail::describe(copied.error(), path, QStringLiteral("reading the history"),
                                             options.markDamage));
            auto migrated = schema::migrate(m_db, report.previousVersion);
            if (!migrated)
                return fail(detail::describe(migrated.error(), path, QStringLiteral("reading the history"),
                                             options.markDamage));
            report.schemaVersion = *migrated;
        }
    }
    if (auto configured = configure(options); !configured)
        return fail(detail::describe(configured.error(), path, QStringLiteral("opening the history"),
                                     options.markDamage));
    if (options.readOnly)
        return report;

    auto migrated = schema::migrate(m_db, report.previousVersion);
    if (!migrated)
        return fail(detail::describe(migrated.error(), path, QStringLiteral("upgrading the history")));
    report.schemaVersion = *migrated;
    if (report.previousVersion > 0 && report.previousVersion < report.schemaVersion)
        qCInfo(lcStorage) << "history upgraded from schema" << report.previousVersion << "to"
                          << report.schemaVersion;

    // Our own token first, so another opener never takes this connection's answers for a
    // dead writer's; then the lock files of writers long gone are cleared away.
    QString tokenError;
    m_writer = WriterToken::acquire(path, &tokenError);
    if (!m_writer)
        qCWarning(lcStorage) << "no writer token for" << file << "(" << tokenError
                             << "): another Parlo opening this history may mark our unfinished answer interrupted";
    WriterToken::sweep(path);

    auto interrupted = recoverInterrupted();
    if (!interrupted)
        return fail(detail::describe(interrupted.error(), path, QStringLiteral("opening the history")));
    report.interruptedMessages = *interrupted;
    if (*interrupted > 0)
        report.notices.append(
            QStringLiteral("%1 answer(s) were cut off when Parlo stopped unexpectedly; their partial "
                           "text was kept and marked \"interrupted\".")
                .arg(*interrupted));
    return report;
}

StoreResult<void> HistoryStore::configure(const OpenOptions &options)
{
    STORE_TRY(m_db.exec("PRAGMA foreign_keys = ON"));
    if (options.readOnly)
        return m_db.exec("PRAGMA query_only = ON");
    {
        auto mode = m_db.prepare("PRAGMA journal_mode = WAL");
        if (!mode)
            return mode.error();
        auto row = mode->next();
        if (!row)
            return row.error();
        if (!*row || mode->text(0) != u"wal")
            return StoreError{ErrorKind::Io,
                              QStringLiteral("the history could not switch to write-ahead logging")};
    }
    // FULL: a committed message survives a power cut too, not only a crash. Commits are rare
    // (one per ~250 ms while streaming), so the fsync costs nothing noticeable.
    return m_db.exec("PRAGMA synchronous = FULL");
}

StoreResult<void> HistoryStore::checkIntegrity(const QString &path, const OpenOptions &options)
{
    const bool suspect = QFileInfo::exists(detail::needsCheckMarker(path));
    const bool full = suspect || QFileInfo(path).size() <= options.fullCheckBelowBytes;
    // quick_check reads every page once; the per-table form reads only the named tables.
    const QList<const char *> checks =
        full ? QList<const char *>{"PRAGMA quick_check(1)"}
             : QList<const char *>{"PRAGMA quick_check(sqlite_schema)", "PRAGMA quick_check(conversations)"};
    for (const char *sql : checks) {
        auto check = m_db.prepare(sql);
        if (!check)
            return StoreError{check.error().kind == ErrorKind::Busy ? ErrorKind::Busy : ErrorKind::Corrupt,
                              check.error().message};
        auto row = check->next();
        if (!row) // a read error here means a damaged page, unless another program holds the lock
            return StoreError{row.error().kind == ErrorKind::Busy ? ErrorKind::Busy : ErrorKind::Corrupt,
                              row.error().message};
        const QString verdict = *row ? check->text(0) : QStringLiteral("no result");
        if (verdict != u"ok")
            return StoreError{ErrorKind::Corrupt, verdict};
    }
    if (suspect && full)
        QFile::remove(detail::needsCheckMarker(path));
    return {};
}

StoreResult<QString> HistoryStore::setAsideCorrupt(const QString &path)
{
    m_db.close();
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString target = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(target); ++n)
        target = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    if (!QFile::rename(path, target))
        return StoreError{ErrorKind::ReadOnly,
                          QStringLiteral("The history file %1 is damaged and could not be moved "
                                         "aside to %2. Move or delete it yourself.")
                              .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(target))};
    // The WAL may hold the newest pages: keep it beside the copy, where SQLite pairs them up.
    for (const char *suffix : {"-wal", "-journal"}) {
        if (QFileInfo::exists(path + QLatin1String(suffix)))
            QFile::rename(path + QLatin1String(suffix), target + QLatin1String(suffix));
    }
    QFile::remove(path + QStringLiteral("-shm"));
    QFile::remove(detail::needsCheckMarker(path));
    qCWarning(lcStorage) << "damaged history moved to" << target;
    return target;
}

StoreResult<int> HistoryStore::recoverInterrupted()
{
    // Which writers left answers unfinished, and which of them are gone. A writer cannot come
    // back to life, so testing before the transaction is safe; one that dies after the test
    // is found by the next opener. Rows without a token come from a Parlo before writer
    // tokens (or one that could not take a token): their writer is taken for gone, as before.
    QStringList gone;
    bool legacy = false;
    {
        auto st = m_db.prepare("SELECT DISTINCT writer FROM messages WHERE state = 'streaming'");
        if (!st)
            return st.error();
        for (;;) {
            auto row = st->next();
            if (!row)
                return row.error();
            if (!*row)
                break;
            const QString writer = st->text(0);
            if (st->isNull(0) || writer.isEmpty())
                legacy = true;
            else if (writer != writerId() && !WriterToken::isAlive(m_path, writer))
                gone.append(writer);
        }
    }
    if (gone.isEmpty() && !legacy)
        return 0;

    Transaction tx(m_db);
    STORE_TRY(tx.begin());
    STORE_TRY(m_db.exec("CREATE TEMP TABLE IF NOT EXISTS parlo_gone_writers(writer TEXT PRIMARY KEY); "
                        "DELETE FROM parlo_gone_writers"));
    for (const QString &writer : gone) {
        auto insert = m_db.prepare("INSERT OR IGNORE INTO parlo_gone_writers(writer) VALUES (?)");
        if (!insert)
            return insert.error();
        STORE_TRY(insert->bind(1, writer).run());
    }
    constexpr const char *kAbandoned =
        "state = 'streaming' AND (writer IS NULL OR writer = '' OR writer IN (SELECT writer FROM parlo_gone_writers))";
    STORE_TRY(m_db.exec(QStringLiteral("INSERT OR IGNORE INTO generations(message_id) "
                                       "SELECT id FROM messages WHERE %1").arg(QLatin1String(kAbandoned))));
    STORE_TRY(m_db.exec(QStringLiteral("UPDATE generations SET finish_reason = 'interrupted' WHERE message_id IN "
                                       "(SELECT id FROM messages WHERE %1)").arg(QLatin1String(kAbandoned))));
    STORE_TRY(m_db.exec(QStringLiteral("UPDATE messages SET state = 'done' WHERE %1").arg(QLatin1String(kAbandoned))));
    const int count = m_db.changes();
    STORE_TRY(m_db.exec("DELETE FROM parlo_gone_writers"));
    STORE_TRY(tx.commit());
    return count;
}

StoreError HistoryStore::notFound(const char *what, qint64 id) const
{
    return {ErrorKind::NotFound,
            QStringLiteral("there is no %1 with id %2").arg(QLatin1String(what)).arg(id)};
}

StoreError HistoryStore::describe(const StoreError &error, const QString &action) const
{
    return detail::describe(error, m_path, action, m_markDamage);
}

} // namespace parlo::storage
