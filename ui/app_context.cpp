#include "app_context.h"

#include "chat/engine_adapter.h"
#include "chat/fake_engine.h"
#include "chat/memory_conversation_repository.h"
#include "chat/sqlite_conversation_repository.h"
#include "network/offline_network_factory.h"

#include <QQmlApplicationEngine>

namespace parlo::ui {

AppContext::AppContext(const AppOptions &options)
{
    m_settings = std::make_unique<AppSettings>(options.settings);
    // Real chats persist; the mock's canned answers (and --demo's seeded chats) stay in memory
    // so they never land in the user's history.
    QStringList notices;
    app::SqliteConversationRepository *store = nullptr;
    if (!options.fakeEngine || !options.historyPath.isEmpty()) {
        auto sqlite = std::make_unique<app::SqliteConversationRepository>();
        const QString path =
            options.historyPath.isEmpty() ? app::SqliteConversationRepository::defaultPath() : options.historyPath;
        if (auto opened = sqlite->open(path)) {
            notices = sqlite->takeNotices();
            store = sqlite.get();
            m_repository = std::move(sqlite);
        } else {
            notices << QStringLiteral("Conversations are not being saved: %1").arg(opened.error().message);
        }
    }
    if (!m_repository)
        m_repository = std::make_unique<app::MemoryConversationRepository>();
    // The status bar names the engine only when it is the mock, so nobody mistakes canned
    // answers for a model's.
    QString engineName;
    std::unique_ptr<app::InferenceEngine> engine;
    if (options.fakeEngine) {
        engineName = QStringLiteral("Mock engine: canned answers, no model inference");
        engine = std::make_unique<app::FakeEngine>(std::chrono::milliseconds(options.fakePieceDelayMs));
    } else {
        engine = std::make_unique<app::EngineAdapter>(options.device.toStdString());
    }
    m_service = std::make_unique<app::ChatService>(std::move(engine));
    m_models = std::make_unique<ModelController>(m_settings.get(), m_service.get(), engineName);
    m_chat = std::make_unique<ChatController>(m_repository.get(), m_service.get(), m_models.get(), m_settings.get());
    if (!notices.isEmpty())
        m_chat->showNotice(notices.join(u' '));
    // Writes run on the store's thread and are not waited for: a failed one is told when it
    // happens (queued to the GUI thread).
    if (store)
        QObject::connect(store->service(), &storage::HistoryService::writeFailed, m_chat.get(),
                         [chat = m_chat.get(), store](const QString &) {
                             if (const QStringList taken = store->takeNotices(); !taken.isEmpty())
                                 chat->showNotice(taken.join(u' '));
                         });
}

AppContext::~AppContext()
{
    // Controllers first: they hold pointers into the service and the store.
    m_chat.reset();
    m_models.reset();
    m_service.reset();
}

QVariantMap AppContext::initialProperties()
{
    return {{QStringLiteral("chat"), QVariant::fromValue(m_chat.get())},
            {QStringLiteral("models"), QVariant::fromValue(m_models.get())},
            {QStringLiteral("settings"), QVariant::fromValue(m_settings.get())}};
}

void AppContext::prepareEngine(QQmlApplicationEngine &engine)
{
    OfflineNetworkFactory::install(engine);
    engine.setInitialProperties(initialProperties());
}

AppOptions AppContext::optionsFromEnvironment()
{
    AppOptions options;
    // Only an explicit 1: "false", "no" or "off" must never swap the real engine for the mock.
    options.fakeEngine = qEnvironmentVariable("PARLO_FAKE_ENGINE") == u"1";
    const QString device = qEnvironmentVariable("PARLO_DEVICE").trimmed();
    if (!device.isEmpty())
        options.device = device;
    bool ok = false;
    const int delay = qEnvironmentVariableIntValue("PARLO_FAKE_DELAY_MS", &ok);
    if (ok && delay >= 0)
        options.fakePieceDelayMs = delay;
    return options;
}

} // namespace parlo::ui
