#include "highlight/helper_highlighter_client.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcHighlight, "parlo.highlight")

namespace parlo::ui {

namespace {

constexpr int kMaxAttempts = 2;

QByteArray safeLanguage(const QString &language)
{
    // The header is space-separated: keep the label to one printable word.
    QByteArray word = language.trimmed().section(u' ', 0, 0).toUtf8().left(100);
    for (char &c : word)
        if (c <= ' ' || c == 0x7f)
            c = '_';
    return word.isEmpty() ? QByteArray("-") : word;
}

} // namespace

HelperHighlighterClient::HelperHighlighterClient(QString helperPath, QObject *parent)
    : CodeHighlighter(parent), m_helperPath(std::move(helperPath))
{
    qRegisterMetaType<HighlightResult>();
    m_helperMissing = m_helperPath.isEmpty() || !QFileInfo(m_helperPath).isExecutable();
    if (m_helperMissing)
        qCWarning(lcHighlight) << "parlo-highlighter not found; code blocks are shown without colours";
}

HelperHighlighterClient::~HelperHighlighterClient()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(500))
            m_process->kill();
        m_process->waitForFinished(500);
    }
}

QString HelperHighlighterClient::findHelper()
{
    const QString fromEnv = qEnvironmentVariable("PARLO_HIGHLIGHTER");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QDir appDir(QCoreApplication::applicationDirPath());
    const QStringList candidates = {
        appDir.filePath(QStringLiteral("parlo-highlighter")),
        appDir.filePath(QStringLiteral("../libexec/parlo/parlo-highlighter")),
    };
    for (const QString &path : candidates)
        if (QFileInfo(path).isExecutable())
            return QFileInfo(path).absoluteFilePath();
    return {};
}

quint64 HelperHighlighterClient::highlight(const QString &language, Theme theme, const QString &text)
{
    const quint64 id = m_nextId++;
    if (m_helperMissing) {
        answerPlain(id);
        return id;
    }
    const QByteArray body = text.toUtf8();
    Request request;
    request.frame = "HL " + QByteArray::number(id) + (theme == Theme::Dark ? " dark " : " light ")
                    + safeLanguage(language) + ' ' + QByteArray::number(body.size()) + '\n' + body;
    auto it = m_pending.insert(id, request);
    ensureStarted();
    if (m_process && m_process->state() == QProcess::Running)
        send(id, *it);
    return id;
}

void HelperHighlighterClient::ensureStarted()
{
    if (m_process || m_helperMissing)
        return;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &HelperHighlighterClient::onReadyRead);
    connect(m_process, &QProcess::started, this, [this] {
        for (auto it = m_pending.begin(); it != m_pending.end(); ++it)
            send(it.key(), it.value());
    });
    connect(m_process, &QProcess::finished, this, &HelperHighlighterClient::onProcessGone);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            qCWarning(lcHighlight) << "parlo-highlighter failed to start:" << m_process->errorString();
            m_helperMissing = true;
            onProcessGone();
        }
    });
    m_process->start(m_helperPath, {});
}

void HelperHighlighterClient::send(quint64, Request &request)
{
    ++request.attempts;
    m_process->write(request.frame);
}

void HelperHighlighterClient::onReadyRead()
{
    m_buffer += m_process->readAllStandardOutput();
    while (parseReply()) {
    }
}

bool HelperHighlighterClient::parseReply()
{
    const qsizetype headerEnd = m_buffer.indexOf('\n');
    if (headerEnd < 0)
        return false;
    const QList<QByteArray> header = m_buffer.left(headerEnd).split(' ');
    if (header.size() < 6 || header[0] != "OK") {
        qCWarning(lcHighlight) << "parlo-highlighter sent a malformed reply; restarting it";
        m_buffer.clear();
        m_process->kill();
        return false;
    }
    const quint64 id = header[1].toULongLong();
    const int count = header[2].toInt();
    // Wait until every span line has arrived.
    qsizetype end = headerEnd + 1;
    for (int i = 0; i < count; ++i) {
        const qsizetype lineEnd = m_buffer.indexOf('\n', end);
        if (lineEnd < 0)
            return false;
        end = lineEnd + 1;
    }
    HighlightResult result;
    result.background = QColor(QString::fromLatin1(header[3]));
    result.foreground = QColor(QString::fromLatin1(header[4]));
    result.definition = QString::fromUtf8(header.mid(5).join(' '));
    qsizetype pos = headerEnd + 1;
    for (int i = 0; i < count; ++i) {
        const qsizetype lineEnd = m_buffer.indexOf('\n', pos);
        const QList<QByteArray> fields = m_buffer.mid(pos, lineEnd - pos).split(' ');
        pos = lineEnd + 1;
        if (fields.size() != 4)
            continue;
        HighlightSpan span;
        span.offset = fields[0].toInt();
        span.length = fields[1].toInt();
        span.color = QColor(QString::fromLatin1(fields[2]));
        span.bold = fields[3].contains('b');
        span.italic = fields[3].contains('i');
        result.spans.append(span);
    }
    m_buffer.remove(0, end);
    if (m_pending.remove(id))
        emit highlighted(id, result);
    return true;
}

void HelperHighlighterClient::answerPlain(quint64 id)
{
    QMetaObject::invokeMethod(
        this, [this, id] { emit highlighted(id, HighlightResult{{}, {}, {}, QStringLiteral("None")}); },
        Qt::QueuedConnection);
}

void HelperHighlighterClient::onProcessGone()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    m_process->deleteLater();
    m_process = nullptr;
    m_buffer.clear();
    // Whatever was in flight may have killed it: try each such text once more, then give up on it.
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (m_helperMissing || it->attempts >= kMaxAttempts) {
            answerPlain(it.key());
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    if (m_helperMissing)
        return;
    ++m_restarts;
    qCInfo(lcHighlight) << "parlo-highlighter exited; restarting it";
    // Deferred: restarting from inside QProcess's own signal is not re-entrant safe.
    QTimer::singleShot(m_restarts > 5 ? 1000 : 0, this, [this] {
        if (!m_process && !m_pending.isEmpty())
            ensureStarted();
    });
}

} // namespace parlo::ui
