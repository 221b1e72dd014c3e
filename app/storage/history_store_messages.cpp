// Messages as a tree: adding, streaming, finishing, branching, switching and deleting branches.
#include "history_store.h"
#include "store_internal.h"

namespace parlo::storage {

using detail::fromMs;
using detail::nowMs;

namespace {

struct MessageRef
{
    qint64 conversationId = 0;
    qint64 parentId = 0;
    Role role = Role::User;
};

StoreResult<MessageRef> lookup(Connection &db, qint64 messageId)
{
    auto st = db.cached("SELECT conversation_id, parent_id, role FROM messages WHERE id = ?");
    if (!st)
        return st.error();
    auto row = st->bind(1, messageId).next();
    if (!row)
        return row.error();
    if (!*row)
        return StoreError{ErrorKind::NotFound,
                          QStringLiteral("there is no message with id %1").arg(messageId)};
    return MessageRef{st->int64(0), st->isNull(1) ? 0 : st->int64(1),
                      roleFromName(st->text(2)).value_or(Role::User)};
}

} // namespace

StoreResult<void> HistoryStore::setActive(qint64 conversationId, qint64 parentId, qint64 childId)
{
    auto st = parentId > 0 ? m_db.cached("UPDATE messages SET active_child_id = ?1 WHERE id = ?2")
                           : m_db.cached("UPDATE conversations SET active_root_id = ?1 WHERE id = ?2");
    if (!st)
        return st.error();
    return st->bindId(1, childId).bind(2, parentId > 0 ? parentId : conversationId).run();
}

StoreResult<void> HistoryStore::writeGeneration(qint64 messageId, const GenerationInfo &info)
{
    auto st = m_db.cached(
        "INSERT OR REPLACE INTO generations(message_id, model_file, model_sha256, quantization, device, "
        "sampler_json, seed, prompt_tokens, generated_tokens, ttft_ms, prefill_tps, decode_tps, "
        "finish_reason, "
        "error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, messageId)
        .bind(2, info.modelFile)
        .bind(3, info.modelSha256)
        .bind(4, info.quantization)
        .bind(5, info.device)
        .bind(6, detail::jsonText(info.sampler))
        .bindOptional(7, info.seed)
        .bindOptional(8, info.promptTokens)
        .bindOptional(9, info.generatedTokens)
        .bindOptional(10, info.timeToFirstTokenMs)
        .bindOptional(11, info.prefillTokensPerSecond)
        .bindOptional(12, info.decodeTokensPerSecond)
        .bind(14, info.errorMessage);
    if (info.finishReason == FinishReason::None)
        st->bindNull(13);
    else
        st->bind(13, finishReasonName(info.finishReason));
    return st->run();
}

StoreResult<Message> HistoryStore::insertMessage(qint64 conversationId, qint64 parentId, Role role,
                                                 const QString &content, MessageState state,
                                                 const GenerationInfo *info)
{
    Transaction tx(m_db);
    STORE_TRY(tx.begin());
    if (parentId > 0) {
        auto parent = lookup(m_db, parentId);
        if (!parent)
            return parent.error();
        if (parent->conversationId != conversationId)
            return StoreError{ErrorKind::InvalidInput,
                              QStringLiteral("message %1 belongs to another conversation").arg(parentId)};
    }
    const qint64 now = nowMs();
    auto st =
        m_db.cached("INSERT INTO messages(conversation_id, parent_id, role, content, created_at, state, writer) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, conversationId)
                        .bindId(2, parentId)
                        .bind(3, roleName(role))
                        .bind(4, content)
                        .bind(5, now)
                        .bind(6, state == MessageState::Streaming ? "streaming" : "done");
    // Only an answer being written needs its writer: recovery tests that writer's token.
    if (state == MessageState::Streaming && !writerId().isEmpty())
        st->bind(7, writerId());
    else
        st->bindNull(7);
    auto inserted = st->run();
    if (!inserted && inserted.error().kind == ErrorKind::InvalidInput)
        return notFound("conversation", conversationId);
    STORE_TRY(inserted);

    Message m;
    m.id = m_db.lastInsertId();
    m.conversationId = conversationId;
    m.parentId = parentId;
    m.role = role;
    m.content = content;
    m.createdAt = fromMs(now);
    m.state = state;
    if (info) {
        STORE_TRY(writeGeneration(m.id, *info));
        m.generation = *info;
    }
    STORE_TRY(setActive(conversationId, parentId, m.id));
    if (role == Role::User) {
        auto title = m_db.cached(
            "UPDATE conversations SET title = ? WHERE id = ? AND title_is_auto = 1 AND title = ''");
        if (!title)
            return title.error();
        STORE_TRY(title->bind(1, autoTitle(content)).bind(2, conversationId).run());
    }
    STORE_TRY(touchConversation(conversationId));
    STORE_TRY(tx.commit());
    return m;
}

StoreResult<Message> HistoryStore::addMessage(qint64 conversationId, qint64 parentId, Role role,
                                              const QString &content)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("saving the message"), [&] {
        return insertMessage(conversationId, parentId, role, content, MessageState::Done, nullptr);
    });
}

StoreResult<Message> HistoryStore::beginAssistantMessage(qint64 conversationId, qint64 parentId,
                                                         const GenerationInfo &info)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("saving the answer"), [&] {
        return insertMessage(conversationId, parentId, Role::Assistant, QString(), MessageState::Streaming,
                             &info);
    });
}

StoreResult<void> HistoryStore::updateStreamingContent(qint64 messageId, const QString &content)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("saving the answer"), [&]() -> StoreResult<void> {
        auto st = m_db.cached("UPDATE messages SET content = ? WHERE id = ? AND state = 'streaming'");
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, content).bind(2, messageId).run());
        if (m_db.changes() == 1)
            return {};
        return StoreError{ErrorKind::NotFound,
                          QStringLiteral("there is no message %1 being written").arg(messageId)};
    });
}

StoreResult<void> HistoryStore::finishMessage(qint64 messageId, const QString &content,
                                              const GenerationInfo &info)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("saving the answer"), [&]() -> StoreResult<void> {
        Transaction tx(m_db);
        STORE_TRY(tx.begin());
        auto ref = lookup(m_db, messageId);
        if (!ref)
            return ref.error();
        auto st = m_db.cached("UPDATE messages SET content = ?, state = 'done' WHERE id = ?");
        if (!st)
            return st.error();
        STORE_TRY(st->bind(1, content).bind(2, messageId).run());
        STORE_TRY(writeGeneration(messageId, info));
        STORE_TRY(touchConversation(ref->conversationId));
        return tx.commit();
    });
}

StoreResult<Message> HistoryStore::branchFrom(qint64 messageId, const QString &content)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("saving the edited message"),
                           [&]() -> StoreResult<Message> {
                               auto ref = lookup(m_db, messageId);
                               if (!ref)
                                   return ref.error();
                               return insertMessage(ref->conversationId, ref->parentId, ref->role, content,
                                                    MessageState::Done, nullptr);
                           });
}

StoreResult<void> HistoryStore::switchToBranch(qint64 messageId)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("switching branches"), [&]() -> StoreResult<void> {
        auto ref = lookup(m_db, messageId);
        if (!ref)
            return ref.error();
        return setActive(ref->conversationId, ref->parentId, messageId);
    });
}

StoreResult<void> HistoryStore::deleteMessageSubtree(qint64 messageId)
{
    return detail::guarded(m_path, m_markDamage, QStringLiteral("deleting the message"), [&]() -> StoreResult<void> {
        Transaction tx(m_db);
        STORE_TRY(tx.begin());
        auto ref = lookup(m_db, messageId);
        if (!ref)
            return ref.error();
        // One statement: the parent_id foreign key is checked once, at its end.
        auto del = m_db.prepare("WITH RECURSIVE subtree(id) AS (SELECT ?1 UNION ALL "
                                "SELECT m.id FROM messages m JOIN subtree s ON m.parent_id = s.id) "
                                "DELETE FROM messages WHERE id IN subtree");
        if (!del)
            return del.error();
        STORE_TRY(del->bind(1, messageId).run());
        // Show the newest remaining sibling where the deleted branch was on screen.
        auto fix =
            ref->parentId > 0
                ? m_db.prepare("UPDATE messages SET active_child_id = (SELECT max(id) FROM messages WHERE "
                               "parent_id = ?1) "
                               "WHERE id = ?1 AND active_child_id = ?2")
                : m_db.prepare(
                      "UPDATE conversations SET active_root_id = (SELECT max(id) FROM messages WHERE "
                      "conversation_id = ?1 AND parent_id IS NULL) WHERE id = ?1 AND active_root_id = ?2");
        if (!fix)
            return fix.error();
        STORE_TRY(
            fix->bind(1, ref->parentId > 0 ? ref->parentId : ref->conversationId).bind(2, messageId).run());
        STORE_TRY(touchConversation(ref->conversationId));
        return tx.commit();
    });
}

StoreResult<QList<Message>> HistoryStore::messagesOf(qint64 conversationId)
{
    auto st = m_db.cached(
        "SELECT m.id, m.parent_id, m.active_child_id, m.role, m.content, m.created_at, m.state, "
        "g.message_id, "
        "g.model_file, g.model_sha256, g.quantization, g.device, g.sampler_json, g.seed, g.prompt_tokens, "
        "g.generated_tokens, g.ttft_ms, g.prefill_tps, g.decode_tps, g.finish_reason, g.error_message "
        "FROM messages m LEFT JOIN generations g ON g.message_id = m.id WHERE m.conversation_id = ? ORDER BY "
        "m.id");
    if (!st)
        return st.error();
    st->bind(1, conversationId);
    QList<Message> out;
    for (;;) {
        auto row = st->next();
        if (!row)
            return row.error();
        if (!*row)
            break;
        Message &m = out.emplace_back();
        m.id = st->int64(0);
        m.conversationId = conversationId;
        m.parentId = st->isNull(1) ? 0 : st->int64(1);
        m.activeChildId = st->isNull(2) ? 0 : st->int64(2);
        m.role = roleFromName(st->text(3)).value_or(Role::User);
        m.content = st->text(4);
        m.createdAt = fromMs(st->int64(5));
        m.state = st->text(6) == u"streaming" ? MessageState::Streaming : MessageState::Done;
        if (!st->isNull(7)) {
            GenerationInfo g;
            g.modelFile = st->text(8);
            g.modelSha256 = st->text(9);
            g.quantization = st->text(10);
            g.device = st->text(11);
            g.sampler = detail::jsonObject(st->text(12));
            g.seed = st->optionalInt64(13);
            g.promptTokens = st->optionalInt64(14);
            g.generatedTokens = st->optionalInt64(15);
            g.timeToFirstTokenMs = st->optionalReal(16);
            g.prefillTokensPerSecond = st->optionalReal(17);
            g.decodeTokensPerSecond = st->optionalReal(18);
            g.finishReason = finishReasonFromName(st->text(19)).value_or(FinishReason::None);
            g.errorMessage = st->text(20);
            m.generation = std::move(g);
        }
    }
    return out;
}

} // namespace parlo::storage
