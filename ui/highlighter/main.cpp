// parlo-highlighter: reads highlighting requests on stdin, writes format spans on stdout.
//
// Request (one header line, then exactly <bytes> bytes of UTF-8 text):
//   HL <id> <light|dark> <language or -> <bytes>\n<text>
// Reply:
//   OK <id> <span count> <background #rrggbb> <normal text #rrggbb> <definition name>\n
//   then one line per span: <offset> <length> <#rrggbb> <flags: b, i, bi or ->\n
// Offsets and lengths count UTF-16 code units, as QString does on both sides. An unknown
// language gets zero spans and the definition name "None". A malformed header ends the helper
// (exit 2): the client restarts it, so a desynchronised stream never survives.
#include "span_collector.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/Theme>

#include <QCoreApplication>

#include <cstdio>
#include <iostream>
#include <string>

using parlo::highlight::findDefinition;
using parlo::highlight::Span;
using parlo::highlight::SpanCollector;

namespace {

QString hex(QRgb rgb) { return QColor(rgb).name(QColor::HexRgb); }

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::ios::sync_with_stdio(false);
    KSyntaxHighlighting::Repository repo;
    const KSyntaxHighlighting::Theme light = repo.defaultTheme(KSyntaxHighlighting::Repository::LightTheme);
    const KSyntaxHighlighting::Theme dark = repo.defaultTheme(KSyntaxHighlighting::Repository::DarkTheme);
    SpanCollector collector;

    std::string header;
    while (std::getline(std::cin, header)) {
        char tag[3] = {};
        unsigned long long id = 0;
        char themeName[16] = {};
        char language[128] = {};
        unsigned long long bytes = 0;
        if (std::sscanf(header.c_str(), "%2s %llu %15s %127s %llu", tag, &id, themeName, language, &bytes) != 5
            || std::string(tag) != "HL" || bytes > (64u << 20)) {
            std::cerr << "parlo-highlighter: malformed request header\n";
            return 2;
        }
        std::string body(bytes, '\0');
        if (bytes && !std::cin.read(body.data(), std::streamsize(bytes)))
            return 0; // the client went away mid-request
        const QString text = QString::fromUtf8(body.data(), int(body.size()));
        const KSyntaxHighlighting::Theme &theme = std::string(themeName) == "dark" ? dark : light;
        const auto def = findDefinition(repo, QString::fromUtf8(language));

        QVector<Span> spans;
        if (def.isValid()) {
            collector.setTheme(theme);
            collector.setDefinition(def);
            spans = collector.highlight(text);
        }
        std::string reply = "OK " + std::to_string(id) + ' ' + std::to_string(spans.size()) + ' '
                            + hex(theme.editorColor(KSyntaxHighlighting::Theme::BackgroundColor)).toStdString() + ' '
                            + hex(theme.textColor(KSyntaxHighlighting::Theme::Normal)).toStdString() + ' '
                            + (def.isValid() ? def.name().toStdString() : std::string("None")) + '\n';
        for (const Span &s : spans) {
            const char *flags = s.bold && s.italic ? "bi" : s.bold ? "b" : s.italic ? "i" : "-";
            reply += std::to_string(s.offset) + ' ' + std::to_string(s.length) + ' '
                     + s.color.name(QColor::HexRgb).toStdString() + ' ' + flags + '\n';
        }
        std::cout << reply << std::flush;
    }
    return 0;
}
