#include "engine/text_codec.h"

#include "parlo/tokenizer.h"

namespace parlo::engine {

namespace {

class TokenizerCodec : public TextCodec
{
public:
    explicit TokenizerCodec(std::unique_ptr<Tokenizer> tokenizer)
        : m_tokenizer(std::move(tokenizer))
        , m_stream(*m_tokenizer, [this](std::string_view piece) { m_out.append(piece); }, DecodeOptions{}, false)
    {
    }

    Result<std::vector<int32_t>> tokenize(std::string_view text, bool addBos) const override
    {
        EncodeOptions options;
        options.addSpecial = addBos;
        return m_tokenizer->encode(text, options);
    }

    Result<std::string> detokenize(std::span<const int32_t> tokens) const override { return m_tokenizer->decode(tokens); }

    std::string piece(int32_t token) override
    {
        m_out.clear();
        m_stream.push(token);
        return m_out;
    }

    // Generation continues a prompt, so the first piece keeps its leading space.
    void resetStream() override { m_stream.reset(false); }

    bool isEndOfGeneration(int32_t token) const override { return m_tokenizer->isEndOfGeneration(token); }

private:
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::string m_out;
    StreamingDetokenizer m_stream;
};

} // namespace

Result<std::unique_ptr<TextCodec>> createTextCodec(const gguf::File &file)
{
    auto tokenizer = Tokenizer::fromGguf(file);
    if (!tokenizer)
        return tokenizer.error().withContext("the model's tokenizer");
    return std::unique_ptr<TextCodec>(std::make_unique<TokenizerCodec>(std::move(tokenizer.value())));
}

} // namespace parlo::engine
