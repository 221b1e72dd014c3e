#include "sqlite_connection.h"

#include <QFileInfo>
#include <QUrl>
#include <sqlite3.h>

namespace parlo::storage {

ErrorKind errorKindFromSqlite(int code)
{
    switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ErrorKind::Corrupt;
    case SQLITE_FULL:
        return ErrorKind::DiskFull;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return ErrorKind::ReadOnly;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorKind::Busy;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOLFS:
        return ErrorKind::Io;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
        return ErrorKind::InvalidInput;
    default:
        return ErrorKind::Internal;
    }
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_cached(other.m_cached)
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        release();
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        m_cached = other.m_cached;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    release();
}

void Statement::release()
{
    if (!m_stmt)
        return;
    if (m_cached) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    } else {
        sqlite3_finalize(m_stmt);
    }
    m_stmt = nullptr;
}

Statement &Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Statement &Statement::bindId(int index, qint64 id)
{
    return id > 0 ? bind(index, id) : bindNull(index);
}

Statement &Statement::bindOptional(int index, const std::optional<qint64> &value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement &Statement::bindOptional(int index, const std::optional<double> &value)
{
    return value ? bind(index, *value) : bindNull(index);
}

StoreError Statement::stepError(int code) const
{
    const char *sql = sqlite3_sql(m_stmt);
    QString statement = QString::fromUtf8(sql ? sql : "").simplified();
    if (statement.size() > 60)
        statement = statement.left(60) + QStringLiteral("…");
    return {errorKindFromSqlite(code), QStringLiteral("%1 (SQLite %2, in \"%3\")")
                                           .arg(QString::fromUtf8(sqlite3_errmsg(m_db)))
                                           .arg(code)
                                           .arg(statement)};
}

StoreResult<bool> Statement::next()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    StoreError error = stepError(rc);
    sqlite3_reset(m_stmt);
    return error;
}

StoreResult<void> Statement::run()
{
    for (;;) {
        auto row = next();
        if (!row)
            return row.error();
        if (!*row)
            return {};
    }
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}
qint64 Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}
double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QString::fromUtf8(data, size) : QString();
}

std::optional<qint64> Statement::optionalInt64(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<qint64>(int64(column));
}

std::optional<double> Statement::optionalReal(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<double>(real(column));
}

Connection::~Connection()
{
    close();
}

StoreResult<void> Connection::open(const QString &path, Mode mode)
{
    close();
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    QByteArray name = path.toUtf8();
    switch (mode) {
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadOnlyImmutable:
        flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
        name = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toEncoded() + "?immutable=1";
        break;
    }
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(name.constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString reason = QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return StoreError{errorKindFromSqlite(rc), reason};
    }
    m_db = db;
    sqlite3_extended_result_codes(m_db, 1);
    return {};
}

StoreResult<void> Connection::copyToMemory()
{
    if (!m_db)
        return StoreError{ErrorKind::NotOpen, QStringLiteral("no database is open")};
    sqlite3 *memory = nullptr;
    int rc = sqlite3_open_v2(":memory:", &memory, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_backup *backup = sqlite3_backup_init(memory, "main", m_db, "main");
        if (!backup) {
            rc = sqlite3_errcode(memory);
        } else {
            sqlite3_backup_step(backup, -1);
            rc = sqlite3_backup_finish(backup);
        }
    }
    if (rc != SQLITE_OK) {
        const QString reason = QString::fromUtf8(memory ? sqlite3_errmsg(memory) : sqlite3_errstr(rc));
        sqlite3_close_v2(memory);
        return StoreError{errorKindFromSqlite(rc), QStringLiteral("copying the history into memory: %1").arg(reason)};
    }
    close();
    m_db = memory;
    sqlite3_extended_result_codes(m_db, 1);
    return {};
}

void Connection::close()
{
    for (auto &[sql, stmt] : m_cache)
        sqlite3_finalize(stmt);
    m_cache.clear();
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

StoreResult<Statement> Connection::prepare(const char *sql)
{
    if (!m_db)
        return StoreError{ErrorKind::NotOpen, QStringLiteral("no database is open")};
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        return error(rc,
                     QStringLiteral("preparing \"%1\"").arg(QString::fromUtf8(sql).simplified().left(60)));
    return Statement(m_db, stmt, false);
}

StoreResult<Statement> Connection::cached(const char *sql)
{
    if (!m_db)
        return StoreError{ErrorKind::NotOpen, QStringLiteral("no database is open")};
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt *stmt = nullptr;
        const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            return error(
                rc, QStringLiteral("preparing \"%1\"").arg(QString::fromUtf8(sql).simplified().left(60)));
        it = m_cache.emplace(sql, stmt).first;
    }
    return Statement(m_db, it->second, true);
}

StoreResult<void> Connection::exec(const char *sql)
{
    if (!m_db)
        return StoreError{ErrorKind::NotOpen, QStringLiteral("no database is open")};
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        StoreError e{errorKindFromSqlite(rc),
                     QStringLiteral("%1 (SQLite %2)")
                         .arg(QString::fromUtf8(message ? message : sqlite3_errstr(rc)))
                         .arg(rc)};
        sqlite3_free(message);
        return e;
    }
    return {};
}

StoreResult<qint64> Connection::queryInt(const char *sql)
{
    auto st = prepare(sql);
    if (!st)
        return st.error();
    auto row = st->next();
    if (!row)
        return row.error();
    return *row ? st->int64(0) : qint64(0);
}

qint64 Connection::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}
int Connection::changes() const
{
    return sqlite3_changes(m_db);
}

StoreError Connection::error(int code, const QString &context) const
{
    const QString reason = QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(code));
    return {errorKindFromSqlite(code), QStringLiteral("%1: %2 (SQLite %3)").arg(context, reason).arg(code)};
}

Transaction::~Transaction()
{
    if (!m_active)
        return;
    if (m_nested)
        (void)m_db.exec("ROLLBACK TO parlo_nested; RELEASE parlo_nested");
    else
        (void)m_db.exec("ROLLBACK");
}

StoreResult<void> Transaction::begin()
{
    // Inside an outer transaction (an import adding many messages), nest with a savepoint.
    m_nested = m_db.isOpen() && sqlite3_get_autocommit(m_db.handle()) == 0;
    STORE_TRY(m_db.exec(m_nested ? "SAVEPOINT parlo_nested" : "BEGIN IMMEDIATE"));
    m_active = true;
    return {};
}

StoreResult<void> Transaction::commit()
{
    auto result = m_db.exec(m_nested ? "RELEASE parlo_nested" : "COMMIT");
    if (result)
        m_active = false;
    return result;
}

} // namespace parlo::storage
