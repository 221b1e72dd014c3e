// gguf::summarize on writer-made files: hyper-parameter defaults, special tokens, the
// memory estimate and the refusal of unsupported types.
#include "parlo/gguf_summary.h"
#include "parlo/gguf_writer.h"

#include <QtTest>

using namespace parlo;
using namespace parlo::gguf;

namespace {

std::unique_ptr<File> build(Writer &w)
{
    auto file = File::fromBytes(w.toBytes());
    if (!file)
        qFatal("%s", file.error().message.c_str());
    return std::move(file.value());
}

} // namespace

class TestGgufSummary : public QObject
{
    Q_OBJECT

private slots:
    void fileTypeNames()
    {
        QCOMPARE(fileTypeName(0), std::optional<std::string>("F32"));
        QCOMPARE(fileTypeName(15), std::optional<std::string>("Q4_K_M"));
        QCOMPARE(fileTypeName(12), std::optional<std::string>("Q3_K_M"));
        QCOMPARE(fileTypeName(30), std::optional<std::string>("IQ4_XS"));
        QCOMPARE(fileTypeName(32), std::optional<std::string>("BF16"));
        QCOMPARE(fileTypeName(1024 + 7), std::optional<std::string>("Q8_0 (guessed)"));
        QCOMPARE(fileTypeName(5), std::nullopt); // Q4_2, removed
        QCOMPARE(fileTypeName(999), std::nullopt);
    }

    void hyperParametersAndMemory()
    {
        Writer w;
        w.setString("general.architecture", "qwen3");
        w.setUInt32("general.file_type", 999);
        w.setUInt32("qwen3.context_length", 40960);
        w.setUInt32("qwen3.embedding_length", 256);
        w.setUInt32("qwen3.block_count", 3);
        w.setUInt32("qwen3.attention.head_count", 4);
        w.setUInt32("qwen3.attention.key_length", 128);
        w.setUInt32("qwen3.attention.value_length", 96);
        const std::vector<std::string> tokens{"<unk>", "<s>", "a\nb", "<|im_end|>"};
        w.setStringArray("tokenizer.ggml.tokens", tokens);
        w.setString("tokenizer.ggml.model", "gpt2");
        w.setUInt32("tokenizer.ggml.bos_token_id", 1);
        w.setUInt32("tokenizer.ggml.eot_token_id", 3);
        w.setUInt32("tokenizer.ggml.padding_token_id", 0xffffffffu); // none
        w.setUInt32("tokenizer.ggml.unknown_token_id", 2);
        w.setUInt32("tokenizer.ggml.eos_token_id", 77); // outside the vocabulary
        w.setBool("tokenizer.ggml.add_bos_token", false);
        w.setString("tokenizer.chat_template", "{{ messages }}");
        const std::vector<std::byte> q8(34 * 8), f16(2 * 32);
        QVERIFY(w.addTensor("w", {32, 8}, TensorType::Q8_0, q8));
        QVERIFY(w.addTensor("n", {32}, TensorType::F16, f16));
        const ModelSummary s = summarize(*build(w));
        QCOMPARE(s.architecture, std::string("qwen3"));
        QCOMPARE(s.fileType, std::string("unknown (999)"));
        QCOMPARE(s.parameterCount, uint64_t(288));
        QCOMPARE(s.weightBytes, uint64_t(34 * 8 + 64));
        QCOMPARE(s.tensorTypeCounts.at("Q8_0"), uint64_t(1));
        QCOMPARE(s.n_head_kv, std::optional<uint64_t>(4)); // defaults to n_head
        QCOMPARE(s.keyLength, std::optional<uint64_t>(128));
        QCOMPARE(s.defaultContext(), k_defaultContextLength);
        // 3 layers x 4096 x 4 KV heads x (128 + 96) x 2 bytes
        QCOMPARE(s.kvCacheBytes(4096), std::optional<uint64_t>(uint64_t(3) * 4096 * 4 * 224 * 2));
        QCOMPARE(s.kvCacheBytes(UINT64_MAX / 2), std::nullopt); // overflow gives no estimate
        QCOMPARE(s.specialTokens.size(), size_t(4));
        QCOMPARE(s.specialTokens[0].role, std::string("bos"));
        QCOMPARE(s.specialTokens[0].text, std::string("<s>"));
        QCOMPARE(s.specialTokens[1].role, std::string("eos"));
        QCOMPARE(s.specialTokens[1].text, std::string());
        QCOMPARE(s.specialTokens[2].role, std::string("eot"));
        QCOMPARE(s.specialTokens[3].text, std::string("a\\nb"));
        QCOMPARE(s.addBos, std::optional<bool>(false));
        QCOMPARE(s.addEos, std::nullopt);
        QVERIFY(s.hasChatTemplate);
        QCOMPARE(s.chatTemplateBytes, uint64_t(14));
        QVERIFY(s.unsupported.empty() && s.refusal.empty());
        QVERIFY(requireSupportedTypes(*build(w)));
    }

    void missingMetadataAndUnsupportedTypes()
    {
        Writer w;
        const std::vector<std::byte> tq(54), f32(4 * 256 * 2);
        QVERIFY(w.addTensor("a", {256}, TensorType::TQ1_0, tq));
        QVERIFY(w.addTensor("b", {256, 2}, TensorType::F32, f32));
        const ModelSummary s = summarize(*build(w));
        QVERIFY(s.architecture.empty());
        QCOMPARE(s.fileType, std::string("F32")); // most bytes
        QCOMPARE(s.kvCacheBytes(4096), std::nullopt);
        QCOMPARE(s.unsupported.size(), size_t(1));
        QCOMPARE(s.refusal, std::string("tensor a has type TQ1_0, which Parlo does not support"));
        const auto gate = requireSupportedTypes(*build(w));
        QVERIFY(!gate);
        QCOMPARE(gate.error().message,
                 std::string("this model cannot be loaded: tensor a has type TQ1_0, which Parlo does not support"));
    }
};

QTEST_GUILESS_MAIN(TestGgufSummary)
#include "test_gguf_summary.moc"
