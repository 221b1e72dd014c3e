// Helpers shared by the history_store_*.cpp files; not part of the public API.
#pragma once

#include "history_types.h"
#include "store_error.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace parlo::storage::detail {

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
inline QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}
inline qint64 toMs(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : nowMs();
}

inline QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

inline QJsonObject jsonObject(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    return doc.isObject() ? doc.object() : QJsonObject();
}

// Beside a database that showed damage while in use: the next open checks every page.
inline QString needsCheckMarker(const QString &path)
{
    return path + QStringLiteral(".needs-check");
}

// Rewrites a low-level error as a sentence about `action` ("saving the message") for `path`.
// With `markDamage`, damage leaves needsCheckMarker(path) for the next open.
StoreError describe(const StoreError &error, const QString &path, const QString &action, bool markDamage = true);

// Runs `body` and, on failure, describes its error for the user.
template <typename F>
auto guarded(const QString &path, bool markDamage, const QString &action, F &&body) -> decltype(body())
{
    auto result = body();
    if (!result.ok())
        return describe(result.error(), path, action, markDamage);
    return result;
}

} // namespace parlo::storage::detail
