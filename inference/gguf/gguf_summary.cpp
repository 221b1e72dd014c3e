#include "parlo/gguf_summary.h"

#include "parlo/gguf_keys.h"

#include <array>
#include <utility>

namespace parlo::gguf {

std::optional<std::string> fileTypeName(uint64_t fileType)
{
    // llama_ftype; gaps are types ggml removed. Bit 10 marks a type llama.cpp guessed.
    static constexpr std::array<std::pair<uint64_t, const char *>, 36> k_names{{
        {0, "F32"},       {1, "F16"},      {2, "Q4_0"},     {3, "Q4_1"},     {4, "Q4_1_SOME_F16"},
        {7, "Q8_0"},      {8, "Q5_0"},     {9, "Q5_1"},     {10, "Q2_K"},    {11, "Q3_K_S"},
        {12, "Q3_K_M"},   {13, "Q3_K_L"},  {14, "Q4_K_S"},  {15, "Q4_K_M"},  {16, "Q5_K_S"},
        {17, "Q5_K_M"},   {18, "Q6_K"},    {19, "IQ2_XXS"}, {20, "IQ2_XS"},  {21, "Q2_K_S"},
        {22, "IQ3_XS"},   {23, "IQ3_XXS"}, {24, "IQ1_S"},   {25, "IQ4_NL"},  {26, "IQ3_S"},
        {27, "IQ3_M"},    {28, "IQ2_S"},   {29, "IQ2_M"},   {30, "IQ4_XS"},  {31, "IQ1_M"},
        {32, "BF16"},     {33, "Q4_0_4_4"}, {34, "Q4_0_4_8"}, {35, "Q4_0_8_8"}, {36, "TQ1_0"},
        {37, "TQ2_0"},
    }};
    const bool guessed = (fileType & 1024u) != 0;
    const uint64_t base = fileType & ~uint64_t(1024u);
    for (const auto &[id, name] : k_names) {
        if (id == base)
            return std::string(name) + (guessed ? " (guessed)" : "");
    }
    if (base == 38)
        return std::string("MXFP4_MOE") + (guessed ? " (guessed)" : "");
    return std::nullopt;
}

namespace {

std::string printable(std::string_view s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c == '\n')
            out += "\\n";
        else if (c < 0x20 || c == 0x7f) {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else
            out += char(c);
    }
    return out;
}

} // namespace

ModelSummary summarize(const File &file)
{
    ModelSummary s;
    s.architecture = std::string(file.architecture());
    s.name = std::string(file.getString(key::k_name).value_or(""));
    s.fileTypeId = file.getUInt(key::k_fileType);
    if (s.fileTypeId)
        s.fileType = fileTypeName(*s.fileTypeId).value_or("unknown (" + std::to_string(*s.fileTypeId) + ")");

    for (const TensorInfo &t : file.tensors()) {
        s.parameterCount += t.elementCount();
        s.weightBytes += t.byteSize;
        const auto info = tensorTypeInfo(t.typeId);
        const std::string type = tensorTypeName(t.typeId);
        ++s.tensorTypeCounts[type];
        s.tensorTypeBytes[type] += t.byteSize;
        if (!info || !info->supported)
            s.unsupported.push_back({std::string(t.name), type});
    }
    if (!s.fileTypeId && !s.tensorTypeBytes.empty()) {
        // Older converters omit general.file_type: name the type that holds most of the bytes.
        auto most = s.tensorTypeBytes.begin();
        for (auto it = s.tensorTypeBytes.begin(); it != s.tensorTypeBytes.end(); ++it) {
            if (it->second > most->second)
                most = it;
        }
        s.fileType = most->first;
    }
    if (!s.unsupported.empty())
        s.refusal = "tensor " + s.unsupported.front().name + " has type " + s.unsupported.front().type +
                    ", which Parlo does not support";

    const std::string a = s.architecture + ".";
    s.contextLength = file.getUInt(a + std::string(key::k_contextLength));
    s.n_embd = file.getUInt(a + std::string(key::k_embeddingLength));
    s.n_head = file.getUInt(a + std::string(key::k_headCount));
    s.n_head_kv = file.getUInt(a + std::string(key::k_headCountKv));
    if (!s.n_head_kv)
        s.n_head_kv = s.n_head;
    s.n_layer = file.getUInt(a + std::string(key::k_blockCount));
    s.n_expert = file.getUInt(a + std::string(key::k_expertCount));
    s.keyLength = file.getUInt(a + std::string(key::k_keyLength));
    s.valueLength = file.getUInt(a + std::string(key::k_valueLength));
    if (s.n_embd && s.n_head && *s.n_head > 0) {
        if (!s.keyLength)
            s.keyLength = *s.n_embd / *s.n_head;
        if (!s.valueLength)
            s.valueLength = *s.n_embd / *s.n_head;
    }

    s.tokenizerModel = std::string(file.getString(key::k_tokenizerModel).value_or(""));
    s.preTokenizer = std::string(file.getString(key::k_tokenizerPre).value_or(""));
    const auto tokens = file.getStringArray(key::k_tokens);
    s.vocabSize = tokens ? tokens->size() : 0;
    static constexpr std::pair<const char *, std::string_view> k_special[] = {
        {"bos", key::k_bosTokenId},     {"eos", key::k_eosTokenId},       {"eot", key::k_eotTokenId},
        {"eom", key::k_eomTokenId},     {"pad", key::k_paddingTokenId},   {"unk", key::k_unknownTokenId},
        {"sep", key::k_separatorTokenId}, {"mask", key::k_maskTokenId},
    };
    for (const auto &[role, name] : k_special) {
        const auto id = file.getUInt(name);
        // llama.cpp writes -1 (as uint32 0xffffffff) for "none".
        if (!id || *id == 0xffffffffu || *id == UINT64_MAX)
            continue;
        SpecialToken token{role, *id, {}};
        if (tokens && *id < tokens->size())
            token.text = printable((*tokens)[size_t(*id)]);
        s.specialTokens.push_back(std::move(token));
    }
    s.addBos = file.getBool(key::k_addBosToken);
    s.addEos = file.getBool(key::k_addEosToken);
    if (const auto tmpl = file.getString(key::k_chatTemplate)) {
        s.hasChatTemplate = true;
        s.chatTemplateBytes = tmpl->size();
    }
    return s;
}

Result<void> requireSupportedTypes(const File &file)
{
    for (const TensorInfo &t : file.tensors()) {
        const auto info = tensorTypeInfo(t.typeId);
        if (!info || !info->supported)
            return makeError("this model cannot be loaded: tensor " + std::string(t.name) + " has type " +
                             tensorTypeName(t.typeId) + ", which Parlo does not support");
    }
    return {};
}

std::optional<uint64_t> ModelSummary::kvCacheBytes(uint64_t n_ctx) const
{
    if (!n_layer || !n_head_kv || !keyLength || !valueLength)
        return std::nullopt;
    // One F16 key and value vector per layer, KV head and position; absurd metadata that
    // overflows gets no estimate.
    uint64_t bytes = 2;
    for (uint64_t factor : {*n_layer, n_ctx, *n_head_kv, *keyLength + *valueLength}) {
        if (__builtin_mul_overflow(bytes, factor, &bytes))
            return std::nullopt;
    }
    return bytes;
}

uint64_t ModelSummary::defaultContext() const
{
    if (contextLength && *contextLength > 0 && *contextLength < k_defaultContextLength)
        return *contextLength;
    return k_defaultContextLength;
}

} // namespace parlo::gguf
