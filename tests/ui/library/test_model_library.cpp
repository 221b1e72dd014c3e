// Model folders: Parlo's own, the user's, and other apps' (LM Studio, GPT4All, Hugging Face
// cache with its snapshot symlinks) found under a fake home; split models listed once; the
// same blob reachable twice listed once; unreadable and bogus files reported, not fatal.
#include "library/model_library.h"
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
