// Control characters out of untrusted text before it reaches a terminal. A model name, a
// conversation title or a generated answer may hold escape sequences that set the window title,
// rewrite the screen or, on some terminals, type into the shell; on a terminal they are shown
// as visible escapes ("\x1B", "\u{9B}") instead.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace parlo::cli {

// Escapes, in UTF-8 text fed to it piece by piece: C0 controls but \n and \t (NUL included),
// DEL, C1 controls, the bidirectional overrides and isolates (which reorder what is shown), and
// bytes that are not UTF-8. A character split across two pieces is held until it is whole.
class ControlEscaper
{
public:
    QByteArray filter(QByteArrayView bytes);
    // What is held back, escaped (a truncated character at the very end).
    QByteArray finish();

private:
    QByteArray m_pending;
};

// The whole text at once.
QByteArray escapeControls(QByteArrayView utf8);
QString escapeControls(const QString &text);

// Routes stdout and stderr through a ControlEscaper when each is a terminal, so every
// printf/fwrite of every command is covered. Pipes and files get the bytes unchanged.
void installTerminalEscaping();

} // namespace parlo::cli
