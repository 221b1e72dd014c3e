// The history schema and its forward migrations, versioned with PRAGMA user_version.
// Version 1: folders, conversations, messages as a tree (with the model name on each message).
// Version 2: streaming state, remembered active branches, generation metadata in its own table.
// Version 3: FTS5 indexes over message text and conversation titles, kept in sync by triggers.
// Version 4: messages.writer, the token of the process writing a streaming answer.
#pragma once

#include "sqlite_connection.h"

namespace parlo::storage::schema {

constexpr int kCurrentVersion = 4;

// The SQL of the step that takes the schema from `toVersion - 1` to `toVersion`.
const char *stepSql(int toVersion);

// Runs each missing step in its own transaction, bumping user_version with it, so a crash
// between steps leaves a database at a known version. Refuses a newer version.
StoreResult<int> migrate(Connection &db, int fromVersion);

// Runs steps up to `version` only: tests use it to build fixtures of old versions.
StoreResult<void> migrateTo(Connection &db, int version);

} // namespace parlo::storage::schema
