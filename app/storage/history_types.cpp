#include "history_types.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>

namespace parlo::storage {

QString roleName(Role role)
{
    switch (role) {
    case Role::System:
        return QStringLiteral("system");
    case Role::User:
        return QStringLiteral("user");
    case Role::Assistant:
        return QStringLiteral("assistant");
    }
    return QStringLiteral("user");
}

std::optional<Role> roleFromName(const QString &name)
{
    if (name == u"system")
        return Role::System;
    if (name == u"user")
        return Role::User;
    if (name == u"assistant")
        return Role::Assistant;
    return std::nullopt;
}

QString finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::None:
        return {};
    case FinishReason::Stop:
        return QStringLiteral("stop");
    case FinishReason::Length:
        return QStringLiteral("length");
    case FinishReason::User:
        return QStringLiteral("user");
    case FinishReason::Error:
        return QStringLiteral("error");
    case FinishReason::Interrupted:
        return QStringLiteral("interrupted");
    }
    return {};
}

std::optional<FinishReason> finishReasonFromName(const QString &name)
{
    for (FinishReason r : {FinishReason::None, FinishReason::Stop, FinishReason::Length, FinishReason::User,
                           FinishReason::Error, FinishReason::Interrupted}) {
        if (finishReasonName(r) == name)
            return r;
    }
    return std::nullopt;
}

const Message *Conversation::message(qint64 id) const
{
    for (const Message &m : messages) {
        if (m.id == id)
            return &m;
    }
    return nullptr;
}

Message *Conversation::message(qint64 id)
{
    return const_cast<Message *>(std::as_const(*this).message(id));
}

QList<const Message *> Conversation::children(qint64 parentId) const
{
    QList<const Message *> out;
    for (const Message &m : messages) {
        if (m.parentId == parentId)
            out.append(&m);
    }
    return out;
}

QList<const Message *> Conversation::siblings(qint64 messageId) const
{
    const Message *m = message(messageId);
    return m ? children(m->parentId) : QList<const Message *>{};
}

QList<const Message *> Conversation::activePath() const
{
    // Index children once: conversations can hold thousands of messages.
    QHash<qint64, QList<const Message *>> byParent;
    for (const Message &m : messages)
        byParent[m.parentId].append(&m);

    auto pick = [&](qint64 parentId, qint64 wanted) -> const Message * {
        const auto it = byParent.constFind(parentId);
        if (it == byParent.constEnd() || it->isEmpty())
            return nullptr;
        for (const Message *m : *it) {
            if (m->id == wanted)
                return m;
        }
        return it->last(); // the remembered branch is gone: show the newest
    };

    QList<const Message *> path;
    const Message *current = pick(0, activeRootId);
    while (current && path.size() <= messages.size()) {
        path.append(current);
        current = pick(current->id, current->activeChildId);
    }
    return path;
}

qint64 Conversation::activeLeafId() const
{
    const auto path = activePath();
    return path.isEmpty() ? 0 : path.last()->id;
}

QString SearchHit::snippetWith(const QString &open, const QString &close) const
{
    QString out = snippet;
    out.replace(kMatchStart, open);
    out.replace(kMatchEnd, close);
    return out;
}

QString SearchHit::snippetHtml() const
{
    return snippet.toHtmlEscaped()
        .replace(kMatchStart, QStringLiteral("<b>"))
        .replace(kMatchEnd, QStringLiteral("</b>"));
}

QString autoTitle(const QString &firstUserMessage)
{
    constexpr int kMaxLength = 60;
    // The first non-empty line carries the request; later lines are usually pasted material.
    QString line;
    for (const QString &candidate : firstUserMessage.split(QLatin1Char('\n'))) {
        line = candidate.simplified();
        if (!line.isEmpty())
            break;
    }
    if (line.isEmpty())
        return QStringLiteral("New conversation");
    if (line.size() <= kMaxLength)
        return line;
    qsizetype cut = line.lastIndexOf(QLatin1Char(' '), kMaxLength);
    if (cut < kMaxLength / 2)
        cut = kMaxLength;
    // Never split a surrogate pair.
    if (cut > 0 && line.at(cut - 1).isHighSurrogate())
        --cut;
    return line.left(cut).trimmed() + QStringLiteral("…");
}

} // namespace parlo::storage
