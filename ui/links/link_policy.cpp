#include "links/link_policy.h"

#include <QCoreApplication>

namespace parlo::ui {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("LinkPolicy", text); }

} // namespace

LinkDecision decideLink(const QString &link)
{
    LinkDecision decision;
    const QUrl url(link.trimmed(), QUrl::TolerantMode);
    // FullyEncoded turns an internationalised host into its ASCII form and escapes spaces,
    // controls and bidirectional marks, so what is shown is what would be opened.
    decision.shown = url.isValid() ? url.toString(QUrl::FullyEncoded) : link.trimmed();
    if (!url.isValid() || link.trimmed().isEmpty()) {
        decision.message = tr("This link is not a valid address, so Parlo does not open it.");
        return decision;
    }
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http" || scheme == u"https") {
        if (url.host().isEmpty()) {
            decision.message = tr("This web link names no site, so Parlo does not open it.");
            return decision;
        }
        decision.allowed = true;
        decision.url = url;
        decision.host = url.host(QUrl::FullyEncoded);
        return decision;
    }
    if (scheme == u"mailto") {
        if (url.path().isEmpty()) {
            decision.message = tr("This mail link names no address, so Parlo does not open it.");
            return decision;
        }
        decision.allowed = true;
        decision.url = url;
        decision.host = url.path(QUrl::FullyEncoded);
        return decision;
    }
    if (scheme.isEmpty())
        decision.message = tr("Parlo does not open links without a scheme: only web (http, https) and mail (mailto) "
                              "links are opened.");
    else
        decision.message = tr("Parlo does not open “%1:” links: only web (http, https) and mail (mailto) links are "
                              "opened. Copy the address if you trust it.")
                               .arg(scheme);
    return decision;
}

} // namespace parlo::ui
