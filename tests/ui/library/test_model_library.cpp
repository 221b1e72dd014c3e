// Model folders: Parlo's own, the user's, and other apps' (LM Studio, GPT4All, Hugging Face
// cache with its snapshot symlinks) found under a fake home; split models listed once; the
// same blob reachable twice listed once; unreadable and bogus files reported, not fatal;
// every architecture's family and memory plan, and unsupported or misshapen files flagged.
#include "library/model_library.h"
#include "gguf_rewrite.h"
#include "test_data.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace parlo::app;

class TestModelLibrary : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;
    QString m_model;

    void link(const QString &relative)
    {
        const QString path = m_home.filePath(relative);
        QDir().mkpath(QFileInfo(path).path());
        QVERIFY(QFile::link(m_model, path));
    }

private slots:
    void initTestCase()
    {
        PARLO_REQUIRE_TEST_FILE(model, "models/stories260K-F32.gguf");
        m_model = model;
        QVERIFY(m_home.isValid());
        qputenv("HOME", m_home.path().toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(".local/share").toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(".cache").toUtf8());
        qunsetenv("HF_HOME");
        qunsetenv("HF_HUB_CACHE");
    }

    void foldersOfOtherApps()
    {
        QList<ModelFolder> folders = modelFolders({});
        QCOMPARE(folders.size(), 1); // only Parlo's own, which need not exist yet
        QVERIFY(folders[0].isDefault);
        QCOMPARE(folders[0].path, m_home.filePath(".local/share/parlo/models"));

        link(".cache/lm-studio/models/org/repo/lms-Q4_K_M.gguf");
        link(".local/share/nomic.ai/GPT4All/gpt4all-model.Q8_0.gguf");
        link(".cache/huggingface/hub/models--org--name/snapshots/abc123/name-F16.gguf");
        folders = modelFolders({m_home.filePath("mine"), m_home.filePath("mine/")});
        QStringList sources;
        for (const ModelFolder &f : folders)
            sources << f.source;
        QCOMPARE(sources, (QStringList{"Parlo", "Added by you", "LM Studio", "GPT4All", "Hugging Face"}));
    }

    // In a Flatpak the XDG variables name ~/.var/app/<id>; other apps' folders are the host's,
    // which the manifest grants by their real home paths.
    void flatpakLooksInTheHostsFolders()
    {
        const QString sandbox = m_home.filePath(".var/app/io.github.parlo.Parlo");
        qputenv("FLATPAK_ID", "io.github.parlo.Parlo");
        qputenv("XDG_DATA_HOME", (sandbox + "/data").toUtf8());
        qputenv("XDG_CACHE_HOME", (sandbox + "/cache").toUtf8());
        qunsetenv("HOST_XDG_DATA_HOME");
        qunsetenv("HOST_XDG_CACHE_HOME");
        const QList<ModelFolder> folders = modelFolders({});
        qunsetenv("FLATPAK_ID");
        qputenv("XDG_DATA_HOME", m_home.filePath(".local/share").toUtf8());
        qputenv("XDG_CACHE_HOME", m_home.filePath(".cache").toUtf8());
        QStringList paths;
        for (const ModelFolder &f : folders)
            paths << f.path;
        QVERIFY2(paths.contains(m_home.filePath(".local/share/nomic.ai/GPT4All")), qPrintable(paths.join(", ")));
        QVERIFY2(paths.contains(m_home.filePath(".cache/huggingface/hub")), qPrintable(paths.join(", ")));
    }

    void scanFindsEachModelOnce()
    {
        link(".local/share/parlo/models/stories.gguf");
        link("mine/big-00001-of-00002.gguf");
        link("mine/big-00002-of-00002.gguf");
        QDir().mkpath(m_home.filePath("mine/nested"));
        QFile bogus(m_home.filePath("mine/nested/bogus.gguf"));
        QVERIFY(bogus.open(QIODevice::WriteOnly));
        bogus.write("not a gguf at all");
        bogus.close();
        QFile(m_home.filePath("mine/readme.txt")).open(QIODevice::WriteOnly);

        const QList<ModelFileInfo> models = scanModelFolders(modelFolders({m_home.filePath("mine")}));
        QStringList names;
        for (const ModelFileInfo &m : models)
            names << m.fileName;
        // Every link points at the same file: listed once, from the first folder that has it
        // (Parlo's own); bogus.gguf is a different file.
        QCOMPARE(names, (QStringList{"bogus.gguf", "stories.gguf"}));
        const ModelFileInfo &stories = models[names.indexOf("stories.gguf")];
        QCOMPARE(stories.source, QStringLiteral("Parlo"));
        QCOMPARE(stories.fileSize, QFileInfo(m_model).size());
        if (stories.hasMetadata) {
            QCOMPARE(stories.architecture, QStringLiteral("llama"));
            QCOMPARE(stories.quantization, QStringLiteral("F32"));
            QVERIFY(stories.parameterCount > 200'000 && stories.parameterCount < 320'000);
            QVERIFY(stories.contextLength > 0);
            QVERIFY(stories.error.isEmpty());
            const ModelFileInfo &bad = models[names.indexOf("bogus.gguf")];
            QVERIFY(!bad.error.isEmpty());
        }
    }

    void probeGuessesFromTheFileName()
    {
        const ModelFileInfo info = probeModelFile(m_home.filePath(".cache/lm-studio/models/org/repo/lms-Q4_K_M.gguf"),
                                                  "LM Studio");
        if (!info.hasMetadata)
            QCOMPARE(info.quantization, QStringLiteral("Q4_K_M"));
        QCOMPARE(info.source, QStringLiteral("LM Studio"));
        const ModelFileInfo missing = probeModelFile(m_home.filePath("nope.gguf"));
        QVERIFY(!missing.error.isEmpty());
    }

    void familiesOfTheSyntheticModels_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<QString>("family");
        QTest::newRow("falcon") << "synth-falcon-F32.gguf" << "falcon" << "Falcon";
        QTest::newRow("gemma2") << "synth-gemma2-F32.gguf" << "gemma2" << "Gemma 2";
        QTest::newRow("llama-gqa") << "synth-llama-gqa-F32.gguf" << "llama" << "Llama (also Mistral, Mixtral)";
        QTest::newRow("llama-moe") << "synth-llama-moe-F32.gguf" << "llama" << "Llama (also Mistral, Mixtral)";
        QTest::newRow("olmo") << "synth-olmo-F32.gguf" << "olmo" << "OLMo";
        QTest::newRow("olmo2") << "synth-olmo2-F32.gguf" << "olmo2" << "OLMo 2";
        QTest::newRow("phi3") << "synth-phi3-F32.gguf" << "phi3" << "Phi-3";
        QTest::newRow("qwen2") << "synth-qwen2-F32.gguf" << "qwen2" << "Qwen2";
        QTest::newRow("qwen3") << "synth-qwen3-F32.gguf" << "qwen3" << "Qwen3";
        QTest::newRow("stories260K") << "stories260K-F32.gguf" << "llama" << "Llama (also Mistral, Mixtral)";
    }

    void familiesOfTheSyntheticModels()
    {
        QFETCH(QString, file);
        QFETCH(QString, architecture);
        QFETCH(QString, family);
        PARLO_REQUIRE_TEST_FILE(path, "models/" + file);
        const ModelFileInfo info = probeModelFile(path);
        if (!info.hasMetadata)
            QSKIP("built without the GGUF reader");
        QCOMPARE(info.error, QString());
        QCOMPARE(info.architecture, architecture);
        QCOMPARE(info.family, family);
        QVERIFY(info.supported);
        QCOMPARE(info.unavailableReason(), QString());
        // The engine's plan: every weight (F32 files: the whole data section), plus a context
        // of the trained length up to 4096 tokens.
        QVERIFY(info.weightBytes > 0 && info.weightBytes < info.fileSize);
        QVERIFY(info.weightBytes > info.fileSize * 9 / 10);
        QVERIFY(info.contextBytes > 0);
        QCOMPARE(info.memoryNeeded, info.weightBytes + info.contextBytes);
        QCOMPARE(info.plannedContext, std::min(info.contextLength, 4096));
    }

    void unsupportedAndMisshapenFilesAreFlagged()
    {
        if (!probeModelFile(m_model).hasMetadata)
            QSKIP("built without the GGUF reader");
        for (const char *arch : {"llama4", "deepseek2", "mamba"}) {
            const QString path = m_home.filePath(QStringLiteral("odd/%1.gguf").arg(arch));
            QDir().mkpath(QFileInfo(path).path());
            QVERIFY(parlo::test::rewriteGguf(m_model, path, [&](parlo::gguf::Writer &w) { w.setString("general.architecture", arch); }));
            const ModelFileInfo info = probeModelFile(path);
            QCOMPARE(info.architecture, QString::fromLatin1(arch));
            QVERIFY(!info.supported);
            QVERIFY(!info.family.isEmpty());
            QCOMPARE(info.error, QString()); // the file itself is fine
            QCOMPARE(info.unavailableReason(), QStringLiteral("Not supported: %1").arg(arch));
            QCOMPARE(info.memoryNeeded, 0);
            QVERIFY(info.parameterCount > 0); // still described
        }
        // A supported architecture whose tensors do not match its header: the engine's reason.
        const QString lying = m_home.filePath("odd/lying.gguf");
        QVERIFY(parlo::test::rewriteGguf(m_model, lying, [](parlo::gguf::Writer &w) { w.setUInt32("llama.feed_forward_length", 100); }));
        const ModelFileInfo info = probeModelFile(lying);
        QVERIFY(info.supported);
        QVERIFY2(info.error.contains(u"llama model"), qPrintable(info.error));
        QCOMPARE(info.unavailableReason(), info.error);
        QCOMPARE(info.memoryNeeded, 0);
    }

    void formatting()
    {
        QCOMPARE(formatParameterCount(0), QString());
        QCOMPARE(formatParameterCount(260'000), QStringLiteral("260K"));
        QCOMPARE(formatParameterCount(1'100'000'000), QStringLiteral("1.1B"));
        QCOMPARE(formatParameterCount(70'000'000'000), QStringLiteral("70B"));
        QCOMPARE(formatBytes(1024), QStringLiteral("1.0 KiB"));
        QCOMPARE(formatBytes(qint64(4) << 30), QStringLiteral("4.0 GiB"));
        QCOMPARE(formatBytes(-5), QStringLiteral("0 B"));
    }
};

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "test_model_library.moc"
