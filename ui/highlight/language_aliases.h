// Fence labels as people write them ("py", "c++", "shell") mapped to KDE Syntax Highlighting
// definition names. Header-only and Qt-version neutral: both the Qt 6 app and the Qt 5 helper
// (ui/highlighter) include it.
#pragma once

#include <QString>

namespace parlo::highlight {

struct LanguageAlias
{
    const char *label;
    const char *definition;
};

inline constexpr LanguageAlias kLanguageAliases[] = {
    {"c++", "C++"},        {"cpp", "C++"},         {"cxx", "C++"},           {"hpp", "C++"},
    {"python", "Python"},  {"py", "Python"},       {"python3", "Python"},    {"js", "JavaScript"},
    {"javascript", "JavaScript"}, {"ts", "TypeScript"}, {"typescript", "TypeScript"}, {"sh", "Bash"},
    {"bash", "Bash"},      {"shell", "Bash"},      {"console", "Bash"},      {"zsh", "Zsh"},
    {"rust", "Rust"},      {"rs", "Rust"},         {"go", "Go"},             {"golang", "Go"},
    {"json", "JSON"},      {"yaml", "YAML"},       {"yml", "YAML"},          {"toml", "TOML"},
    {"html", "HTML"},      {"xml", "XML"},         {"css", "CSS"},           {"sql", "SQL"},
    {"java", "Java"},      {"kotlin", "Kotlin"},   {"c", "C"},               {"csharp", "C#"},
    {"cs", "C#"},          {"ruby", "Ruby"},       {"rb", "Ruby"},           {"php", "PHP/PHP"},
    {"qml", "QML"},        {"cmake", "CMake"},     {"makefile", "Makefile"}, {"make", "Makefile"},
    {"diff", "Diff"},      {"patch", "Diff"},      {"markdown", "Markdown"}, {"md", "Markdown"},
    {"lua", "Lua"},        {"swift", "Swift"},     {"haskell", "Haskell"},   {"glsl", "GLSL"},
    {"dockerfile", "Dockerfile"}, {"ini", "INI Files"}, {"perl", "Perl"},  {"latex", "LaTeX"},
};

// The definition name for `label`, or `label` itself when no alias applies.
inline QString kdeDefinitionName(const QString &label)
{
    const QString lower = label.toLower();
    for (const LanguageAlias &alias : kLanguageAliases)
        if (lower == QLatin1String(alias.label))
            return QString::fromLatin1(alias.definition);
    return label;
}

} // namespace parlo::highlight
