// Full-text search: FTS5 over message text and titles, ranked by bm25, with snippets.
#include "history_store.h"
#include "store_internal.h"

#include <QRegularExpression>
#include <algorithm>

namespace parlo::storage {

namespace {

// Turns what the user typed into an FTS5 query that cannot be a syntax error: every word is a
// quoted string (so AND, NEAR, quotes and colons are plain text), all must match, and the
// last one also matches as a prefix while it is still being typed.
QString ftsQuery(const QString &text)
{
    const QStringList words = text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    QStringList terms;
    for (int i = 0; i < words.size(); ++i) {
        QString word = words[i];
        word.remove(QChar(0)); // SQLite strings stop at NUL
        if (word.isEmpty())
            continue;
        QString term =
            QLatin1Char('"') + word.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
        if (i == words.size() - 1 && !text.back().isSpace())
            term += QLatin1Char('*');
        terms.append(term);
    }
    return terms.join(QLatin1Char(' '));
}

// A word in a title says more about a conversation than the same word deep in a message.
constexpr double kTitleBoost = 2.0;

// bm25 costs a lookup per matching row, so a word found in most of 100,000 messages would take
// a second to rank. Ranking stops at the newest kRankWindow matches: below that every match is
// ranked; above it, the best of the most recent ones are shown, which is what a user scanning
// a very common word wants anyway.
constexpr qint64 kRankWindow = 2000;

// The smallest rowid among the newest kRankWindow matches, or 0 when there are fewer.
StoreResult<qint64> rankFloor(Connection &db, const char *sql, const QString &query)
{
    auto st = db.cached(sql);
    if (!st)
        return st.error();
    auto row = st->bind(1, query).bind(2, kRankWindow - 1).next();
    if (!row)
        return row.error();
    return *row ? st->int64(0) : qint64(0);
}

} // namespace

StoreResult<QList<SearchHit>> HistoryStore::search(const QString &text, int limit)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("searching"), [&]() -> StoreResult<QList<SearchHit>> {
        QList<SearchHit> hits;
        const QString query = ftsQuery(text);
        if (query.isEmpty() || limit <= 0)
            return hits;
        // The inner SELECT lets FTS5 sort by rank itself and stop at the limit, so snippets are
        // built only for the rows returned.
        auto messages = m_db.cached("SELECT s.rowid, s.snip, s.rank, m.conversation_id, m.role, c.title FROM "
                                    "(SELECT rowid, snippet(messages_fts, 0, char(2), char(3), '…', 16) AS "
                                    "snip, rank FROM messages_fts "
                                    " WHERE messages_fts MATCH ?1 AND rowid >= ?3 ORDER BY rank LIMIT ?2) s "
                                    "JOIN messages m ON m.id = s.rowid JOIN conversations c ON c.id = "
                                    "m.conversation_id ORDER BY s.rank");
        if (!messages)
            return messages.error();
        auto messageFloor = rankFloor(m_db,
                                      "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1 "
                                      "ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
                                      query);
        if (!messageFloor)
            return messageFloor.error();
        messages->bind(1, query).bind(2, qint64(limit)).bind(3, *messageFloor);
        for (;;) {
            auto row = messages->next();
            if (!row)
                return row.error();
            if (!*row)
                break;
            SearchHit &hit = hits.emplace_back();
            hit.messageId = messages->int64(0);
            hit.snippet = messages->text(1);
            hit.rank = messages->real(2);
            hit.conversationId = messages->int64(3);
            hit.role = roleFromName(messages->text(4)).value_or(Role::User);
            hit.conversationTitle = messages->text(5);
        }

        auto titles =
            m_db.cached("SELECT s.rowid, s.snip, s.rank, c.title FROM "
                        "(SELECT rowid, highlight(conversations_fts, 0, char(2), char(3)) AS snip, "
                        "rank FROM conversations_fts "
                        " WHERE conversations_fts MATCH ?1 AND rowid >= ?3 ORDER BY rank LIMIT ?2) s "
                        "JOIN conversations c ON c.id = s.rowid ORDER BY s.rank");
        if (!titles)
            return titles.error();
        auto titleFloor = rankFloor(m_db,
                                    "SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?1 "
                                    "ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
                                    query);
        if (!titleFloor)
            return titleFloor.error();
        titles->bind(1, query).bind(2, qint64(limit)).bind(3, *titleFloor);
        for (;;) {
            auto row = titles->next();
            if (!row)
                return row.error();
            if (!*row)
                break;
            SearchHit &hit = hits.emplace_back();
            hit.conversationId = titles->int64(0);
            hit.snippet = titles->text(1);
            hit.rank = titles->real(2) * kTitleBoost;
            hit.conversationTitle = titles->text(3);
        }

        std::stable_sort(hits.begin(), hits.end(),
                         [](const SearchHit &a, const SearchHit &b) { return a.rank < b.rank; });
        if (hits.size() > limit)
            hits.resize(limit);
        return hits;
    });
}

} // namespace parlo::storage
