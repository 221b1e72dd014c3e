#include "storage_test_util.h"

#include <QFile>
#include <QJsonObject>
#include <QtTest>
#include <sqlite3.h>

namespace parlo::storage::test {

QString rawExec(const QString &dbPath, const QString &sql)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(dbPath.toUtf8().constData(), &db) != SQLITE_OK) {
        sqlite3_close(db);
        return QStringLiteral("cannot open");
    }
    char *message = nullptr;
    QString error;
    if (sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &message) != SQLITE_OK)
        error = QString::fromUtf8(message ? message : "error");
    sqlite3_free(message);
    sqlite3_close(db);
    return error;
}

qint64 rawInt(const QString &dbPath, const QString &sql)
{
    sqlite3 *db = nullptr;
    qint64 value = -1;
    if (sqlite3_open_v2(dbPath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            value = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return value;
}

bool buildFixture(const QString &name, const QString &dbPath)
{
    QFile file(QStringLiteral(PARLO_STORAGE_FIXTURES "/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning() << "missing fixture" << file.fileName();
        return false;
    }
    const QString error = rawExec(dbPath, QString::fromUtf8(file.readAll()));
    if (!error.isEmpty())
        qWarning() << "fixture" << name << error;
    return error.isEmpty();
}

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

GenerationInfo sampleGeneration(FinishReason reason)
{
    GenerationInfo g;
    g.modelFile = QStringLiteral("stories260K-Q8_0.gguf");
    g.modelSha256 = QStringLiteral("9b1c3f0e2d4a5b6c");
    g.quantization = QStringLiteral("Q8_0");
    g.device = QStringLiteral("Vulkan: llvmpipe (LLVM 15.0.6, 256 bits)");
    g.sampler = QJsonObject{{"temperature", 0.8}, {"top_k", 40}, {"top_p", 0.95}, {"min_p", 0.05}};
    g.seed = 1234567890123LL;
    g.promptTokens = 27;
    g.generatedTokens = 64;
    g.timeToFirstTokenMs = 12.75;
    g.prefillTokensPerSecond = 2150.5;
    g.decodeTokensPerSecond = 187.25;
    g.finishReason = reason;
    return g;
}

qint64 addSampleConversation(HistoryStore &store, const QString &topic)
{
    NewConversation settings;
    settings.systemPrompt = QStringLiteral("You are concise.");
    settings.model = QStringLiteral("stories260K-Q8_0.gguf");
    settings.sampling = QJsonObject{{"temperature", 0.8}, {"seed", 7}};
    auto c = store.createConversation(settings);
    if (!c)
        return 0;
    auto u1 = store.addMessage(c->id, 0, Role::User, QStringLiteral("Tell me about %1.").arg(topic));
    if (!u1)
        return 0;
    auto a1 = store.addMessage(c->id, u1->id, Role::Assistant,
                               QStringLiteral("A first answer about %1.").arg(topic));
    auto a2 = store.beginAssistantMessage(c->id, u1->id, sampleGeneration(FinishReason::None));
    if (!a1 || !a2)
        return 0;
    if (!store.finishMessage(a2->id, QStringLiteral("A better answer about %1.").arg(topic),
                             sampleGeneration()))
        return 0;
    auto u2 = store.addMessage(c->id, a2->id, Role::User, QStringLiteral("More detail, please."));
    if (!u2)
        return 0;
    auto a3 = store.beginAssistantMessage(c->id, u2->id, sampleGeneration(FinishReason::None));
    if (!a3 || !store.updateStreamingContent(a3->id, QStringLiteral("The details")))
        return 0;
    if (!store.finishMessage(a3->id, QStringLiteral("The details of %1 are many.").arg(topic),
                             sampleGeneration(FinishReason::Length)))
        return 0;
    return c->id;
}

} // namespace parlo::storage::test
