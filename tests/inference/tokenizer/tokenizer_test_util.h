// Helpers shared by the tokenizer tests: loading a tokenizer from a shared GGUF, reading the
// llama.cpp vocab vectors, and checking UTF-8.
#pragma once

#include "parlo/gguf.h"
#include "parlo/tokenizer.h"

#include <QFile>
#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace parlo::test {

inline std::unique_ptr<Tokenizer> loadTokenizer(const QString &path, QString *error)
{
    auto file = gguf::File::open(path.toStdString());
    if (!file) {
        *error = QString::fromStdString(file.error().message);
        return nullptr;
    }
    auto tokenizer = Tokenizer::fromGguf(**file);
    if (!tokenizer) {
        *error = QString::fromStdString(tokenizer.error().message);
        return nullptr;
    }
    return std::move(tokenizer).value();
}

inline std::string readBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = f.readAll();
    return std::string(data.constData(), static_cast<std::size_t>(data.size()));
}

// The .inp format: strings separated by "\n__ggml_vocab_test__\n" (also after the last one).
inline std::vector<std::string> splitVocabInputs(const std::string &text)
{
    static const std::string separator = "\n__ggml_vocab_test__\n";
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (std::size_t next; (next = text.find(separator, pos)) != std::string::npos; pos = next + separator.size())
        out.push_back(text.substr(pos, next - pos));
    return out;
}

inline std::vector<std::string> splitLines(const std::string &text)
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (std::size_t next; (next = text.find('\n', pos)) != std::string::npos; pos = next + 1)
        out.push_back(text.substr(pos, next - pos));
    if (pos < text.size())
        out.push_back(text.substr(pos));
    return out;
}

inline std::string joinIds(const std::vector<TokenId> &ids)
{
    std::string s;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i)
            s += ' ';
        s += std::to_string(ids[i]);
    }
    return s;
}

inline std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
        s.pop_back();
    while (!s.empty() && s.front() == ' ')
        s.erase(0, 1);
    return s;
}

// Strict UTF-8 validity (no overlongs, surrogates or truncation), independent of the code under test.
inline bool isValidUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (b < 0x80) {
            ++i;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            n = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 2;
            if (b == 0xE0)
                lo = 0xA0;
            if (b == 0xED)
                hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 3;
            if (b == 0xF0)
                lo = 0x90;
            if (b == 0xF4)
                hi = 0x8F;
        } else {
            return false;
        }
        if (i + n >= s.size()) // the sequence needs bytes i..i+n
            return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            const unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
            if (c < l || c > h)
                return false;
        }
        i += n + 1;
    }
    return true;
}

} // namespace parlo::test
