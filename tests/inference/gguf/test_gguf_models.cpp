// Every shared GGUF parses; known facts of the real models read back; and the writer
// reproduces llama.cpp's files byte for byte from what the reader returns.
#include "parlo/gguf.h"
#include "parlo/gguf_writer.h"
#include "test_data.h"

#include <QDir>
#include <QElapsedTimer>
#include <QtTest>

using namespace parlo;
using parlo::gguf::File;

namespace {

QStringList allGgufFiles()
{
    QStringList out;
    for (const char *sub : {"models", "vocab"}) {
        const QString dir = parlo::test::testDataFile(sub);
        if (dir.isEmpty())
            continue;
        for (const QString &name : QDir(dir).entryList({"*.gguf"}, QDir::Files))
            out << QDir(dir).filePath(name);
    }
    return out;
}

} // namespace

class TestGgufModels : public QObject
{
    Q_OBJECT

private slots:
    void everySharedFileParses()
    {
        const QStringList files = allGgufFiles();
        if (files.isEmpty())
            QSKIP("no shared GGUF files (PARLO_TEST_DATA)");
        QVERIFY(files.size() >= 50);
        for (const QString &path : files) {
            auto file = File::open(path.toStdString());
            QVERIFY2(file, file ? "" : file.error().message.c_str());
            const File &f = **file;
            QVERIFY(f.version() == 2 || f.version() == 3);
            QVERIFY2(!f.architecture().empty(), qPrintable(path));
            QVERIFY(f.getStringArray("tokenizer.ggml.tokens").has_value());
            for (const auto &t : f.tensors()) {
                QCOMPARE(f.tensorData(t).size(), size_t(t.byteSize));
                QVERIFY(tensorTypeInfo(t.type).has_value());
            }
            if (path.contains("/vocab/"))
                QVERIFY(f.tensors().empty());
            else
                QVERIFY(f.findTensor("token_embd.weight"));
        }
    }

    void storiesFactsReadBack()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-Q4_0.gguf");
        auto file = File::open(path.toStdString());
        QVERIFY(file);
        const File &f = **file;
        QCOMPARE(f.architecture(), std::string_view("llama"));
        QCOMPARE(f.getUInt("llama.block_count"), std::optional<uint64_t>(5));
        QCOMPARE(f.getUInt("llama.embedding_length"), std::optional<uint64_t>(64));
        QCOMPARE(f.getUInt("llama.attention.head_count"), std::optional<uint64_t>(8));
        QCOMPARE(f.getUInt("llama.attention.head_count_kv"), std::optional<uint64_t>(4));
        QCOMPARE(f.getUInt("llama.feed_forward_length"), std::optional<uint64_t>(172));
        QCOMPARE(f.getString("tokenizer.ggml.model"), std::optional<std::string_view>("llama"));
        QCOMPARE(f.getStringArray("tokenizer.ggml.tokens")->size(), size_t(512));
        QCOMPARE(f.getFloatArray("tokenizer.ggml.scores")->size(), size_t(512));
        QCOMPARE(f.alignment(), uint64_t(32));
        QCOMPARE(f.dataOffset() % 32, uint64_t(0));
        const auto *embd = f.findTensor("token_embd.weight");
        QVERIFY(embd);
        QCOMPARE(embd->shape, (std::vector<uint64_t>{64, 512}));
        QCOMPARE(f.findTensor("blk.0.ffn_down.weight")->type, TensorType::F16);
        QCOMPARE(f.findTensor("blk.0.ffn_down.weight")->shape, (std::vector<uint64_t>{172, 64}));
        QCOMPARE(f.findTensor("output.weight")->type, TensorType::Q8_0);
        QCOMPARE(f.findTensor("blk.4.attn_q.weight")->type, TensorType::Q4_0);
        QCOMPARE(f.findTensor("blk.4.attn_q.weight")->byteSize, uint64_t(64 * 64 / 32 * 18));
        QCOMPARE(f.findTensor("output_norm.weight")->type, TensorType::F32);
    }

    void writerReproducesFilesByteForByte()
    {
        const QStringList files = allGgufFiles();
        if (files.isEmpty())
            QSKIP("no shared GGUF files (PARLO_TEST_DATA)");
        int identical = 0;
        for (const QString &path : files) {
            auto file = File::open(path.toStdString());
            QVERIFY(file);
            const File &f = **file;
            gguf::Writer w;
            for (const auto &kv : f.metadata())
                w.setValue(kv.key, kv.value);
            if (auto a = f.getUInt("general.alignment"))
                QVERIFY(w.setAlignment(uint32_t(*a)));
            for (const auto &t : f.tensors())
                QVERIFY(w.addTensor(t.name, t.shape, t.type, f.tensorData(t)));
            const std::vector<std::byte> bytes = w.toBytes();
            QFile original(path);
            QVERIFY(original.open(QIODevice::ReadOnly));
            const QByteArray expected = original.readAll();
            // llama.cpp pads the last tensor; vocabulary-only files may end unpadded.
            QVERIFY2(bytes.size() >= size_t(expected.size()), qPrintable(path));
            QVERIFY2(std::memcmp(bytes.data(), expected.constData(), size_t(expected.size())) == 0,
                     qPrintable(path + " differs from the writer's output"));
            ++identical;
        }
        QCOMPARE(identical, files.size());
    }

    void realModelTruncatedAnywhereFails()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-Q4_0.gguf");
        QFile original(path);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray bytes = original.readAll();
        const auto all = std::as_bytes(std::span(bytes.constData(), size_t(bytes.size())));
        auto full = File::fromBytes(all);
        QVERIFY(full);
        uint64_t dataEnd = 0;
        for (const auto &t : (*full)->tensors())
            dataEnd = std::max(dataEnd, (*full)->dataOffset() + t.offset + t.byteSize);
        // Every cut inside the header, then 300 cuts spread over the tensor data.
        std::vector<size_t> cuts;
        for (size_t c = 0; c <= (*full)->dataOffset(); ++c)
            cuts.push_back(c);
        for (size_t k = 1; k <= 300; ++k)
            cuts.push_back(size_t((*full)->dataOffset() + (dataEnd - (*full)->dataOffset()) * k / 301));
        cuts.push_back(size_t(dataEnd - 1));
        for (size_t cut : cuts) {
            auto file = File::fromBytes(all.first(cut));
            QVERIFY2(!file, qPrintable(QString("cut at %1 of %2 parsed").arg(cut).arg(bytes.size())));
        }
    }

    void parseTimeOfTheBiggestModel()
    {
        PARLO_REQUIRE_TEST_FILE(path, "vocab/ggml-vocab-deepseek-llm.gguf");
        QElapsedTimer timer;
        timer.start();
        auto file = File::open(path.toStdString());
        QVERIFY(file);
        qInfo("parsed %s (%zu metadata keys, %zu tokens) in %.2f ms", qPrintable(path), (*file)->metadata().size(),
              (*file)->getStringArray("tokenizer.ggml.tokens")->size(), double(timer.nsecsElapsed()) / 1e6);
    }
};

QTEST_GUILESS_MAIN(TestGgufModels)
#include "test_gguf_models.moc"
