// A thin RAII layer over the SQLite C API: one Connection per thread, Statements that bind and
// read Qt types, and a Transaction that rolls back unless committed. Every SQLite failure
// becomes a StoreError whose kind comes from the primary result code.
#pragma once

#include "store_error.h"

#include <QByteArray>
#include <QString>
#include <map>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace parlo::storage {

// Maps an SQLite result code to the kind a caller can act on.
ErrorKind errorKindFromSqlite(int code);

class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, sqlite3_stmt *stmt, bool cached) : m_db(db), m_stmt(stmt), m_cached(cached) {}
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQLite.
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, bool value) { return bind(index, qint64(value ? 1 : 0)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const char *value) { return bind(index, QString::fromUtf8(value)); }
    Statement &bindNull(int index);
    // 0 binds NULL: our ids start at 1, so 0 means "none".
    Statement &bindId(int index, qint64 id);
    Statement &bindOptional(int index, const std::optional<qint64> &value);
    Statement &bindOptional(int index, const std::optional<double> &value);

    // Steps once: true with a row, false when done.
    StoreResult<bool> next();
    // Steps to completion, for statements that return no rows.
    StoreResult<void> run();

    bool isNull(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    std::optional<qint64> optionalInt64(int column) const;
    std::optional<double> optionalReal(int column) const;

private:
    StoreError stepError(int code) const;
    void release();

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_cached = false; // cached statements are reset, not finalized, when released
};

class Connection
{
public:
    Connection() = default;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    ~Connection();

    enum class Mode
    {
        ReadWrite,
        ReadWriteCreate, // makes the file if missing
        ReadOnly,        // SQLITE_OPEN_READONLY: this connection never writes the file
        // Read-only, and SQLite assumes nobody changes the file: no locks, no shared memory,
        // no "-wal" read. Only for a WAL database that no writer has open.
        ReadOnlyImmutable,
    };
    StoreResult<void> open(const QString &path, Mode mode);
    // Replaces this connection with an in-memory copy of its database, so a read-only reader
    // can upgrade an old schema without writing the file.
    StoreResult<void> copyToMemory();
    void close();
    bool isOpen() const { return m_db != nullptr; }
    sqlite3 *handle() const { return m_db; }

    StoreResult<Statement> prepare(const char *sql);
    // Prepared once per connection and reused; `sql` must be a string literal.
    StoreResult<Statement> cached(const char *sql);
    StoreResult<void> exec(const char *sql);
    StoreResult<void> exec(const QString &sql) { return exec(sql.toUtf8().constData()); }
    // The first column of the first row as an integer (PRAGMA user_version and friends).
    StoreResult<qint64> queryInt(const char *sql);

    qint64 lastInsertId() const;
    int changes() const;
    StoreError error(int code, const QString &context) const;

private:
    sqlite3 *m_db = nullptr;
    std::map<const char *, sqlite3_stmt *> m_cache;
};

// BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock upgrading a read.
class Transaction
{
public:
    explicit Transaction(Connection &db) : m_db(db) {}
    ~Transaction();
    StoreResult<void> begin();
    StoreResult<void> commit();

private:
    Connection &m_db;
    bool m_active = false;
    bool m_nested = false;
};

} // namespace parlo::storage
