// parlo-cli info on every shared GGUF, checked against what the reader says; and clear
// failures for bad files.
#include "parlo/gguf.h"
#include "process_run.h"
#include "parlo/gguf_writer.h"
#include "test_data.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = parlo::test::ProcessRun;

Run runCli(const QStringList &args) { return parlo::test::runProcess(PARLO_CLI_PATH, args); }

// The value printed after "Label:" on its own line.
QString field(const QString &out, const QString &label)
{
    const auto m = QRegularExpression("^" + QRegularExpression::escape(label) + ":\\s+(.*)$",
                                      QRegularExpression::MultilineOption)
                       .match(out);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

class TestCliInfo : public QObject
{
    Q_OBJECT

private slots:
    void describesEverySharedFile()
    {
        QStringList files;
        for (const char *sub : {"models", "vocab"}) {
            const QString dir = parlo::test::testDataFile(sub);
            for (const QString &name : QDir(dir).entryList({"*.gguf"}, QDir::Files))
                files << QDir(dir).filePath(name);
        }
        if (files.isEmpty())
            QSKIP("no shared GGUF files (PARLO_TEST_DATA)");
        for (const QString &path : files) {
            const Run run = runCli({"info", path});
            QVERIFY2(run.exitCode == 0, qPrintable(path + ": " + run.err));
            auto file = parlo::gguf::File::open(path.toStdString());
            QVERIFY(file);
            const auto &f = **file;
            const QString arch = QString::fromStdString(std::string(f.architecture()));
            QCOMPARE(field(run.out, "Architecture"), arch);
            uint64_t params = 0;
            for (const auto &t : f.tensors())
                params += t.elementCount();
            QVERIFY2(field(run.out, "Parameters").endsWith("(" + QString::number(params) + ")"), qPrintable(path));
            const std::string a = arch.toStdString() + ".";
            QCOMPARE(field(run.out, "Layers"), QString::number(*f.getUInt(a + "block_count")));
            QCOMPARE(field(run.out, "Embedding"), QString::number(*f.getUInt(a + "embedding_length")));
            QCOMPARE(field(run.out, "Context length"), QString::number(*f.getUInt(a + "context_length")));
            QVERIFY2(field(run.out, "Heads").startsWith(QString::number(*f.getUInt(a + "attention.head_count")) +
                                                        " (KV heads "),
                     qPrintable(run.out));
            QVERIFY(field(run.out, "Tokenizer").startsWith(QString::fromUtf8(f.getString("tokenizer.ggml.model")->data(),
                                                                             int(f.getString("tokenizer.ggml.model")->size()))));
            QVERIFY(field(run.out, "Memory").contains("F16 KV cache"));
            QVERIFY(!run.out.contains("cannot be loaded"));
            // synth-<arch>-<TYPE>.gguf: the file type is the name's suffix.
            const QString base = QFileInfo(path).completeBaseName();
            if (base.startsWith("synth-") || base.startsWith("stories260K-"))
                QVERIFY2(field(run.out, "File type").startsWith(base.section('-', -1) + " (general.file_type "),
                         qPrintable(path + ": " + field(run.out, "File type")));
        }
    }

    void knownFactsOfSharedModels()
    {
        PARLO_REQUIRE_TEST_FILE(falcon, "models/synth-falcon-Q4_K_M.gguf");
        Run run = runCli({"info", falcon});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(field(run.out, "Heads").startsWith("4 (KV heads 1, key/value length 64/64)"), qPrintable(run.out));
        QCOMPARE(field(run.out, "Special tokens"),
                 QStringLiteral("bos 510 \"<|endoftext|>\", eos 510 \"<|endoftext|>\", pad 511 \"<|pad|>\""));
        QVERIFY(field(run.out, "Tokenizer").startsWith("gpt2, pre-tokenizer falcon, 512 tokens"));
        QVERIFY(run.out.contains(QRegularExpression("^  Q4_K +\\d+ tensors", QRegularExpression::MultilineOption)));
        // 2 layers x 2048 tokens x 1 KV head x (64 + 64) x 2 bytes = 1 MiB.
        QVERIFY2(field(run.out, "Memory").contains("F16 KV cache 1.00 MiB for 2048 tokens (the model's trained context"),
                 qPrintable(field(run.out, "Memory")));
        run = runCli({"info", "--context", "8192", falcon});
        QVERIFY(field(run.out, "Memory").contains("F16 KV cache 4.00 MiB for 8192 tokens (as requested)"));

        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-Q4_0.gguf");
        run = runCli({"info", stories});
        QCOMPARE(field(run.out, "Name"), QStringLiteral("llama"));
        QCOMPARE(field(run.out, "Parameters"), QStringLiteral("292.8 K (292800)"));
        QVERIFY(run.out.contains(QRegularExpression("^  Q8_0 +1 tensors", QRegularExpression::MultilineOption)));
        QCOMPARE(field(run.out, "Chat template"), QStringLiteral("no"));

        PARLO_REQUIRE_TEST_FILE(vocab, "vocab/ggml-vocab-deepseek-llm.gguf");
        run = runCli({"info", vocab});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(field(run.out, "Tokenizer").contains("pre-tokenizer deepseek-llm"));
        QVERIFY(field(run.out, "Tensor types").contains("vocabulary-only"));
    }

    void namesFamilyAndFeatures()
    {
        PARLO_REQUIRE_TEST_FILE(gemma, "models/synth-gemma2-F32.gguf");
        Run run = runCli({"info", gemma});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(field(run.out, "Family"), QStringLiteral("Gemma 2"));
        const QString features = field(run.out, "Features");
        for (const char *f : {"sliding window 16 (even layers)", "attention soft-cap 10", "final soft-cap 15", "GeGLU"})
            QVERIFY2(features.contains(f), qPrintable(features));
        PARLO_REQUIRE_TEST_FILE(moe, "models/synth-llama-moe-F32.gguf");
        run = runCli({"info", moe});
        QVERIFY2(field(run.out, "Features").contains("mixture of experts: 4 experts, 2 used"), qPrintable(run.out));
        PARLO_REQUIRE_TEST_FILE(falcon, "models/synth-falcon-F32.gguf");
        run = runCli({"info", falcon});
        QCOMPARE(field(run.out, "Family"), QStringLiteral("Falcon"));
        QVERIFY(field(run.out, "Features").contains("multi-query attention"));

        // An architecture the engine does not run keeps its name and says so.
        QTemporaryDir dir;
        for (const auto &[arch, family] : {std::pair{"mamba", "Mamba (state space)"}, {"llama4", "Llama 4"}}) {
            parlo::gguf::Writer w;
            w.setString("general.architecture", arch);
            const QString path = dir.filePath(QString(arch) + ".gguf");
            QVERIFY(w.writeFile(path.toStdString()).ok());
            run = runCli({"info", path});
            QCOMPARE(run.exitCode, 0);
            QCOMPARE(field(run.out, "Family"), QString(family) + " (not supported by Parlo's engine)");
        }
    }

    void unsupportedTypeIsNamed()
    {
        QTemporaryDir dir;
        parlo::gguf::Writer w;
        w.setString("general.architecture", "llama");
        w.setString("general.name", "iq2 test");
        w.setUInt32("general.file_type", 19);
        w.setUInt32("llama.block_count", 1);
        const std::vector<std::byte> f32(256 * 4), iq2(66 * 2);
        QVERIFY(w.addTensor("token_embd.weight", {256}, parlo::TensorType::F32, f32));
        QVERIFY(w.addTensor("blk.0.attn_q.weight", {256, 2}, parlo::TensorType::IQ2_XXS, iq2));
        const QString path = dir.filePath("iq2.gguf");
        QVERIFY(w.writeFile(path.toStdString()));
        const Run run = runCli({"info", path});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(field(run.out, "File type"), QStringLiteral("IQ2_XXS (general.file_type 19)"));
        QVERIFY(run.out.contains("  blk.0.attn_q.weight: IQ2_XXS\n"));
        QVERIFY2(run.out.contains("this model cannot be loaded: tensor blk.0.attn_q.weight has type IQ2_XXS, which "
                                  "Parlo does not support\n"),
                 qPrintable(run.out));
        QVERIFY(field(run.out, "Memory").contains("no KV cache estimate"));
    }

    void badFilesFailClearly()
    {
        QTemporaryDir dir;
        const Run missing = runCli({"info", dir.filePath("missing.gguf")});
        QCOMPARE(missing.exitCode, 1);
        // Checked before anything opens the path (a FIFO or a folder is refused the same way).
        QVERIFY2(missing.err.contains("missing.gguf does not exist"), qPrintable(missing.err));
        QVERIFY(missing.out.isEmpty());

        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-Q8_0.gguf");
        QFile source(model);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QString cut = dir.filePath("cut.gguf");
        QFile out(cut);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(source.read(source.size() / 2));
        out.close();
        const Run truncated = runCli({"info", cut});
        QCOMPARE(truncated.exitCode, 1);
        QVERIFY2(truncated.err.contains(cut + ": ") && truncated.err.contains("outside the file"),
                 qPrintable(truncated.err));

        const QString text = dir.filePath("text.gguf");
        QFile t(text);
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write("hello, not a model\n");
        t.close();
        const Run notGguf = runCli({"info", text});
        QCOMPARE(notGguf.exitCode, 1);
        QVERIFY(notGguf.err.contains("not a GGUF file"));

        QCOMPARE(runCli({"info"}).exitCode, 2);
        QCOMPARE(runCli({"info", model, "--context", "zero"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliInfo)
#include "test_cli_info.moc"
