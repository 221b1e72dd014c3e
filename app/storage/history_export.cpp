#include "history_export.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <cmath>

namespace parlo::storage {

namespace {

constexpr qint64 kMaxExactJsonInteger = qint64(1) << 53; // beyond it, a JSON number loses digits

QString isoTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue int64Value(qint64 value)
{
    if (value > -kMaxExactJsonInteger && value < kMaxExactJsonInteger)
        return QJsonValue(double(value));
    return QJsonValue(QString::number(value));
}

QJsonObject generationJson(const GenerationInfo &g)
{
    QJsonObject o;
    o["modelFile"] = g.modelFile;
    o["modelSha256"] = g.modelSha256;
    o["quantization"] = g.quantization;
    o["device"] = g.device;
    o["sampler"] = g.sampler;
    if (g.seed)
        o["seed"] = int64Value(*g.seed);
    if (g.promptTokens)
        o["promptTokens"] = int64Value(*g.promptTokens);
    if (g.generatedTokens)
        o["generatedTokens"] = int64Value(*g.generatedTokens);
    if (g.timeToFirstTokenMs)
        o["timeToFirstTokenMs"] = *g.timeToFirstTokenMs;
    if (g.prefillTokensPerSecond)
        o["prefillTokensPerSecond"] = *g.prefillTokensPerSecond;
    if (g.decodeTokensPerSecond)
        o["decodeTokensPerSecond"] = *g.decodeTokensPerSecond;
    o["finishReason"] = finishReasonName(g.finishReason);
    if (!g.errorMessage.isEmpty())
        o["errorMessage"] = g.errorMessage;
    return o;
}

QJsonObject conversationJson(const Conversation &c)
{
    // Database ids mean nothing elsewhere: number messages by position instead.
    QHash<qint64, qint64> position;
    for (qsizetype i = 0; i < c.messages.size(); ++i)
        position.insert(c.messages[i].id, i + 1);

    QJsonArray messages;
    for (const Message &m : c.messages) {
        QJsonObject o;
        o["id"] = double(position.value(m.id));
        o["parent"] = double(position.value(m.parentId, 0));
        o["activeChild"] = double(position.value(m.activeChildId, 0));
        o["role"] = roleName(m.role);
        o["content"] = m.content;
        o["createdAt"] = isoTime(m.createdAt);
        if (m.generation)
            o["generation"] = generationJson(*m.generation);
        messages.append(o);
    }
    QJsonObject o;
    o["uuid"] = c.uuid;
    o["title"] = c.title;
    o["titleIsAuto"] = c.titleIsAuto;
    o["createdAt"] = isoTime(c.createdAt);
    o["updatedAt"] = isoTime(c.updatedAt);
    o["pinned"] = c.pinned;
    o["folder"] = c.folderName;
    o["systemPrompt"] = c.systemPrompt;
    o["model"] = c.model;
    o["sampling"] = c.sampling;
    o["activeRoot"] = double(position.value(c.activeRootId, 0));
    o["messages"] = messages;
    return o;
}

// Reading: every field is checked, since an import file may come from anywhere.
class Reader
{
public:
    explicit Reader(QString where) : m_where(std::move(where)) {}

    bool failed() const { return !m_error.isEmpty(); }
    const QString &error() const { return m_error; }

    QString string(const QJsonObject &o, const char *key, bool required = true)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString())
            return v.toString();
        if (required || !v.isUndefined())
            fail(key, "a string");
        return {};
    }

    bool boolean(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isBool())
            fail(key, "true or false");
        return v.toBool();
    }

    std::optional<qint64> integer(const QJsonObject &o, const char *key, bool required = true)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() && !required)
            return std::nullopt;
        if (v.isDouble()) {
            const double d = v.toDouble();
            if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < double(kMaxExactJsonInteger))
                return qint64(d);
        } else if (v.isString()) {
            bool ok = false;
            const qint64 n = v.toString().toLongLong(&ok);
            if (ok)
                return n;
        }
        fail(key, "a whole number");
        return std::nullopt;
    }

    std::optional<double> number(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            fail(key, "a number");
            return std::nullopt;
        }
        return v.toDouble();
    }

    QJsonObject object(const QJsonObject &o, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isObject())
            fail(key, "an object");
        return v.toObject();
    }

    QDateTime time(const QJsonObject &o, const char *key)
    {
        const QDateTime t = QDateTime::fromString(string(o, key), Qt::ISODateWithMs);
        if (!t.isValid() && !failed())
            fail(key, "a date and time (ISO 8601)");
        return t.toUTC();
    }

    void fail(const char *key, const char *expected)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: \"%2\" should be %3")
                          .arg(m_where, QLatin1String(key), QLatin1String(expected));
    }
    void failWith(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = m_where + QStringLiteral(": ") + message;
    }

private:
    QString m_where;
    QString m_error;
};

GenerationInfo readGeneration(Reader &r, const QJsonObject &o)
{
    GenerationInfo g;
    g.modelFile = r.string(o, "modelFile");
    g.modelSha256 = r.string(o, "modelSha256");
    g.quantization = r.string(o, "quantization");
    g.device = r.string(o, "device");
    g.sampler = r.object(o, "sampler");
    g.seed = r.integer(o, "seed", false);
    g.promptTokens = r.integer(o, "promptTokens", false);
    g.generatedTokens = r.integer(o, "generatedTokens", false);
    g.timeToFirstTokenMs = r.number(o, "timeToFirstTokenMs");
    g.prefillTokensPerSecond = r.number(o, "prefillTokensPerSecond");
    g.decodeTokensPerSecond = r.number(o, "decodeTokensPerSecond");
    const auto reason = finishReasonFromName(r.string(o, "finishReason"));
    if (!reason)
        r.fail("finishReason", "one of stop, length, user, error, interrupted or empty");
    g.finishReason = reason.value_or(FinishReason::None);
    g.errorMessage = r.string(o, "errorMessage", false);
    return g;
}

StoreResult<Conversation> readConversation(const QJsonObject &o, int index)
{
    Reader r(QStringLiteral("conversation %1").arg(index + 1));
    Conversation c;
    c.uuid = r.string(o, "uuid");
    if (!r.failed() && c.uuid.trimmed().isEmpty())
        r.failWith(QStringLiteral("\"uuid\" is empty"));
    c.title = r.string(o, "title");
    c.titleIsAuto = r.boolean(o, "titleIsAuto");
    c.createdAt = r.time(o, "createdAt");
    c.updatedAt = r.time(o, "updatedAt");
    c.pinned = r.boolean(o, "pinned");
    c.folderName = r.string(o, "folder");
    c.systemPrompt = r.string(o, "systemPrompt");
    c.model = r.string(o, "model");
    c.sampling = r.object(o, "sampling");
    c.activeRootId = r.integer(o, "activeRoot").value_or(0);
    const QJsonValue list = o.value(QLatin1String("messages"));
    if (!list.isArray())
        r.fail("messages", "a list");
    if (r.failed())
        return StoreError{ErrorKind::InvalidInput, r.error()};

    QHash<qint64, Role> seen; // position → role; parents must come before children
    const QJsonArray messages = list.toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        Reader mr(QStringLiteral("conversation %1, message %2").arg(index + 1).arg(i + 1));
        if (!messages[i].isObject())
            return StoreError{
                ErrorKind::InvalidInput,
                mr.error().isEmpty()
                    ? QStringLiteral("conversation %1, message %2 is not an object").arg(index + 1).arg(i + 1)
                    : mr.error()};
        const QJsonObject mo = messages[i].toObject();
        Message m;
        m.id = mr.integer(mo, "id").value_or(0);
        m.parentId = mr.integer(mo, "parent").value_or(0);
        m.activeChildId = mr.integer(mo, "activeChild").value_or(0);
        const auto role = roleFromName(mr.string(mo, "role"));
        if (!role)
            mr.fail("role", "system, user or assistant");
        m.role = role.value_or(Role::User);
        m.content = mr.string(mo, "content");
        m.createdAt = mr.time(mo, "createdAt");
        if (mo.contains(QLatin1String("generation")))
            m.generation = readGeneration(mr, mr.object(mo, "generation"));
        if (!mr.failed() && (m.id <= 0 || seen.contains(m.id)))
            mr.failWith(QStringLiteral("\"id\" must be a new positive number"));
        if (!mr.failed() && m.parentId != 0 && !seen.contains(m.parentId))
            mr.failWith(QStringLiteral("\"parent\" %1 is not an earlier message").arg(m.parentId));
        if (mr.failed())
            return StoreError{ErrorKind::InvalidInput, mr.error()};
        seen.insert(m.id, m.role);
        c.messages.append(std::move(m));
    }
    // Remembered branches that point nowhere are dropped (the newest child shows instead).
    for (Message &m : c.messages) {
        if (m.activeChildId != 0) {
            const Message *child = c.message(m.activeChildId);
            if (!child || child->parentId != m.id)
                m.activeChildId = 0;
        }
    }
    if (c.activeRootId != 0) {
        const Message *root = c.message(c.activeRootId);
        if (!root || root->parentId != 0)
            c.activeRootId = 0;
    }
    c.messageCount = c.messages.size();
    return c;
}

QString humanTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString generationLine(const GenerationInfo &g)
{
    QStringList parts;
    if (!g.modelFile.isEmpty())
        parts << (g.quantization.isEmpty() ? g.modelFile
                                           : QStringLiteral("%1 (%2)").arg(g.modelFile, g.quantization));
    if (!g.device.isEmpty())
        parts << g.device;
    if (g.generatedTokens)
        parts << QStringLiteral("%1 tokens").arg(*g.generatedTokens);
    if (g.decodeTokensPerSecond)
        parts << QStringLiteral("%1 tok/s").arg(*g.decodeTokensPerSecond, 0, 'f', 1);
    if (g.seed)
        parts << QStringLiteral("seed %1").arg(*g.seed);
    if (g.finishReason != FinishReason::None && g.finishReason != FinishReason::Stop)
        parts << QStringLiteral("finished: %1").arg(finishReasonName(g.finishReason));
    if (!g.errorMessage.isEmpty())
        parts << g.errorMessage;
    return parts.isEmpty() ? QString()
                           : QStringLiteral("*") + parts.join(QStringLiteral(" · ")) + QStringLiteral("*");
}

QString conversationMarkdown(const Conversation &c)
{
    QString out =
        QStringLiteral("# %1\n\n").arg(c.title.isEmpty() ? QStringLiteral("Untitled conversation") : c.title);
    out +=
        QStringLiteral("- Created: %1\n- Updated: %2\n").arg(humanTime(c.createdAt), humanTime(c.updatedAt));
    if (!c.model.isEmpty())
        out += QStringLiteral("- Model: %1\n").arg(c.model);
    if (!c.folderName.isEmpty())
        out += QStringLiteral("- Folder: %1\n").arg(c.folderName);
    if (c.pinned)
        out += QStringLiteral("- Pinned\n");
    const auto path = c.activePath();
    if (path.size() < c.messages.size())
        out += QStringLiteral("- Branches: only the branch on screen is shown (%1 of %2 messages)\n")
                   .arg(path.size())
                   .arg(c.messages.size());
    if (!c.systemPrompt.isEmpty()) {
        out += QStringLiteral("\n**System prompt**\n\n");
        for (const QString &line : c.systemPrompt.split(QLatin1Char('\n')))
            out += QStringLiteral("> %1\n").arg(line).replace(QStringLiteral("> \n"), QStringLiteral(">\n"));
    }
    for (const Message *m : path) {
        QString who = roleName(m->role);
        who[0] = who[0].toUpper();
        out += QStringLiteral("\n## %1 · %2\n\n%3\n").arg(who, humanTime(m->createdAt), m->content);
        if (m->generation) {
            const QString line = generationLine(*m->generation);
            if (!line.isEmpty())
                out += QLatin1Char('\n') + line + QLatin1Char('\n');
        }
    }
    return out;
}

} // namespace

QByteArray exportJson(const QList<Conversation> &conversations)
{
    QJsonArray list;
    for (const Conversation &c : conversations)
        list.append(conversationJson(c));
    QJsonObject root;
    root["format"] = QLatin1String(kExportFormat);
    root["version"] = kExportVersion;
    root["conversations"] = list;
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString exportMarkdown(const QList<Conversation> &conversations)
{
    QStringList parts;
    for (const Conversation &c : conversations)
        parts.append(conversationMarkdown(c));
    return parts.join(QStringLiteral("\n---\n\n"));
}

StoreResult<QList<Conversation>> parseExportJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return StoreError{ErrorKind::InvalidInput, QStringLiteral("not a JSON file (%1 at byte %2)")
                                                       .arg(parseError.errorString())
                                                       .arg(parseError.offset)};
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(QLatin1String("format")).toString() != QLatin1String(kExportFormat))
        return StoreError{ErrorKind::InvalidInput,
                          QStringLiteral("not a Parlo history export (no \"format\": \"%1\")")
                              .arg(QLatin1String(kExportFormat))};
    const int version = root.value(QLatin1String("version")).toInt(0);
    if (version < 1 || version > kExportVersion)
        return StoreError{ErrorKind::InvalidInput,
                          QStringLiteral("export format version %1 is not supported (this Parlo "
                                         "reads version %2)")
                              .arg(version)
                              .arg(kExportVersion)};
    const QJsonValue list = root.value(QLatin1String("conversations"));
    if (!list.isArray())
        return StoreError{ErrorKind::InvalidInput, QStringLiteral("\"conversations\" should be a list")};
    QList<Conversation> out;
    QSet<QString> uuids;
    const QJsonArray array = list.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isObject())
            return StoreError{ErrorKind::InvalidInput,
                              QStringLiteral("conversation %1 is not an object").arg(i + 1)};
        auto c = readConversation(array[i].toObject(), int(i));
        if (!c)
            return c.error();
        if (uuids.contains(c->uuid))
            return StoreError{ErrorKind::InvalidInput,
                              QStringLiteral("conversation %1 repeats uuid %2").arg(i + 1).arg(c->uuid)};
        uuids.insert(c->uuid);
        out.append(std::move(*c));
    }
    return out;
}

} // namespace parlo::storage
