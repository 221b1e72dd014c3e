// Export to Markdown (for reading) and JSON (for moving history between machines), and the
// JSON import. JSON keeps every branch and all generation metadata; importing it and exporting
// again gives the same bytes.
#pragma once

#include "history_types.h"
#include "store_error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace parlo::storage {

constexpr const char *kExportFormat = "parlo-history";
constexpr int kExportVersion = 1;

// {"format": "parlo-history", "version": 1, "conversations": [...]}. Message ids in the file
// are positions within their conversation (1, 2, …), not database ids.
QByteArray exportJson(const QList<Conversation> &conversations);

// The branch on screen of each conversation, with its generation details.
QString exportMarkdown(const QList<Conversation> &conversations);

// Parses and validates an export. The returned conversations use the file's message positions
// as ids; HistoryStore::importConversations maps them to new rows.
StoreResult<QList<Conversation>> parseExportJson(const QByteArray &json);

} // namespace parlo::storage
