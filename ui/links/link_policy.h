// Which links from an answer Parlo opens. An answer is untrusted text: one click on a `file:`,
// `smb:` or custom-scheme link could open a local file, mount a share (and send credentials to
// it) or start another program. Only web and mail links are opened, and only after the user has
// seen the whole address, written so that look-alike characters cannot hide where it goes.
#pragma once

#include <QString>
#include <QUrl>

namespace parlo::ui {

struct LinkDecision
{
    bool allowed = false;
    QUrl url;        // what would be opened (valid when allowed)
    QString shown;   // the full address as the user sees it: percent-encoded, host in ASCII
    QString host;    // where it goes (the host, or the mail address), for the question
    QString message; // why it is refused; empty when allowed
};

// Never fails: every input gets a decision.
LinkDecision decideLink(const QString &link);

} // namespace parlo::ui
