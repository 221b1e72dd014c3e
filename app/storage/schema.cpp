#include "schema.h"

namespace parlo::storage::schema {
namespace {

// Times are milliseconds since the epoch, UTC. Booleans are 0/1 integers.
constexpr const char *kStep1 = R"sql(
CREATE TABLE folders(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE conversations(
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    title_is_auto INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    folder_id INTEGER REFERENCES folders(id) ON DELETE SET NULL,
    system_prompt TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    sampling_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX conversations_by_list_order ON conversations(pinned DESC, updated_at DESC, id DESC);
CREATE INDEX conversations_by_folder ON conversations(folder_id);
-- parent_id has no ON DELETE action: a subtree is deleted in one statement, and immediate
-- foreign keys are checked at its end, so deep threads never hit the trigger depth limit.
CREATE TABLE messages(
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES messages(id),
    role TEXT NOT NULL CHECK(role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL DEFAULT '',
    model TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE INDEX messages_by_parent ON messages(parent_id);
)sql";

// Version 1 kept only a model name per message. Version 2 moves it into a generation row and
// remembers which branch is shown; until now the newest child was, so that is the default.
constexpr const char *kStep2 = R"sql(
ALTER TABLE messages ADD COLUMN state TEXT NOT NULL DEFAULT 'done' CHECK(state IN ('streaming', 'done'));
ALTER TABLE messages ADD COLUMN active_child_id INTEGER;
ALTER TABLE conversations ADD COLUMN active_root_id INTEGER;
CREATE TABLE generations(
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    model_file TEXT NOT NULL DEFAULT '',
    model_sha256 TEXT NOT NULL DEFAULT '',
    quantization TEXT NOT NULL DEFAULT '',
    device TEXT NOT NULL DEFAULT '',
    sampler_json TEXT NOT NULL DEFAULT '{}',
    seed INTEGER,
    prompt_tokens INTEGER,
    generated_tokens INTEGER,
    ttft_ms REAL,
    prefill_tps REAL,
    decode_tps REAL,
    finish_reason TEXT CHECK(finish_reason IS NULL OR
        finish_reason IN ('stop', 'length', 'user', 'error', 'interrupted')),
    error_message TEXT NOT NULL DEFAULT ''
);
INSERT INTO generations(message_id, model_file)
    SELECT id, model FROM messages WHERE role = 'assistant' AND model IS NOT NULL;
ALTER TABLE messages DROP COLUMN model;
CREATE INDEX messages_streaming ON messages(state) WHERE state = 'streaming';
UPDATE messages SET active_child_id = (SELECT max(c.id) FROM messages c WHERE c.parent_id = messages.id);
UPDATE conversations SET active_root_id =
    (SELECT max(m.id) FROM messages m WHERE m.conversation_id = conversations.id AND m.parent_id IS NULL);
)sql";

// External-content FTS5 tables: the text lives once, in messages and conversations. Prefix
// indexes for 2 and 3 characters keep search-as-you-type fast (a 3-letter prefix over 100,000
// messages: ~150 ms without, a few ms with).
constexpr const char *kStep3 = R"sql(
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2',
    prefix='2 3');
CREATE VIRTUAL TABLE conversations_fts USING fts5(
    title, content='conversations', content_rowid='id', tokenize='unicode61 remove_diacritics 2',
    prefix='2 3');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);
END;
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
INSERT INTO conversations_fts(conversations_fts) VALUES ('rebuild');
)sql";

// Version 4: an answer being written names its writer's token (see writer_token.h), so crash
// recovery ends only answers whose writer is gone. Older rows have none: their writer, a Parlo
// from before tokens, is taken for gone.
constexpr const char *kStep4 = R"sql(
ALTER TABLE messages ADD COLUMN writer TEXT;
)sql";

StoreResult<void> runStep(Connection &db, int toVersion)
{
    Transaction tx(db);
    STORE_TRY(tx.begin());
    // Another process may have migrated while we waited for the write lock.
    auto version = db.queryInt("PRAGMA user_version");
    if (!version)
        return version.error();
    if (*version >= toVersion)
        return {};
    if (auto r = db.exec(stepSql(toVersion)); !r)
        return r.error().withContext(QStringLiteral("upgrading the history to version %1").arg(toVersion));
    STORE_TRY(db.exec(QStringLiteral("PRAGMA user_version = %1").arg(toVersion)));
    return tx.commit();
}

} // namespace

const char *stepSql(int toVersion)
{
    switch (toVersion) {
    case 1:
        return kStep1;
    case 2:
        return kStep2;
    case 3:
        return kStep3;
    case 4:
        return kStep4;
    default:
        return "";
    }
}

StoreResult<void> migrateTo(Connection &db, int version)
{
    auto current = db.queryInt("PRAGMA user_version");
    if (!current)
        return current.error();
    for (int step = int(*current) + 1; step <= version && step <= kCurrentVersion; ++step)
        STORE_TRY(runStep(db, step));
    return {};
}

StoreResult<int> migrate(Connection &db, int fromVersion)
{
    if (fromVersion > kCurrentVersion)
        return StoreError{ErrorKind::TooNew,
                          QStringLiteral("schema version %1 is newer than this Parlo knows (%2)")
                              .arg(fromVersion)
                              .arg(kCurrentVersion)};
    STORE_TRY(migrateTo(db, kCurrentVersion));
    return kCurrentVersion;
}

} // namespace parlo::storage::schema
