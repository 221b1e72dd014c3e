// Tokenizer: special-token splitting around the model's own encoder, and decoding.
#include "tokenizer_impl.h"

#include <algorithm>

namespace parlo {

namespace {

// Token positions are int32 downstream; refuse input that could overflow them.
constexpr std::size_t kMaxInputBytes = std::size_t(1) << 30;

} // namespace

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

Result<std::vector<TokenId>> Tokenizer::encode(std::string_view text, const EncodeOptions &options) const
{
    if (text.size() > kMaxInputBytes)
        return makeError("the text is too long to tokenize (" + std::to_string(text.size() >> 20) + " MiB; the limit is "
                         + std::to_string(kMaxInputBytes >> 20) + " MiB)");
    std::vector<TokenId> out;
    out.reserve(text.size() / 3 + 4);
    if (options.addSpecial && m->addBos)
        out.push_back(m->vocab.bos);

    const bool spm = m->vocab.model == TokenizerModel::SentencePiece;
    // SentencePiece: the first text run, and every run after a special token, starts a new
    // "sentence" and gets the prefix space (llama.cpp's rule).
    bool previousWasSpecial = true;
    for (const tokenizer::Fragment &f : tokenizer::splitSpecialTokens(*m, text, options.parseSpecial)) {
        if (f.token != kNoToken) {
            out.push_back(f.token);
            previousWasSpecial = true;
            continue;
        }
        if (spm)
            m->encodeSentencePiece(f.text, m->addSpacePrefix && previousWasSpecial, out);
        else
            m->encodeBpe(f.text, out);
        previousWasSpecial = false;
    }

    if (options.addSpecial && m->addEos)
        out.push_back(m->vocab.eos);
    return out;
}

std::string Tokenizer::tokenPiece(TokenId id, bool renderSpecial) const
{
    if (!isValid(id))
        return {};
    const auto i = static_cast<std::size_t>(id);
    if (renderSpecial && !m->isPlainToken(id))
        return m->vocab.tokens[i];
    return m->pieces[i];
}

std::string Tokenizer::decode(std::span<const TokenId> ids, const DecodeOptions &options) const
{
    std::string out;
    bool stripPending = options.stripSpacePrefix && m->addSpacePrefix;
    for (const TokenId id : ids) {
        std::string piece = tokenPiece(id, options.renderSpecial);
        if (stripPending) {
            if (piece.empty() || id == m->vocab.bos)
                continue;
            if (piece.front() == ' ')
                piece.erase(0, 1);
            stripPending = false;
        }
        out += piece;
    }
    return out;
}

TokenizerModel Tokenizer::model() const { return m->vocab.model; }
std::string_view Tokenizer::preTokenizerName() const
{
    return m->vocab.model == TokenizerModel::SentencePiece ? std::string_view("sentencepiece")
                                                          : tokenizer::preTokenizerKindName(m->pre.kind);
}
std::size_t Tokenizer::vocabSize() const { return m->vocab.tokens.size(); }
bool Tokenizer::isValid(TokenId id) const { return id >= 0 && static_cast<std::size_t>(id) < m->vocab.tokens.size(); }
std::string_view Tokenizer::tokenText(TokenId id) const
{
    return isValid(id) ? std::string_view(m->vocab.tokens[static_cast<std::size_t>(id)]) : std::string_view();
}
TokenType Tokenizer::tokenType(TokenId id) const
{
    return isValid(id) ? m->types[static_cast<std::size_t>(id)] : TokenType::Undefined;
}
std::optional<TokenId> Tokenizer::findToken(std::string_view text) const
{
    const auto it = m->textToId.find(text);
    return it == m->textToId.end() ? std::nullopt : std::optional<TokenId>(it->second);
}
TokenId Tokenizer::bos() const { return m->vocab.bos; }
TokenId Tokenizer::eos() const { return m->vocab.eos; }
TokenId Tokenizer::eot() const { return m->vocab.eot; }
TokenId Tokenizer::unk() const { return m->vocab.unk; }
TokenId Tokenizer::pad() const { return m->vocab.pad; }
bool Tokenizer::addBos() const { return m->addBos; }
bool Tokenizer::addEos() const { return m->addEos; }
bool Tokenizer::addSpacePrefix() const { return m->addSpacePrefix; }
bool Tokenizer::isEndOfGeneration(TokenId id) const
{
    return std::find(m->endOfGeneration.begin(), m->endOfGeneration.end(), id) != m->endOfGeneration.end();
}
const std::vector<TokenId> &Tokenizer::endOfGenerationTokens() const { return m->endOfGeneration; }

} // namespace parlo
