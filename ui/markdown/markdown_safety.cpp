#include "markdown/markdown_safety.h"

#include <QHash>
#include <QList>
#include <QRegularExpression>

#include <algorithm>

namespace parlo::ui {

namespace {

// The rules follow CommonMark's precedence (code spans and autolinks first, leftmost wins) so
// that what is copied verbatim is exactly what the renderer reads as code or an autolink. Where
// this scanner and the renderer could disagree, it escapes: the worst case is a visible `\`
// inside an indented code block, never a fetched image.
constexpr int kMaxImageNesting = 8;
constexpr qsizetype kMaxDestination = 8192; // longer inline destinations are not read as images
constexpr qsizetype kMaxShownDestination = 300;

using Definitions = QHash<QString, QString>; // normalised label → destination

bool isAsciiPunctuation(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x21 && u <= 0x2f) || (u >= 0x3a && u <= 0x40) || (u >= 0x5b && u <= 0x60) || (u >= 0x7b && u <= 0x7e);
}

QString normaliseLabel(QStringView label) { return label.toString().simplified().toCaseFolded(); }

QString unescapeDestination(QStringView dest)
{
    QString result;
    result.reserve(dest.size());
    for (qsizetype i = 0; i < dest.size(); ++i) {
        if (dest[i] == u'\\' && i + 1 < dest.size() && isAsciiPunctuation(dest[i + 1]))
            ++i;
        result += dest[i];
    }
    return result;
}

// Text shown literally: every Markdown-significant character escaped, line breaks as spaces.
QString literal(QStringView text)
{
    QString result;
    result.reserve(text.size() + 8);
    for (QChar c : text) {
        if (c.unicode() < 0x20 || c == u'\x7f') {
            result += u' ';
            continue;
        }
        if (isAsciiPunctuation(c))
            result += u'\\';
        result += c;
    }
    return result;
}

// A link destination with nothing in it that Markdown or a table could read as syntax.
QString safeHref(QStringView dest)
{
    static const QByteArray keep = QByteArrayLiteral("-._~:/?#@$&'+,;=%");
    QString result;
    for (QChar c : dest) {
        const char16_t u = c.unicode();
        const bool plain = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
                           || (u < 0x80 && keep.contains(char(u)));
        if (plain) {
            result += c;
            continue;
        }
        for (const char byte : QString(c).toUtf8())
            result += QStringLiteral("%%1").arg(int(uchar(byte)), 2, 16, QLatin1Char('0')).toUpper();
    }
    return result;
}

Definitions collectDefinitions(QStringView text)
{
    static const QRegularExpression definition(QStringLiteral("^ {0,3}\\[([^\\]\\n]{1,999})\\]:[ \\t]*(<[^<>\\n]*>|\\S+)"),
                                               QRegularExpression::MultilineOption);
    Definitions definitions;
    auto it = definition.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        QStringView dest = m.capturedView(2);
        if (dest.startsWith(u'<'))
            dest = dest.mid(1, dest.size() - 2);
        const QString label = normaliseLabel(m.capturedView(1));
        if (!definitions.contains(label)) // the first definition wins, as in CommonMark
            definitions.insert(label, unescapeDestination(dest));
    }
    return definitions;
}

bool looksLikeTable(QStringView text)
{
    static const QRegularExpression separator(
        QStringLiteral("^\\s*\\|?\\s*:?-+:?\\s*(?:\\|\\s*:?-+:?\\s*)*\\|?\\s*$"), QRegularExpression::MultilineOption);
    return text.contains(u'|') && separator.match(text).hasMatch();
}

class Neutraliser
{
public:
    Neutraliser(QStringView text, const Definitions &definitions, int nesting, bool insideLink, bool table)
        : m_text(text), m_definitions(definitions), m_nesting(nesting), m_insideLink(insideLink), m_table(table)
    {
        indexBacktickRuns();
        matchBrackets();
    }

    QString run()
    {
        QString out;
        out.reserve(m_text.size() + m_text.size() / 8);
        const qsizetype n = m_text.size();
        qsizetype i = 0;
        while (i < n) {
            const QChar c = m_text[i];
            if (c == u'\\' && i + 1 < n && isAsciiPunctuation(m_text[i + 1])) {
                out += m_text.mid(i, 2);
                i += 2;
            } else if (c == u'`') {
                const qsizetype length = runLength(i);
                const qsizetype close = closingRun(i + length, length);
                if (close >= 0) {
                    out += m_text.mid(i, close + length - i);
                    i = close + length;
                } else {
                    // An unpaired run is escaped, so it cannot pair with a later one in the output.
                    for (qsizetype k = 0; k < length; ++k)
                        out += QStringLiteral("\\`");
                    i += length;
                }
            } else if (c == u'<') {
                if (const qsizetype link = autolinkLength(i)) {
                    out += m_text.mid(i, link);
                    i += link;
                } else if (const qsizetype br = lineBreakLength(i)) {
                    out += QStringLiteral("<br/>");
                    i += br;
                } else {
                    out += QStringLiteral("\\<");
                    ++i;
                }
            } else if (c == u'!' && i + 1 < n && m_text[i + 1] == u'[') {
                if (const qsizetype replaced = image(i, out)) {
                    i += replaced;
                } else {
                    out += QStringLiteral("\\!");
                    ++i;
                }
            } else {
                out += c;
                ++i;
            }
        }
        return out;
    }

private:
    QStringView m_text;
    const Definitions &m_definitions;
    int m_nesting;
    bool m_insideLink;
    bool m_table;
    QHash<qsizetype, QList<qsizetype>> m_runsByLength; // starts of maximal backtick runs
    QHash<qsizetype, qsizetype> m_closeOf;             // '[' index → matching ']' index
    qsizetype m_boundaryFrom = -1, m_boundary = -1;    // cache for nextCellBoundary()
    QHash<char16_t, std::pair<qsizetype, qsizetype>> m_nextCache; // char → (from, found)

    qsizetype runLength(qsizetype i) const
    {
        qsizetype end = i;
        while (end < m_text.size() && m_text[end] == u'`')
            ++end;
        return end - i;
    }

    void indexBacktickRuns()
    {
        for (qsizetype i = 0; i < m_text.size();) {
            if (m_text[i] != u'`') {
                ++i;
                continue;
            }
            const qsizetype length = runLength(i);
            m_runsByLength[length].append(i);
            i += length;
        }
    }

    // First occurrence of `c` at or after `from`; `from` only grows within one scan, so each
    // character is looked at once per searched character, whatever the input.
    qsizetype nextOf(QChar c, qsizetype from)
    {
        auto it = m_nextCache.find(c.unicode());
        if (it != m_nextCache.end() && it->first <= from && (it->second < 0 || it->second >= from))
            return it->second;
        const qsizetype found = m_text.indexOf(c, from);
        m_nextCache.insert(c.unicode(), {from, found});
        return found;
    }

    // In a table a code span cannot cross a cell or a row: the renderer splits cells first.
    qsizetype nextCellBoundary(qsizetype from)
    {
        if (m_boundaryFrom >= 0 && m_boundaryFrom <= from && (m_boundary < 0 || m_boundary >= from))
            return m_boundary;
        qsizetype found = from;
        while (found < m_text.size() && m_text[found] != u'|' && m_text[found] != u'\n')
            ++found;
        m_boundaryFrom = from;
        m_boundary = found < m_text.size() ? found : -1;
        return m_boundary;
    }

    // The run of exactly `length` backticks that closes a code span opened before `from`.
    qsizetype closingRun(qsizetype from, qsizetype length)
    {
        const auto it = m_runsByLength.constFind(length);
        if (it == m_runsByLength.constEnd())
            return -1;
        const QList<qsizetype> &starts = *it;
        const auto next = std::lower_bound(starts.begin(), starts.end(), from);
        if (next == starts.end())
            return -1;
        if (m_table) {
            const qsizetype boundary = nextCellBoundary(from);
            if (boundary >= 0 && boundary < *next)
                return -1;
        }
        return *next;
    }

    // Brackets pair outside code spans and escapes, like link text.
    void matchBrackets()
    {
        QList<qsizetype> open;
        const qsizetype n = m_text.size();
        for (qsizetype i = 0; i < n;) {
            const QChar c = m_text[i];
            if (c == u'\\' && i + 1 < n && isAsciiPunctuation(m_text[i + 1])) {
                i += 2;
            } else if (c == u'`') {
                const qsizetype length = runLength(i);
                const qsizetype close = closingRun(i + length, length);
                i = close >= 0 ? close + length : i + length;
            } else {
                if (c == u'[')
                    open.append(i);
                else if (c == u']' && !open.isEmpty())
                    m_closeOf.insert(open.takeLast(), i);
                ++i;
            }
        }
        // The caches were filled for this pass; the output pass starts again from 0.
        m_boundaryFrom = -1;
    }

    // Matched by hand: a regular expression run at each '<' re-validates the whole text each
    // time, which made long hostile answers quadratic.
    static bool isAsciiLetter(QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); }
    static bool isAsciiAlnum(QChar c) { return isAsciiLetter(c) || (c >= u'0' && c <= u'9'); }

    // CommonMark's autolinks: <scheme:…> and <local@domain>.
    qsizetype autolinkLength(qsizetype i) const
    {
        const qsizetype n = m_text.size();
        const qsizetype p = i + 1;
        if (p < n && isAsciiLetter(m_text[p])) {
            qsizetype q = p + 1;
            while (q < n && q - p < 32
                   && (isAsciiAlnum(m_text[q]) || m_text[q] == u'+' || m_text[q] == u'.' || m_text[q] == u'-'))
                ++q;
            if (q - p >= 2 && q < n && m_text[q] == u':') {
                qsizetype r = q + 1;
                while (r < n && m_text[r] != u'<' && m_text[r] != u'>' && m_text[r].unicode() > 0x20
                       && m_text[r].unicode() != 0x7f)
                    ++r;
                if (r < n && m_text[r] == u'>')
                    return r + 1 - i;
            }
        }
        static const QString localExtra = QStringLiteral(".!#$%&'*+/=?^_`{|}~-");
        qsizetype q = p;
        while (q < n && (isAsciiAlnum(m_text[q]) || localExtra.contains(m_text[q])))
            ++q;
        if (q == p || q >= n || m_text[q] != u'@')
            return 0;
        qsizetype r = q + 1;
        for (;;) {
            const qsizetype label = r;
            while (r < n && r - label < 63 && (isAsciiAlnum(m_text[r]) || m_text[r] == u'-'))
                ++r;
            if (r == label || m_text[label] == u'-' || m_text[r - 1] == u'-' || r >= n)
                return 0;
            if (m_text[r] == u'>')
                return r + 1 - i;
            if (m_text[r] != u'.')
                return 0;
            ++r;
        }
    }

    // `<br>` inside a line, where it cannot start an HTML block: written back as `<br/>`,
    // which the renderer turns into a line break and nothing else.
    qsizetype lineBreakLength(qsizetype i) const
    {
        const qsizetype n = m_text.size();
        qsizetype p = i + 1;
        if (p + 1 >= n || m_text[p].toLower() != u'b' || m_text[p + 1].toLower() != u'r')
            return 0;
        p += 2;
        if (p < n && m_text[p] == u' ')
            ++p;
        if (p < n && m_text[p] == u'/')
            ++p;
        if (p >= n || m_text[p] != u'>')
            return 0;
        const qsizetype length = p + 1 - i;
        for (qsizetype k = p + 1; k < n && m_text[k] != u'\n'; ++k)
            if (!m_text[k].isSpace())
                return length;
        return 0;
    }

    // `(dest "title")` from `from` (just after the '('): the destination and the index after ')'.
    bool inlineDestination(qsizetype from, QString &dest, qsizetype &end)
    {
        const qsizetype n = m_text.size();
        qsizetype p = from;
        auto skipSpace = [&] {
            while (p < n && (m_text[p] == u' ' || m_text[p] == u'\t' || m_text[p] == u'\n'))
                ++p;
        };
        skipSpace();
        const qsizetype limit = std::min(n, p + kMaxDestination);
        if (p < n && m_text[p] == u'<') {
            qsizetype q = p + 1;
            while (q < limit && m_text[q] != u'>' && m_text[q] != u'<' && m_text[q] != u'\n')
                q += (m_text[q] == u'\\' && q + 1 < limit) ? 2 : 1;
            if (q >= limit || m_text[q] != u'>')
                return false;
            dest = unescapeDestination(m_text.mid(p + 1, q - p - 1));
            p = q + 1;
        } else {
            const qsizetype start = p;
            int depth = 0;
            while (p < limit) {
                const QChar c = m_text[p];
                if (c == u'\\' && p + 1 < limit && isAsciiPunctuation(m_text[p + 1])) {
                    p += 2;
                    continue;
                }
                if (c.isSpace() || c.unicode() < 0x20)
                    break;
                if (c == u'(' && ++depth > 32)
                    return false;
                if (c == u')' && depth-- == 0)
                    break;
                ++p;
            }
            if (p >= limit && limit < n)
                return false;
            dest = unescapeDestination(m_text.mid(start, p - start));
        }
        skipSpace();
        if (p < n && (m_text[p] == u'"' || m_text[p] == u'\'' || m_text[p] == u'(')) {
            const QChar close = m_text[p] == u'(' ? QChar(u')') : m_text[p];
            const qsizetype q = nextOf(close, p + 1);
            if (q < 0)
                return false;
            p = q + 1;
            skipSpace();
        }
        if (p >= n || m_text[p] != u')')
            return false;
        end = p + 1;
        return true;
    }

    // An image at `i` ("![…"), written to `out` as a link that names its destination; returns
    // the source length it replaced, 0 when it is not an image.
    qsizetype image(qsizetype i, QString &out)
    {
        const auto close = m_closeOf.constFind(i + 1);
        if (close == m_closeOf.constEnd())
            return 0;
        const qsizetype j = *close;
        const QStringView alt = m_text.mid(i + 2, j - i - 2);
        const qsizetype n = m_text.size();
        QString dest;
        qsizetype end = 0;
        bool found = false;
        if (j + 1 < n && m_text[j + 1] == u'(')
            found = inlineDestination(j + 2, dest, end);
        if (!found && j + 1 < n && m_text[j + 1] == u'[') {
            const auto labelClose = m_closeOf.constFind(j + 1);
            if (labelClose != m_closeOf.constEnd()) {
                const QStringView label = m_text.mid(j + 2, *labelClose - j - 2);
                const auto def = m_definitions.constFind(normaliseLabel(label.isEmpty() ? alt : label));
                if (def != m_definitions.constEnd()) {
                    dest = *def;
                    end = *labelClose + 1;
                    found = true;
                }
            }
        }
        if (!found) {
            const auto def = m_definitions.constFind(normaliseLabel(alt));
            if (def != m_definitions.constEnd()) {
                dest = *def;
                end = j + 1;
                found = true;
            }
        }
        if (!found)
            return 0;

        const QString altText = m_nesting + 1 >= kMaxImageNesting
                                    ? literal(alt)
                                    : Neutraliser(alt, m_definitions, m_nesting + 1, true, m_table).run();
        const QString shown =
            dest.size() > kMaxShownDestination ? QString(dest.left(kMaxShownDestination) + QStringLiteral("…")) : dest;
        const QString label = alt.trimmed().isEmpty() ? QStringLiteral("image") : QString(QStringLiteral("image: ") + altText);
        const QString text = label + QStringLiteral(" → ") + literal(shown);
        if (m_insideLink)
            out += text; // a link cannot hold a link: the outer one says where it points
        else
            out += QStringLiteral("[") + text + QStringLiteral("](") + safeHref(dest) + QStringLiteral(")");
        return end - i;
    }
};

} // namespace

QString neutraliseMarkdown(QStringView markdown)
{
    const Definitions definitions = collectDefinitions(markdown);
    return Neutraliser(markdown, definitions, 0, false, looksLikeTable(markdown)).run();
}

} // namespace parlo::ui
