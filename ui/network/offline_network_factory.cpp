#include "network/offline_network_factory.h"

#include "network/local_only_network_manager.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QQmlEngine>

namespace parlo::ui {

OfflineNetworkFactory::OfflineNetworkFactory(QStringList fileRoots) : m_fileRoots(std::move(fileRoots)) {}

QNetworkAccessManager *OfflineNetworkFactory::create(QObject *parent)
{
    return new app::LocalOnlyNetworkManager(m_fileRoots, parent);
}

void OfflineNetworkFactory::install(QQmlEngine &engine)
{
    // The engine does not own its factory; one for the whole process outlives every engine.
    // Our own files: Qt's QML modules and the app's installed data, nothing the user's
    // answers could point at.
    static OfflineNetworkFactory factory(
        {QLibraryInfo::path(QLibraryInfo::QmlImportsPath),
         QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../share/parlo"))});
    engine.setNetworkAccessManagerFactory(&factory);
}

} // namespace parlo::ui
