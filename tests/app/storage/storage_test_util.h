// Helpers for the storage tests: fixture databases from SQL, file bytes, sample conversations.
#pragma once

#include "storage/history_store.h"

#include <QByteArray>
#include <QString>

namespace parlo::storage::test {

// Builds a database at `dbPath` by running the fixture `fixtures/<name>` with the raw C API
// (no Parlo code), as an older Parlo would have left it.
bool buildFixture(const QString &name, const QString &dbPath);
// Runs SQL against a database with the raw C API; returns the error text or an empty string.
QString rawExec(const QString &dbPath, const QString &sql);
qint64 rawInt(const QString &dbPath, const QString &sql);

QByteArray fileBytes(const QString &path);

// A conversation: user → two regenerated answers (the second active) → user → streaming answer
// finished with full generation metadata. Returns its id.
qint64 addSampleConversation(HistoryStore &store, const QString &topic);

GenerationInfo sampleGeneration(FinishReason reason = FinishReason::Stop);

} // namespace parlo::storage::test

// QVERIFY for a StoreResult, printing its message.
#define QVERIFY_OK(expr)                                                                                     \
    do {                                                                                                     \
        const auto &store_result_ = (expr);                                                                  \
        QVERIFY2(store_result_.ok(), store_result_.ok() ? "" : qPrintable(store_result_.error().message));   \
    } while (0)
