// Every QML engine of the app gets its network managers from here (AppContext::prepareEngine):
// LocalOnlyNetworkManager, which serves `qrc:`, `data:` and the app's own files and refuses the
// rest, so no Image, TextEdit resource (a Markdown image, `<img>`, CSS `url()`, `<link>`) or
// XMLHttpRequest in the window can reach the network, whatever an answer contains.
#pragma once

#include <QQmlNetworkAccessManagerFactory>
#include <QStringList>

class QQmlEngine;

namespace parlo::ui {

class OfflineNetworkFactory : public QQmlNetworkAccessManagerFactory
{
public:
    // Called from the engine's loader threads too: it only reads m_fileRoots.
    QNetworkAccessManager *create(QObject *parent) override;

    // Installs the one shared factory on `engine` (before anything is loaded into it).
    static void install(QQmlEngine &engine);

private:
    explicit OfflineNetworkFactory(QStringList fileRoots);
    QStringList m_fileRoots;
};

} // namespace parlo::ui
