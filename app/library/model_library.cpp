#include "library/model_library.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>

namespace parlo::app {

namespace {

QString homePath(const QString &relative) { return QDir::home().filePath(relative); }

// Other apps' folders are the host's. Inside a Flatpak $XDG_CACHE_HOME and $XDG_DATA_HOME point
// into ~/.var/app/<id>, where no other app keeps models (the manifest grants the real home paths).
QString otherAppsXdg(const char *variable)
{
    if (qEnvironmentVariableIsSet("FLATPAK_ID"))
        return qEnvironmentVariable((QByteArray("HOST_") + variable).constData());
    return qEnvironmentVariable(variable);
}

QString huggingFaceHub()
{
    const QString hubCache = qEnvironmentVariable("HF_HUB_CACHE");
    if (!hubCache.isEmpty())
        return hubCache;
    const QString hfHome = qEnvironmentVariable("HF_HOME");
    if (!hfHome.isEmpty())
        return QDir(hfHome).filePath("hub");
    QString cache = otherAppsXdg("XDG_CACHE_HOME");
    if (cache.isEmpty())
        cache = homePath(".cache");
    return QDir(cache).filePath("huggingface/hub");
}

QString genericDataHome()
{
    const QString xdg = qEnvironmentVariable("XDG_DATA_HOME");
    return xdg.isEmpty() ? homePath(".local/share") : xdg;
}

// "model-00002-of-00003.gguf": only the first part of a split model is a model to offer.
bool isLaterSplitPart(const QString &fileName)
{
    static const QRegularExpression split(QStringLiteral("-(\\d{5})-of-\\d{5}\\.gguf$"),
                                          QRegularExpression::CaseInsensitiveOption);
    const auto match = split.match(fileName);
    return match.hasMatch() && match.captured(1) != QLatin1String("00001");
}

} // namespace

QString defaultModelsFolder() { return QDir(genericDataHome()).filePath("parlo/models"); }

QList<ModelFolder> modelFolders(const QStringList &userFolders)
{
    QList<ModelFolder> folders;
    QSet<QString> seen;
    auto add = [&](const QString &path, const QString &source, bool isDefault, bool mustExist) {
        const QString clean = QDir::cleanPath(path);
        if (clean.isEmpty() || seen.contains(clean) || (mustExist && !QFileInfo(clean).isDir()))
            return;
        seen.insert(clean);
        folders.append({clean, source, isDefault});
    };
    add(defaultModelsFolder(), QStringLiteral("Parlo"), true, false);
    for (const QString &folder : userFolders)
        add(folder, QStringLiteral("Added by you"), false, false);
    add(homePath(".cache/lm-studio/models"), QStringLiteral("LM Studio"), false, true);
    add(homePath(".lmstudio/models"), QStringLiteral("LM Studio"), false, true);
    const QString dataHome = otherAppsXdg("XDG_DATA_HOME");
    add(QDir(dataHome.isEmpty() ? homePath(".local/share") : dataHome).filePath("nomic.ai/GPT4All"),
        QStringLiteral("GPT4All"), false, true);
    add(huggingFaceHub(), QStringLiteral("Hugging Face"), false, true);
    return folders;
}

QList<ModelFileInfo> scanModelFolders(const QList<ModelFolder> &folders)
{
    QList<ModelFileInfo> models;
    QSet<QString> seen; // canonical paths: the same blob may be reachable twice
    for (const ModelFolder &folder : folders) {
        if (!QFileInfo(folder.path).isDir())
            continue;
        QDirIterator it(folder.path, {QStringLiteral("*.gguf"), QStringLiteral("*.GGUF")}, QDir::Files,
                        QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
        while (it.hasNext()) {
            const QString path = it.next();
            const QFileInfo info(path);
            if (isLaterSplitPart(info.fileName()))
                continue;
            const QString canonical = info.canonicalFilePath();
            if (canonical.isEmpty() || seen.contains(canonical))
                continue;
            seen.insert(canonical);
            models.append(probeModelFile(path, folder.source));
        }
    }
    std::sort(models.begin(), models.end(), [](const ModelFileInfo &a, const ModelFileInfo &b) {
        const int byName = QString::localeAwareCompare(a.name, b.name);
        return byName != 0 ? byName < 0 : a.path < b.path;
    });
    return models;
}

QString formatParameterCount(quint64 count)
{
    if (count == 0)
        return {};
    struct Unit { double scale; const char *suffix; };
    static const Unit units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
    for (const Unit &unit : units) {
        if (double(count) >= unit.scale) {
            const double value = double(count) / unit.scale;
            return QString::number(value, 'f', value < 10 ? 1 : 0).replace(QStringLiteral(".0"), QString())
                   + QLatin1String(unit.suffix);
        }
    }
    return QString::number(count);
}

QString formatBytes(qint64 bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = double(std::max<qint64>(bytes, 0));
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return QString::number(value, 'f', unit == 0 || value >= 100 ? 0 : 1) + u' ' + QLatin1String(units[unit]);
}

} // namespace parlo::app
