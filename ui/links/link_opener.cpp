#include "links/link_opener.h"

#include "links/link_policy.h"

#include <QDesktopServices>

namespace parlo::ui {

LinkOpener::LinkOpener(QObject *parent) : QObject(parent) {}

QVariantMap LinkOpener::inspect(const QString &link) const
{
    const LinkDecision decision = decideLink(link);
    return {{QStringLiteral("allowed"), decision.allowed},
            {QStringLiteral("shown"), decision.shown},
            {QStringLiteral("host"), decision.host},
            {QStringLiteral("message"), decision.message}};
}

bool LinkOpener::open(const QString &link) const
{
    const LinkDecision decision = decideLink(link);
    return decision.allowed && QDesktopServices::openUrl(decision.url);
}

} // namespace parlo::ui
