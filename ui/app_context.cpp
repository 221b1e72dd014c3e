#include "app_context.h"

#include "chat/fake_engine.h"
#include "chat/memory_conversation_repository.h"

namespace parlo::ui {

AppContext::AppContext(const AppOptions &options)
{
    m_settings = std::make_unique<AppSettings>(options.settings);
    m_repository = std::make_unique<app::MemoryConversationRepository>();
    // Until the real engine is wired in, every build is the mock build.
    const QString engineName = QStringLiteral("Mock engine: canned answers, no model inference");
    m_service = std::make_unique<app::ChatService>(
        std::make_unique<app::FakeEngine>(std::chrono::milliseconds(options.fakePieceDelayMs)));
    m_models = std::make_unique<ModelController>(m_settings.get(), m_service.get(), engineName);
    m_chat = std::make_unique<ChatController>(m_repository.get(), m_service.get(), m_models.get(), m_settings.get());
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

AppOptions AppContext::optionsFromEnvironment()
{
    AppOptions options;
    options.fakeEngine = qEnvironmentVariable("PARLO_FAKE_ENGINE", QStringLiteral("1")) != u"0";
    bool ok = false;
    const int delay = qEnvironmentVariableIntValue("PARLO_FAKE_DELAY_MS", &ok);
    if (ok && delay >= 0)
        options.fakePieceDelayMs = delay;
    return options;
}

} // namespace parlo::ui
