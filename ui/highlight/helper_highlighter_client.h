// CodeHighlighter that talks to parlo-highlighter (see ui/highlighter/main.cpp for the
// protocol). Requests queue while the helper starts; when it dies, it is restarted and the
// requests in flight are sent again once — a text that kills it twice is answered as plain text.
#pragma once

#include "highlight/code_highlighter.h"

#include <QByteArray>
#include <QMap>
#include <QProcess>

namespace parlo::ui {

class HelperHighlighterClient : public CodeHighlighter
{
    Q_OBJECT

public:
    explicit HelperHighlighterClient(QString helperPath, QObject *parent = nullptr);
    ~HelperHighlighterClient() override;

    quint64 highlight(const QString &language, Theme theme, const QString &text) override;
    QString implementationName() const override { return QStringLiteral("parlo-highlighter (KF5)"); }

    // Where the helper is: $PARLO_HIGHLIGHTER, beside the executable, ../libexec/parlo (installed,
    // and the build tree's app/parlo, which finds <build>/libexec/parlo).
    static QString findHelper();
    // For tests.
    QProcess *process() { return m_process; }
    int restartCount() const { return m_restarts; }

private:
    struct Request
    {
        QByteArray frame;
        int attempts = 0;
    };

    void ensureStarted();
    void send(quint64 id, Request &request);
    void onReadyRead();
    void onProcessGone();
    bool parseReply();
    void answerPlain(quint64 id);

    QString m_helperPath;
    QProcess *m_process = nullptr;
    QMap<quint64, Request> m_pending; // sent or waiting, by id
    QByteArray m_buffer;
    quint64 m_nextId = 1;
    int m_restarts = 0;
    bool m_helperMissing = false;
};

} // namespace parlo::ui
