#include "controllers/app_settings.h"

#include <QDir>
#include <QGuiApplication>
#include <QPalette>
#include <QUrl>

#include <algorithm>

namespace parlo::ui {

AppSettings::AppSettings(QSettings *settings, QObject *parent)
    : QObject(parent), m_settings(settings ? settings : new QSettings(QStringLiteral("parlo"), QStringLiteral("parlo"), this))
{
    m_settings->beginGroup(QStringLiteral("sampling"));
    const app::SamplingSettings d;
    m_sampling.temperature = m_settings->value("temperature", d.temperature).toDouble();
    m_sampling.topK = m_settings->value("topK", d.topK).toInt();
    m_sampling.topP = m_settings->value("topP", d.topP).toDouble();
    m_sampling.minP = m_settings->value("minP", d.minP).toDouble();
    m_sampling.repeatPenalty = m_settings->value("repeatPenalty", d.repeatPenalty).toDouble();
    m_sampling.seed = m_settings->value("seed", qint64(d.seed)).toLongLong();
    m_sampling.maxTokens = m_settings->value("maxTokens", d.maxTokens).toInt();
    m_sampling.contextLength = m_settings->value("contextLength", d.contextLength).toInt();
    m_settings->endGroup();
    m_network = std::make_unique<app::NetworkAccess>(m_settings);
    connect(m_network.get(), &app::NetworkAccess::allowedChanged, this, &AppSettings::networkAllowedChanged);
    applyLinkColor();
}

QString AppSettings::theme() const
{
    const QString t = m_settings->value("theme", "system").toString();
    return (t == u"light" || t == u"dark") ? t : QStringLiteral("system");
}

void AppSettings::setTheme(const QString &theme)
{
    if (theme == this->theme())
        return;
    m_settings->setValue("theme", theme);
    applyLinkColor();
    emit themeChanged();
}

void AppSettings::applyLinkColor()
{
    // Markdown links in TextEdit take their colour from the application palette, not QML's.
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return;
    QPalette palette = QGuiApplication::palette();
    palette.setColor(QPalette::Link, dark() ? QColor(0x7a, 0xa7, 0xff) : QColor(0x2f, 0x6f, 0xec));
    QGuiApplication::setPalette(palette);
}

bool AppSettings::dark() const
{
    const QString t = theme();
    if (t != u"system")
        return t == u"dark";
    // Qt 6.4 has no colour-scheme hint; the platform palette tells light from dark.
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

QString AppSettings::device() const { return m_settings->value("device", "auto").toString(); }

void AppSettings::setDevice(const QString &device)
{
    if (device == this->device())
        return;
    m_settings->setValue("device", device);
    emit deviceChanged();
}

QStringList AppSettings::modelFolders() const { return m_settings->value("modelFolders").toStringList(); }

void AppSettings::setModelFolders(const QStringList &folders)
{
    if (folders == modelFolders())
        return;
    m_settings->setValue("modelFolders", folders);
    emit modelFoldersChanged();
}

void AppSettings::addModelFolder(const QString &folderOrUrl)
{
    const QUrl url(folderOrUrl);
    const QString path = QDir::cleanPath(url.isLocalFile() ? url.toLocalFile() : folderOrUrl);
    if (path.isEmpty())
        return;
    QStringList folders = modelFolders();
    if (!folders.contains(path))
        setModelFolders(folders << path);
}

void AppSettings::removeModelFolder(const QString &folder)
{
    QStringList folders = modelFolders();
    folders.removeAll(folder);
    setModelFolders(folders);
}

#define PARLO_SAMPLING_SETTER(Name, field, type, lo, hi)                                                    \
    void AppSettings::set##Name(type v)                                                                      \
    {                                                                                                        \
        v = std::clamp<type>(v, lo, hi);                                                                     \
        if (m_sampling.field == v)                                                                           \
            return;                                                                                          \
        m_sampling.field = v;                                                                                \
        saveSampling();                                                                                      \
    }

PARLO_SAMPLING_SETTER(Temperature, temperature, double, 0.0, 5.0)
PARLO_SAMPLING_SETTER(TopK, topK, int, 0, 1000)
PARLO_SAMPLING_SETTER(TopP, topP, double, 0.0, 1.0)
PARLO_SAMPLING_SETTER(MinP, minP, double, 0.0, 1.0)
PARLO_SAMPLING_SETTER(RepeatPenalty, repeatPenalty, double, 0.5, 3.0)
PARLO_SAMPLING_SETTER(MaxTokens, maxTokens, int, 1, 1 << 20)
PARLO_SAMPLING_SETTER(ContextLength, contextLength, int, 64, 1 << 20)
#undef PARLO_SAMPLING_SETTER

void AppSettings::setSeed(int v)
{
    if (m_sampling.seed == v)
        return;
    m_sampling.seed = std::max(v, -1);
    saveSampling();
}

void AppSettings::resetSampling()
{
    m_sampling = {};
    saveSampling();
}

void AppSettings::saveSampling()
{
    m_settings->beginGroup(QStringLiteral("sampling"));
    m_settings->setValue("temperature", m_sampling.temperature);
    m_settings->setValue("topK", m_sampling.topK);
    m_settings->setValue("topP", m_sampling.topP);
    m_settings->setValue("minP", m_sampling.minP);
    m_settings->setValue("repeatPenalty", m_sampling.repeatPenalty);
    m_settings->setValue("seed", qint64(m_sampling.seed));
    m_settings->setValue("maxTokens", m_sampling.maxTokens);
    m_settings->setValue("contextLength", m_sampling.contextLength);
    m_settings->endGroup();
    emit samplingChanged();
}

} // namespace parlo::ui
