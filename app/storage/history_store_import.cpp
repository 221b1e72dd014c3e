// Importing our own JSON export: every conversation in one transaction, ids remapped.
#include "history_store.h"
#include "store_internal.h"

#include <QHash>

namespace parlo::storage {

StoreResult<ImportReport> HistoryStore::importConversations(const QList<Conversation> &conversations)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("importing conversations"),
                           [&]() -> StoreResult<ImportReport> {
                               // All or nothing: a file that fails halfway leaves the history as it was.
                               Transaction tx(m_db);
                               STORE_TRY(tx.begin());
                               ImportReport report;
                               for (const Conversation &c : conversations) {
                                   auto id = importOne(c);
                                   if (!id)
                                       return id.error().withContext(QStringLiteral("\"%1\"").arg(c.title));
                                   if (*id == 0) {
                                       ++report.skipped;
                                   } else {
                                       ++report.imported;
                                       report.conversationIds.append(*id);
                                   }
                               }
                               STORE_TRY(tx.commit());
                               return report;
                           });
}

StoreResult<qint64> HistoryStore::importOne(const Conversation &c)
{
    {
        auto exists = m_db.cached("SELECT id FROM conversations WHERE uuid = ?");
        if (!exists)
            return exists.error();
        auto found = exists->bind(1, c.uuid).next();
        if (!found)
            return found.error();
        if (*found)
            return qint64(0);
    }

    qint64 folderId = 0;
    if (!c.folderName.isEmpty()) {
        auto folder = m_db.cached("SELECT id FROM folders WHERE name = ? ORDER BY id LIMIT 1");
        if (!folder)
            return folder.error();
        auto row = folder->bind(1, c.folderName).next();
        if (!row)
            return row.error();
        if (*row) {
            folderId = folder->int64(0);
        } else {
            auto created = createFolder(c.folderName);
            if (!created)
                return created.error();
            folderId = created->id;
        }
    }

    auto insert =
        m_db.cached("INSERT INTO conversations(uuid, title, title_is_auto, created_at, updated_at, pinned, "
                    "folder_id, system_prompt, model, sampling_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert)
        return insert.error();
    STORE_TRY(insert->bind(1, c.uuid)
                  .bind(2, c.title)
                  .bind(3, c.titleIsAuto)
                  .bind(4, detail::toMs(c.createdAt))
                  .bind(5, detail::toMs(c.updatedAt))
                  .bind(6, c.pinned)
                  .bindId(7, folderId)
                  .bind(8, c.systemPrompt)
                  .bind(9, c.model)
                  .bind(10, detail::jsonText(c.sampling))
                  .run());
    const qint64 conversationId = m_db.lastInsertId();

    QHash<qint64, qint64> newId; // file position → row id
    for (const Message &m : c.messages) {
        auto st =
            m_db.cached("INSERT INTO messages(conversation_id, parent_id, role, content, created_at, state) "
                        "VALUES (?, ?, ?, ?, ?, 'done')");
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, conversationId)
                      .bindId(2, newId.value(m.parentId, 0))
                      .bind(3, roleName(m.role))
                      .bind(4, m.content)
                      .bind(5, detail::toMs(m.createdAt))
                      .run());
        newId.insert(m.id, m_db.lastInsertId());
        if (m.generation) {
            GenerationInfo info = *m.generation;
            // Nobody is writing an answer that arrives in a file: it ended where the file has it.
            if (m.state == MessageState::Streaming)
                info.finishReason = FinishReason::Interrupted;
            STORE_TRY(writeGeneration(newId.value(m.id), info));
        }
    }
    for (const Message &m : c.messages) {
        if (m.activeChildId != 0 && newId.contains(m.activeChildId))
            STORE_TRY(setActive(conversationId, newId.value(m.id), newId.value(m.activeChildId)));
    }
    if (c.activeRootId != 0 && newId.contains(c.activeRootId))
        STORE_TRY(setActive(conversationId, 0, newId.value(c.activeRootId)));
    return conversationId;
}

} // namespace parlo::storage
