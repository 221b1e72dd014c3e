// Everything the window needs, wired together: settings, conversation store, chat worker,
// controllers. main.cpp and the GUI test build the app the same way through this class.
#pragma once

#include "chat/chat_service.h"
#include "chat/conversation_repository.h"
#include "controllers/app_settings.h"
#include "controllers/chat_controller.h"
#include "controllers/model_controller.h"

#include <QVariantMap>

class QQmlApplicationEngine;

#include <memory>

namespace parlo::ui {

struct AppOptions
{
    // Use the canned-answer engine (tests, screenshots, --demo); otherwise the real engine.
    bool fakeEngine = false;
    // Forces the real engine's device (cpu, vulkan[:N]); empty: the device setting.
    QString device;
    int fakePieceDelayMs = 15;
    QSettings *settings = nullptr; // defaults to the user's settings
    // The history database; empty: SqliteConversationRepository::defaultPath(). The mock engine
    // keeps its conversations in memory unless a path is given.
    QString historyPath;
};

class AppContext
{
public:
    explicit AppContext(const AppOptions &options);
    ~AppContext();

    // For QQmlApplicationEngine::setInitialProperties: Main.qml's required properties.
    QVariantMap initialProperties();
    // Readies an engine for Main.qml: a network manager that never leaves the machine
    // (OfflineNetworkFactory), then Main.qml's required properties. main.cpp and the GUI tests
    // call this for every engine they create.
    void prepareEngine(QQmlApplicationEngine &engine);

    AppSettings *settings() { return m_settings.get(); }
    ModelController *models() { return m_models.get(); }
    ChatController *chat() { return m_chat.get(); }
    app::ConversationRepository *repository() { return m_repository.get(); }
    // The one door to the network ("Allow network access"); downloads and remote engines use it.
    app::NetworkAccess *network() { return m_settings->network(); }

    // AppOptions from the environment: PARLO_FAKE_ENGINE (1: the mock engine), PARLO_FAKE_DELAY_MS,
    // PARLO_DEVICE.
    static AppOptions optionsFromEnvironment();

private:
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<app::ConversationRepository> m_repository;
    std::unique_ptr<app::ChatService> m_service;
    std::unique_ptr<ModelController> m_models;
    std::unique_ptr<ChatController> m_chat;
};

} // namespace parlo::ui
