// Streaming detokenization: token pieces are bytes, and a character may be split across tokens
// (<0xE2><0x96><0x81>, or byte-level BPE pieces of an emoji). Bytes are held until they form
// whole characters, so a UI never shows half of one.
#include "parlo/tokenizer.h"

#include "unicode_class.h"

namespace parlo {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD
}

StreamingDetokenizer::StreamingDetokenizer(const Tokenizer &tokenizer, PieceCallback callback, DecodeOptions options,
                                           bool atSequenceStart)
    : m_tokenizer(tokenizer), m_callback(std::move(callback)), m_options(options)
{
    reset(atSequenceStart);
}

void StreamingDetokenizer::reset(bool atSequenceStart)
{
    m_pending.clear();
    m_stripPending = atSequenceStart && m_options.stripSpacePrefix && m_tokenizer.addSpacePrefix();
}

void StreamingDetokenizer::push(TokenId id)
{
    std::string piece = m_tokenizer.tokenPiece(id, m_options.renderSpecial);
    if (m_stripPending) {
        if (piece.empty() || id == m_tokenizer.bos())
            return;
        if (piece.front() == ' ')
            piece.erase(0, 1);
        m_stripPending = false;
    }
    m_pending += piece;
    emitComplete(false);
}

void StreamingDetokenizer::finish()
{
    emitComplete(true);
}

void StreamingDetokenizer::emitComplete(bool final)
{
    std::string out;
    std::size_t i = 0;
    while (i < m_pending.size()) {
        const tokenizer::DecodedCodepoint c = tokenizer::decodeUtf8(m_pending, i);
        if (c.cp < tokenizer::kInvalidByteBase) {
            out.append(m_pending, i, c.length);
            i += c.length;
            continue;
        }
        // An unfinished character at the end waits for the next token, unless this is the end.
        if (!final && tokenizer::isTruncatedUtf8(std::string_view(m_pending).substr(i)))
            break;
        out += kReplacement;
        ++i;
        // One replacement per broken sequence: skip its continuation bytes.
        while (i < m_pending.size() && (static_cast<uint8_t>(m_pending[i]) & 0xC0) == 0x80)
            ++i;
    }
    m_pending.erase(0, i);
    if (!out.empty() && m_callback)
        m_callback(out);
}

} // namespace parlo
