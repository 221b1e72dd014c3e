#include "terminal_text.h"

#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace parlo::cli {

namespace {

bool isContinuation(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

bool isHiddenCodePoint(char32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void appendByteEscape(QByteArray &out, unsigned char b)
{
    static const char hex[] = "0123456789ABCDEF";
    out += "\\x";
    out += hex[b >> 4];
    out += hex[b & 15];
}

} // namespace

QByteArray ControlEscaper::filter(QByteArrayView bytes)
{
    QByteArray data = m_pending + QByteArray(bytes.data(), bytes.size());
    m_pending.clear();
    QByteArray out;
    out.reserve(data.size());
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    const qsizetype n = data.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        if (b < 0x80) {
            if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7F)
                appendByteEscape(out, b);
            else
                out += char(b);
            ++i;
            continue;
        }
        const int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        if (length == 0) { // a stray continuation byte or a lead byte UTF-8 never uses
            appendByteEscape(out, b);
            ++i;
            continue;
        }
        qsizetype have = 1;
        while (have < length && i + have < n && isContinuation(p[i + have]))
            ++have;
        if (have < length && i + have == n) { // cut off by the end of this piece: wait for the rest
            m_pending = data.mid(i);
            break;
        }
        if (have < length) { // broken sequence
            appendByteEscape(out, b);
            ++i;
            continue;
        }
        char32_t cp = b & (0xFF >> (length + 1));
        for (int k = 1; k < length; ++k)
            cp = (cp << 6) | (p[i + k] & 0x3F);
        if (isHiddenCodePoint(cp))
            out += "\\u{" + QByteArray::number(uint(cp), 16).toUpper() + "}";
        else
            out.append(data.constData() + i, length);
        i += length;
    }
    return out;
}

QByteArray ControlEscaper::finish()
{
    QByteArray out;
    for (char c : std::as_const(m_pending))
        appendByteEscape(out, static_cast<unsigned char>(c));
    m_pending.clear();
    return out;
}

QByteArray escapeControls(QByteArrayView utf8)
{
    ControlEscaper escaper;
    return escaper.filter(utf8) + escaper.finish();
}

QString escapeControls(const QString &text)
{
    return QString::fromUtf8(escapeControls(QByteArrayView(text.toUtf8())));
}

namespace {

struct TerminalCookie
{
    int fd;
    ControlEscaper escaper;
};

bool writeAll(int fd, const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

ssize_t cookieWrite(void *cookie, const char *buffer, size_t size)
{
    auto *c = static_cast<TerminalCookie *>(cookie);
    return writeAll(c->fd, c->escaper.filter(QByteArrayView(buffer, qsizetype(size)))) ? ssize_t(size) : -1;
}

int cookieClose(void *cookie)
{
    auto *c = static_cast<TerminalCookie *>(cookie);
    writeAll(c->fd, c->escaper.finish());
    delete c;
    return 0;
}

FILE *escapingStream(int fd, int bufferMode)
{
    cookie_io_functions_t functions{};
    functions.write = cookieWrite;
    functions.close = cookieClose;
    auto *cookie = new TerminalCookie{fd, {}};
    FILE *stream = ::fopencookie(cookie, "w", functions);
    if (!stream) {
        delete cookie;
        return nullptr;
    }
    std::setvbuf(stream, nullptr, bufferMode, bufferMode == _IONBF ? 0 : BUFSIZ);
    return stream;
}

} // namespace

void installTerminalEscaping()
{
#ifdef __GLIBC__
    if (::isatty(STDOUT_FILENO)) {
        std::fflush(stdout);
        if (FILE *stream = escapingStream(STDOUT_FILENO, _IOLBF))
            stdout = stream;
    }
    if (::isatty(STDERR_FILENO)) {
        std::fflush(stderr);
        if (FILE *stream = escapingStream(STDERR_FILENO, _IONBF))
            stderr = stream;
    }
#endif
}

} // namespace parlo::cli
