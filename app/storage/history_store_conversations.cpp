// Folders and conversations: create, rename, pin, move, list, open, delete.
#include "history_store.h"
#include "store_internal.h"

#include <QUuid>

namespace parlo::storage {

using detail::fromMs;
using detail::nowMs;

StoreResult<Folder> HistoryStore::createFolder(const QString &name)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("creating the folder"), [&]() -> StoreResult<Folder> {
        const QString trimmed = name.trimmed();
        if (trimmed.isEmpty())
            return StoreError{ErrorKind::InvalidInput, QStringLiteral("a folder needs a name")};
        auto st = m_db.prepare("INSERT INTO folders(name, created_at) VALUES (?, ?)");
        if (!st)
            return st.error();
        const qint64 now = nowMs();
        STORE_TRY(st->bind(1, trimmed).bind(2, now).run());
        return Folder{m_db.lastInsertId(), trimmed, fromMs(now)};
    });
}

StoreResult<void> HistoryStore::renameFolder(qint64 folderId, const QString &name)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("renaming the folder"), [&]() -> StoreResult<void> {
        if (name.trimmed().isEmpty())
            return StoreError{ErrorKind::InvalidInput, QStringLiteral("a folder needs a name")};
        auto st = m_db.prepare("UPDATE folders SET name = ? WHERE id = ?");
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, name.trimmed()).bind(2, folderId).run());
        return m_db.changes() == 1 ? StoreResult<void>() : notFound("folder", folderId);
    });
}

StoreResult<void> HistoryStore::deleteFolder(qint64 folderId)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("deleting the folder"), [&]() -> StoreResult<void> {
        auto st = m_db.prepare("DELETE FROM folders WHERE id = ?"); // conversations: ON DELETE SET NULL
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, folderId).run());
        return m_db.changes() == 1 ? StoreResult<void>() : notFound("folder", folderId);
    });
}

StoreResult<QList<Folder>> HistoryStore::folders()
{
    auto st = m_db.prepare("SELECT id, name, created_at FROM folders ORDER BY name COLLATE NOCASE, id");
    if (!st)
        return st.error();
    QList<Folder> out;
    for (;;) {
        auto row = st->next();
        if (!row)
            return describe(row.error(), QStringLiteral("reading folders"));
        if (!*row)
            break;
        out.append(Folder{st->int64(0), st->text(1), fromMs(st->int64(2))});
    }
    return out;
}

StoreResult<Conversation> HistoryStore::createConversation(const NewConversation &settings)
{
    return detail::guarded(
        m_path, m_markDamage, QStringLiteral("creating the conversation"), [&]() -> StoreResult<Conversation> {
            auto st = m_db.prepare(
                "INSERT INTO conversations(uuid, title, title_is_auto, created_at, updated_at, "
                "folder_id, system_prompt, model, sampling_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            if (!st)
                return st.error();
            const qint64 now = nowMs();
            const QString title = settings.title.trimmed();
            STORE_TRY(st->bind(1, QUuid::createUuid().toString(QUuid::WithoutBraces))
                          .bind(2, title)
                          .bind(3, title.isEmpty())
                          .bind(4, now)
                          .bind(5, now)
                          .bindId(6, settings.folderId)
                          .bind(7, settings.systemPrompt)
                          .bind(8, settings.model)
                          .bind(9, detail::jsonText(settings.sampling))
                          .run());
            return conversation(m_db.lastInsertId());
        });
}

StoreResult<void> HistoryStore::touchConversation(qint64 conversationId)
{
    auto st = m_db.cached("UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?");
    if (!st)
        return st.error();
    return st->bind(1, nowMs()).bind(2, conversationId).run();
}

StoreResult<void> HistoryStore::renameConversation(qint64 conversationId, const QString &title)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("renaming the conversation"), [&]() -> StoreResult<void> {
        const QString trimmed = title.simplified();
        // An empty title hands the name back to auto-titling.
        auto st = m_db.prepare("UPDATE conversations SET title = ?, title_is_auto = ? WHERE id = ?");
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, trimmed).bind(2, trimmed.isEmpty()).bind(3, conversationId).run());
        return m_db.changes() == 1 ? StoreResult<void>() : notFound("conversation", conversationId);
    });
}

StoreResult<void> HistoryStore::setPinned(qint64 conversationId, bool pinned)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("pinning the conversation"), [&]() -> StoreResult<void> {
        auto st = m_db.prepare("UPDATE conversations SET pinned = ? WHERE id = ?");
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, pinned).bind(2, conversationId).run());
        return m_db.changes() == 1 ? StoreResult<void>() : notFound("conversation", conversationId);
    });
}

StoreResult<void> HistoryStore::moveToFolder(qint64 conversationId, qint64 folderId)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("moving the conversation"), [&]() -> StoreResult<void> {
        auto st = m_db.prepare("UPDATE conversations SET folder_id = ? WHERE id = ?");
        if (!st)
            return st.error();
        auto ran = st->bindId(1, folderId).bind(2, conversationId).run();
        if (!ran && ran.error().kind == ErrorKind::InvalidInput)
            return notFound("folder", folderId);
        STORE_TRY(ran);
        return m_db.changes() == 1 ? StoreResult<void>() : notFound("conversation", conversationId);
    });
}

StoreResult<void> HistoryStore::setConversationSettings(qint64 conversationId, const QString &systemPrompt,
                                                        const QString &model, const QJsonObject &sampling)
{
    return detail::guarded(
        m_path, m_markDamage, QStringLiteral("saving the conversation settings"), [&]() -> StoreResult<void> {
            auto st = m_db.prepare(
                "UPDATE conversations SET system_prompt = ?, model = ?, sampling_json = ? WHERE id = ?");
            if (!st)
                return st.error();
            STORE_TRY(st->bind(1, systemPrompt)
                          .bind(2, model)
                          .bind(3, detail::jsonText(sampling))
                          .bind(4, conversationId)
                          .run());
            return m_db.changes() == 1 ? StoreResult<void>() : notFound("conversation", conversationId);
        });
}

StoreResult<void> HistoryStore::deleteConversation(qint64 conversationId)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("deleting the conversation"), [&]() -> StoreResult<void> {
        auto st = m_db.prepare("DELETE FROM conversations WHERE id = ?"); // messages: ON DELETE CASCADE
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, conversationId).run());
        return m_db.changes() == 1 ? StoreResult<void>() : notFound("conversation", conversationId);
    });
}

namespace {

constexpr const char *kSummaryColumns =
    "c.id, c.uuid, c.title, c.title_is_auto, c.created_at, c.updated_at, c.pinned, c.folder_id, c.model, "
    "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)";

void readSummary(const Statement &st, ConversationSummary &s)
{
    s.id = st.int64(0);
    s.uuid = st.text(1);
    s.title = st.text(2);
    s.titleIsAuto = st.int64(3) != 0;
    s.createdAt = fromMs(st.int64(4));
    s.updatedAt = fromMs(st.int64(5));
    s.pinned = st.int64(6) != 0;
    s.folderId = st.isNull(7) ? 0 : st.int64(7);
    s.model = st.text(8);
    s.messageCount = st.int64(9);
}

} // namespace

StoreResult<QList<ConversationSummary>> HistoryStore::listConversations(const ListQuery &query)
{
    QByteArray sql = QByteArray("SELECT ") + kSummaryColumns + " FROM conversations c";
    if (query.folderId)
        sql += *query.folderId > 0 ? " WHERE c.folder_id = ?3" : " WHERE c.folder_id IS NULL";
    sql += " ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC LIMIT ?1 OFFSET ?2";
    auto st = m_db.prepare(sql.constData());
    if (!st)
        return st.error();
    st->bind(1, qint64(query.limit > 0 ? query.limit : -1)).bind(2, qint64(qMax(0, query.offset)));
    if (query.folderId && *query.folderId > 0)
        st->bind(3, *query.folderId);
    QList<ConversationSummary> out;
    for (;;) {
        auto row = st->next();
        if (!row)
            return describe(row.error(), QStringLiteral("listing conversations"));
        if (!*row)
            break;
        readSummary(*st, out.emplace_back());
    }
    return out;
}

StoreResult<qint64> HistoryStore::conversationCount()
{
    return m_db.queryInt("SELECT count(*) FROM conversations");
}

StoreResult<ConversationSummary> HistoryStore::summary(qint64 conversationId)
{
    const QByteArray sql = QByteArray("SELECT ") + kSummaryColumns + " FROM conversations c WHERE c.id = ?";
    auto st = m_db.prepare(sql.constData());
    if (!st)
        return st.error();
    auto row = st->bind(1, conversationId).next();
    if (!row)
        return row.error();
    if (!*row)
        return notFound("conversation", conversationId);
    ConversationSummary s;
    readSummary(*st, s);
    return s;
}

StoreResult<Conversation> HistoryStore::conversation(qint64 conversationId)
{
    return detail::guarded(
        m_path, m_markDamage, QStringLiteral("opening the conversation"), [&]() -> StoreResult<Conversation> {
            auto head = summary(conversationId);
            if (!head)
                return head.error();
            Conversation c;
            static_cast<ConversationSummary &>(c) = *head;
            auto st = m_db.prepare(
                "SELECT c.system_prompt, c.sampling_json, c.active_root_id, f.name FROM conversations c "
                "LEFT JOIN folders f ON f.id = c.folder_id WHERE c.id = ?");
            if (!st)
                return st.error();
            auto row = st->bind(1, conversationId).next();
            if (!row)
                return row.error();
            if (!*row)
                return notFound("conversation", conversationId);
            c.systemPrompt = st->text(0);
            c.sampling = detail::jsonObject(st->text(1));
            c.activeRootId = st->isNull(2) ? 0 : st->int64(2);
            c.folderName = st->text(3);
            auto messages = messagesOf(conversationId);
            if (!messages)
                return messages.error();
            c.messages = std::move(*messages);
            return c;
        });
}

StoreResult<QList<Conversation>> HistoryStore::allConversations()
{
    auto ids = m_db.prepare("SELECT id FROM conversations ORDER BY created_at, id");
    if (!ids)
        return ids.error();
    QList<qint64> idList;
    for (;;) {
        auto row = ids->next();
        if (!row)
            return describe(row.error(), QStringLiteral("reading conversations"));
        if (!*row)
            break;
        idList.append(ids->int64(0));
    }
    QList<Conversation> out;
    out.reserve(idList.size());
    for (qint64 id : idList) {
        auto c = conversation(id);
        if (!c)
            return c.error();
        out.append(std::move(*c));
    }
    return out;
}

} // namespace parlo::storage
