// Building a Tokenizer from a Vocabulary: validation first (a hostile or broken vocabulary is an
// Error, never a crash later), then the lookup tables the encoders and the decoder use.
#include "tokenizer_impl.h"
#include "unicode_class.h"

#include "parlo/log.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace parlo {

namespace {

Result<void> checkSpecialId(const char *what, TokenId id, std::size_t n)
{
    if (id != kNoToken && (id < 0 || static_cast<std::size_t>(id) >= n))
        return makeError(std::string("the ") + what + " token id " + std::to_string(id) + " is outside the vocabulary of "
                         + std::to_string(n) + " tokens");
    return {};
}

// The bytes a token stands for when decoded (CONTROL and UNKNOWN tokens: nothing).
std::string pieceOf(const Vocabulary &v, TokenType type, const std::string &text)
{
    switch (type) {
    case TokenType::Control:
    case TokenType::Unknown:
    case TokenType::Unused:
        return {};
    case TokenType::UserDefined:
        return text; // added tokens are stored as plain text in both vocabulary kinds
    case TokenType::Byte:
        if (text.size() == 6 && text.starts_with("<0x") && text.back() == '>') {
            unsigned value = 0;
            if (std::sscanf(text.c_str() + 3, "%2x", &value) == 1)
                return std::string(1, static_cast<char>(value));
        }
        break; // not in <0xNN> form: decode it like a normal token
    case TokenType::Normal:
    case TokenType::Undefined:
        break;
    }
    std::string out;
    if (v.model == TokenizerModel::SentencePiece) {
        out.reserve(text.size());
        for (std::size_t i = 0; i < text.size();) {
            if (text.compare(i, 3, "\xE2\x96\x81") == 0) {
                out += ' ';
                i += 3;
            } else {
                out += text[i++];
            }
        }
        return out;
    }
    // Byte-level: every character stands for one byte; anything else is kept as written.
    for (std::size_t i = 0; i < text.size();) {
        const tokenizer::DecodedCodepoint c = tokenizer::decodeUtf8(text, i);
        const int byte = tokenizer::unicodeToByte(c.cp);
        if (byte >= 0)
            out += static_cast<char>(byte);
        else
            out.append(text, i, c.length);
        i += c.length;
    }
    return out;
}

Result<void> buildMerges(Tokenizer::Impl &impl)
{
    const Vocabulary &v = impl.vocab;
    std::unordered_map<std::string, int32_t> extraPieces;
    const auto nTokens = static_cast<int32_t>(v.tokens.size());
    const auto pieceOfText = [&](const std::string &text) -> int32_t {
        if (const auto it = impl.textToId.find(text); it != impl.textToId.end())
            return it->second;
        const auto [it, inserted] = extraPieces.emplace(text, nTokens + static_cast<int32_t>(extraPieces.size()));
        return it->second;
    };
    if (v.merges.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max() / 4))
        return makeError("the vocabulary has too many merges");
    impl.merges.reserve(v.merges.size());
    for (std::size_t rank = 0; rank < v.merges.size(); ++rank) {
        const std::string &merge = v.merges[rank];
        // The separator is the first space after the first character, so a part may start with one.
        const std::size_t split = merge.find(' ', 1);
        if (merge.empty() || split == std::string::npos || split + 1 >= merge.size())
            return makeError("BPE merge " + std::to_string(rank) + " (\"" + merge
                             + "\") is not two parts separated by a space");
        const std::string left = merge.substr(0, split);
        const std::string right = merge.substr(split + 1);
        const int32_t l = pieceOfText(left);
        const int32_t r = pieceOfText(right);
        const int32_t result = pieceOfText(left + right);
        impl.merges.emplace(static_cast<uint64_t>(l) << 32 | static_cast<uint32_t>(r),
                            Tokenizer::Impl::Merge{static_cast<int32_t>(rank), result});
    }
    for (int b = 0; b < 256; ++b) {
        const std::string &c = tokenizer::byteToUnicode(static_cast<uint8_t>(b));
        if (const auto it = impl.textToId.find(c); it != impl.textToId.end())
            impl.bytePiece[b] = it->second;
        else if (const auto e = extraPieces.find(c); e != extraPieces.end())
            impl.bytePiece[b] = e->second;
        else
            impl.bytePiece[b] = -1;
    }
    return {};
}

// End-of-turn texts of the common chat formats (used when the GGUF has no eot_token_id).
constexpr std::string_view kEndOfTurnTexts[] = {
    "<|eot_id|>", "<|im_end|>", "<end_of_turn>", "<|end|>", "<|endoftext|>", "<EOT>", "_<EOT>",
    "<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>", // DeepSeek's <｜end▁of▁sentence｜>
    "<end_of_utterance>",
};

} // namespace

Result<std::unique_ptr<Tokenizer>> Tokenizer::create(Vocabulary vocabulary)
{
    auto impl = std::make_unique<Impl>();
    impl->vocab = std::move(vocabulary);
    Vocabulary &v = impl->vocab;
    const std::size_t n = v.tokens.size();
    if (n == 0)
        return makeError("the vocabulary has no tokens");
    if (n > static_cast<std::size_t>(std::numeric_limits<int32_t>::max() / 2))
        return makeError("the vocabulary has too many tokens (" + std::to_string(n) + ")");
    if (!v.scores.empty() && v.scores.size() != n)
        return makeError("the vocabulary has " + std::to_string(n) + " tokens but " + std::to_string(v.scores.size())
                         + " scores");
    if (!v.types.empty() && v.types.size() != n)
        return makeError("the vocabulary has " + std::to_string(n) + " tokens but " + std::to_string(v.types.size())
                         + " token types");
    for (std::size_t i = 0; i < v.types.size(); ++i) {
        if (static_cast<uint8_t>(v.types[i]) > static_cast<uint8_t>(TokenType::Byte))
            return makeError("token " + std::to_string(i) + " has an unknown token type "
                             + std::to_string(static_cast<int>(v.types[i])));
    }
    impl->types = v.types.empty() ? std::vector<TokenType>(n, TokenType::Normal) : v.types;
    impl->scores = v.scores.empty() ? std::vector<float>(n, 0.0f) : v.scores;

    const bool spm = v.model == TokenizerModel::SentencePiece;
    if (spm) {
        // llama.cpp's defaults for SentencePiece vocabularies that do not name their specials.
        if (v.bos == kNoToken && n > 1)
            v.bos = 1;
        if (v.eos == kNoToken && n > 2)
            v.eos = 2;
        if (v.unk == kNoToken)
            v.unk = 0;
    }
    PARLO_TRY(checkSpecialId("BOS", v.bos, n));
    PARLO_TRY(checkSpecialId("EOS", v.eos, n));
    PARLO_TRY(checkSpecialId("EOT", v.eot, n));
    PARLO_TRY(checkSpecialId("unknown", v.unk, n));
    if (checkSpecialId("padding", v.pad, n).ok() == false) {
        log(LogLevel::Warning, "tokenizer", "ignoring the padding token id " + std::to_string(v.pad) + ": outside the vocabulary");
        v.pad = kNoToken;
    }

    if (spm) {
        impl->pre = {};
        impl->addSpacePrefix = v.addSpacePrefix.value_or(true);
        impl->addBos = v.addBos.value_or(true);
    } else {
        impl->pre = tokenizer::choosePreTokenizer(v.preTokenizer);
        if (!impl->pre.known)
            log(LogLevel::Warning, "tokenizer",
                "unknown pre-tokenizer \"" + v.preTokenizer + "\"; using the default one, so tokenization may differ from the model's");
        impl->addSpacePrefix = v.addSpacePrefix.value_or(false);
        impl->addBos = v.addBos.value_or(impl->pre.addBosDefault);
    }
    impl->addEos = v.addEos.value_or(false);
    if (impl->addBos && v.bos == kNoToken)
        return makeError("the vocabulary asks for a BOS token but has none");
    if (impl->addEos && v.eos == kNoToken)
        return makeError("the vocabulary asks for an EOS token but has none");

    impl->textToId.reserve(n);
    impl->textToPlainId.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto id = static_cast<TokenId>(i);
        impl->textToId[v.tokens[i]] = id;
        if (impl->isPlainToken(id))
            impl->textToPlainId[v.tokens[i]] = id;
    }

    impl->byteToken.fill(kNoToken);
    if (spm) {
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            const std::string single(1, static_cast<char>(b));
            if (const auto it = impl->textToId.find(name); it != impl->textToId.end())
                impl->byteToken[b] = it->second;
            else if (const auto s = impl->textToPlainId.find(single); s != impl->textToPlainId.end())
                impl->byteToken[b] = s->second;
            else
                impl->byteToken[b] = v.unk;
        }
    } else {
        for (int b = 0; b < 256; ++b) {
            const auto it = impl->textToPlainId.find(tokenizer::byteToUnicode(static_cast<uint8_t>(b)));
            impl->byteToken[b] = it != impl->textToPlainId.end() ? it->second : v.unk;
        }
        PARLO_TRY(buildMerges(*impl));
    }

    for (std::size_t i = 0; i < n; ++i) {
        const TokenType t = impl->types[i];
        if ((t == TokenType::Control || t == TokenType::UserDefined || t == TokenType::Unknown) && !v.tokens[i].empty())
            impl->specialTokens.push_back(static_cast<TokenId>(i));
    }
    std::stable_sort(impl->specialTokens.begin(), impl->specialTokens.end(), [&](TokenId a, TokenId b) {
        return v.tokens[static_cast<std::size_t>(a)].size() > v.tokens[static_cast<std::size_t>(b)].size();
    });

    impl->pieces.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        impl->pieces.push_back(pieceOf(v, impl->types[i], v.tokens[i]));

    if (v.eot == kNoToken) {
        for (const std::string_view text : kEndOfTurnTexts) {
            if (const auto it = impl->textToId.find(text); it != impl->textToId.end()) {
                v.eot = it->second;
                break;
            }
        }
    }
    const auto addEog = [&](TokenId id) {
        if (id != kNoToken && std::find(impl->endOfGeneration.begin(), impl->endOfGeneration.end(), id) == impl->endOfGeneration.end())
            impl->endOfGeneration.push_back(id);
    };
    addEog(v.eos);
    addEog(v.eot);
    for (const std::string_view text : kEndOfTurnTexts) {
        if (const auto it = impl->textToId.find(text); it != impl->textToId.end())
            addEog(it->second);
    }
    if (const auto it = impl->textToId.find("<|eom_id|>"); it != impl->textToId.end())
        addEog(it->second);

    return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

} // namespace parlo
