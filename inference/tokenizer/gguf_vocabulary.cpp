// Reading a Vocabulary from GGUF tokenizer.ggml.* metadata.
#include "parlo/gguf.h"
#include "parlo/tokenizer.h"

#include <limits>

namespace parlo {

namespace {

// Special token ids are stored as u32 (sometimes i32); 0xFFFFFFFF and -1 mean "none".
Result<TokenId> readTokenId(const gguf::File &file, std::string_view key)
{
    const gguf::Value *value = file.find(key);
    if (!value)
        return kNoToken;
    if (!value->isInteger())
        return makeError(std::string(key) + " is not an integer");
    if (const auto i = value->asInt(); i && *i == -1)
        return kNoToken;
    const auto u = value->asUInt();
    if (!u)
        return makeError(std::string(key) + " is negative");
    if (*u == 0xFFFFFFFFu)
        return kNoToken;
    if (*u > static_cast<uint64_t>(std::numeric_limits<TokenId>::max()))
        return makeError(std::string(key) + " = " + std::to_string(*u) + " is not a valid token id");
    return static_cast<TokenId>(*u);
}

Result<std::optional<bool>> readFlag(const gguf::File &file, std::string_view key)
{
    if (!file.find(key))
        return std::optional<bool>();
    const auto b = file.getBool(key);
    if (!b)
        return makeError(std::string(key) + " is not a boolean");
    return std::optional<bool>(*b);
}

} // namespace

Result<Vocabulary> vocabularyFromGguf(const gguf::File &file)
{
    Vocabulary v;
    const auto model = file.getString("tokenizer.ggml.model");
    if (!model)
        return makeError("the model has no tokenizer (tokenizer.ggml.model is missing)");
    if (*model == "llama")
        v.model = TokenizerModel::SentencePiece;
    else if (*model == "gpt2")
        v.model = TokenizerModel::BytePairEncoding;
    else
        return makeError("unsupported tokenizer type \"" + std::string(*model)
                         + "\" (Parlo supports \"llama\" SentencePiece and \"gpt2\" byte-level BPE)");
    if (const auto pre = file.getString("tokenizer.ggml.pre"))
        v.preTokenizer = std::string(*pre);

    const auto tokens = file.getStringArray("tokenizer.ggml.tokens");
    if (!tokens)
        return makeError("tokenizer.ggml.tokens is missing or not an array of strings");
    v.tokens.assign(tokens->begin(), tokens->end());

    if (file.find("tokenizer.ggml.scores")) {
        auto scores = file.getFloatArray("tokenizer.ggml.scores");
        if (!scores)
            return makeError("tokenizer.ggml.scores is not an array of numbers");
        v.scores = std::move(*scores);
    }
    if (file.find("tokenizer.ggml.token_type")) {
        const auto types = file.getIntArray("tokenizer.ggml.token_type");
        if (!types)
            return makeError("tokenizer.ggml.token_type is not an array of integers");
        v.types.reserve(types->size());
        for (std::size_t i = 0; i < types->size(); ++i) {
            const int64_t t = (*types)[i];
            if (t < 0 || t > static_cast<int64_t>(TokenType::Byte))
                return makeError("token " + std::to_string(i) + " has an unknown token type " + std::to_string(t));
            v.types.push_back(static_cast<TokenType>(t));
        }
    }
    if (v.model == TokenizerModel::BytePairEncoding) {
        const auto merges = file.getStringArray("tokenizer.ggml.merges");
        if (!merges)
            return makeError("the BPE tokenizer has no merges (tokenizer.ggml.merges is missing or not an array of strings)");
        v.merges.assign(merges->begin(), merges->end());
    }

    struct IdKey
    {
        const char *key;
        TokenId *target;
    };
    for (const IdKey &k : {IdKey{"tokenizer.ggml.bos_token_id", &v.bos}, IdKey{"tokenizer.ggml.eos_token_id", &v.eos},
                           IdKey{"tokenizer.ggml.eot_token_id", &v.eot}, IdKey{"tokenizer.ggml.unknown_token_id", &v.unk},
                           IdKey{"tokenizer.ggml.padding_token_id", &v.pad}}) {
        auto id = readTokenId(file, k.key);
        if (!id)
            return id.error();
        *k.target = *id;
    }

    struct FlagKey
    {
        const char *key;
        std::optional<bool> *target;
    };
    for (const FlagKey &k : {FlagKey{"tokenizer.ggml.add_bos_token", &v.addBos},
                             FlagKey{"tokenizer.ggml.add_eos_token", &v.addEos},
                             FlagKey{"tokenizer.ggml.add_space_prefix", &v.addSpacePrefix}}) {
        auto flag = readFlag(file, k.key);
        if (!flag)
            return flag.error();
        *k.target = *flag;
    }
    return v;
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::fromGguf(const gguf::File &file)
{
    auto vocabulary = vocabularyFromGguf(file);
    if (!vocabulary)
        return vocabulary.error();
    return create(std::move(vocabulary).value());
}

} // namespace parlo
