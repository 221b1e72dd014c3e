// The first-run page and the model picker in the real QML window, offscreen. With no model
// anywhere, the first-run page names Parlo's models folder and its button opens it (created
// on the way; a QDesktopServices URL handler stands in for the file manager). Then a folder of
// every synthetic architecture plus one the engine does not support: the picker's popup shows
// each model's family and memory plan, and the unsupported one greyed with its reason, refused.
#include "app_context.h"
#include "gguf_rewrite.h"
#include "library/model_library.h"
#include "qml_window_probe.h"
#include "test_data.h"

#include <QDesktopServices>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(ParloPlugin)

using namespace parlo::ui;

// What the desktop would be asked to open.
class UrlReceiver : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public slots:
    void openUrl(const QUrl &url) { urls << url; }
};

class TestGuiModelPicker : public parlo::test::QmlWindowTest
{
    Q_OBJECT

    UrlReceiver m_receiver;
    QString m_llama4;
    QString m_markup; // a model whose general.name is HTML
    // File name → the family the picker must show for it.
    QList<QPair<QString, QString>> m_families = {
        {"synth-falcon-F32.gguf", "Falcon"},     {"synth-gemma2-F32.gguf", "Gemma 2"},
        {"synth-llama-gqa-F32.gguf", "Llama"},   {"synth-llama-moe-F32.gguf", "Llama"},
        {"synth-olmo-F32.gguf", "OLMo"},         {"synth-olmo2-F32.gguf", "OLMo 2"},
        {"synth-phi3-F32.gguf", "Phi-3"},        {"synth-qwen2-F32.gguf", "Qwen2"},
        {"synth-qwen3-F32.gguf", "Qwen3"},
    };

    // The delegate of `row` in the picker's list, scrolled into view.
    QQuickItem *entry(int row)
    {
        QQuickItem *list = item("modelList");
        if (!list)
            return nullptr;
        QMetaObject::invokeMethod(list, "positionViewAtIndex", Q_ARG(int, row), Q_ARG(int, 2 /* ListView.Contain */));
        const QString name = QStringLiteral("modelEntry_%1").arg(row);
        QQuickItem *found = nullptr;
        (void)QTest::qWaitFor([&] {
            for (QObject *o : allObjects()) {
                auto *i = qobject_cast<QQuickItem *>(o);
                if (i && i->objectName() == name && i->isVisible())
                    found = i;
            }
            return found != nullptr;
        }, 5000);
        return found;
    }

    static QString labelText(QQuickItem *entry, const char *name)
    {
        auto *label = entry->findChild<QQuickItem *>(QString::fromLatin1(name));
        return label && label->isVisible() ? label->property("text").toString() : QString();
    }

    void click(QQuickItem *target)
    {
        const QPointF centre = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
        QTest::mouseClick(m_window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // No other app's folders and an empty data home: the first-run situation.
        qputenv("HOME", m_dir.filePath("home").toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath("home/.local/share").toUtf8());
        qputenv("XDG_CACHE_HOME", m_dir.filePath("home/.cache").toUtf8());
        qunsetenv("HF_HOME");
        qunsetenv("HF_HUB_CACHE");
        QDesktopServices::setUrlHandler(QStringLiteral("file"), &m_receiver, "openUrl");

        AppOptions options;
        options.fakeEngine = true;
        options.fakePieceDelayMs = 1;
        QVERIFY(openMainWindow(options));
    }

    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
        closeMainWindow();
    }

    void firstRunOpensTheModelsFolder()
    {
        const QString folder = m_dir.filePath("home/.local/share/parlo/models");
        QCOMPARE(parlo::app::defaultModelsFolder(), folder);
        QVERIFY(!QFileInfo::exists(folder));

        QTRY_VERIFY_WITH_TIMEOUT(!m_app->models()->scanning(), 20000);
        QQuickItem *page = item("firstRunPage");
        QVERIFY(page);
        QTRY_VERIFY(page->isVisible());
        QQuickItem *label = item("modelsFolderLabel");
        QVERIFY(label && label->isVisible());
        QCOMPARE(label->property("text").toString(), folder);

        QQuickItem *open = item("openModelsFolderButton");
        QVERIFY(open && open->isVisible() && open->isEnabled());
        click(open);
        QTRY_COMPARE(m_receiver.urls.size(), 1);
        QCOMPARE(m_receiver.urls.first(), QUrl::fromLocalFile(folder));
        QVERIFY(QFileInfo(folder).isDir()); // created for the user to drop files into

        // Pressing it again opens the same, now existing, folder.
        click(open);
        QTRY_COMPARE(m_receiver.urls.size(), 2);
        QCOMPARE(m_receiver.urls.last(), QUrl::fromLocalFile(folder));
    }

    void pickerShowsEachFamily()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-F32.gguf");
        const QString models = m_dir.filePath("models");
        QVERIFY(QDir().mkpath(models));
        for (const auto &[file, family] : m_families) {
            PARLO_REQUIRE_TEST_FILE(source, "models/" + file);
            QVERIFY(QFile::link(source, QDir(models).filePath(file)));
        }
        m_llama4 = QDir(models).filePath("zz-llama4.gguf");
        QVERIFY(parlo::test::rewriteGguf(stories, m_llama4,
                                         [](parlo::gguf::Writer &w) { w.setString("general.architecture", "llama4"); }));
        m_markup = QDir(models).filePath("zz-markup.gguf");
        QVERIFY(parlo::test::rewriteGguf(stories, m_markup, [](parlo::gguf::Writer &w) {
            w.setString("general.name", "<b>Bold</b> <font color=red>name</font>");
        }));
        m_app->settings()->setModelFolders({models});

        ModelController *controller = m_app->models();
        QTRY_VERIFY_WITH_TIMEOUT(!controller->scanning() && controller->models()->count() == int(m_families.size()) + 2,
                                 20000);
        QTRY_VERIFY(!item("firstRunPage")->isVisible());

        click(item("modelPickerButton"));
        QTRY_VERIFY(item("modelList") && item("modelList")->isVisible());
        for (const auto &[file, family] : m_families) {
            const int row = controller->models()->rowOfPath(QDir(models).filePath(file));
            QVERIFY2(row >= 0, qPrintable(file));
            QQuickItem *delegate = entry(row);
            QVERIFY2(delegate, qPrintable(file));
            QVERIFY(delegate->isEnabled());
            const QString summary = labelText(delegate, "modelSummary");
            QVERIFY2(summary.startsWith(family + (family == u"Llama" ? " (" : " · ")), qPrintable(file + ": " + summary));
            QVERIFY2(windowShows(summary), qPrintable(summary));
            QCOMPARE(labelText(delegate, "modelUnavailable"), QString());
        }
        // Gemma 2's notable features are on its entry.
        QQuickItem *gemma = entry(controller->models()->rowOfPath(QDir(models).filePath("synth-gemma2-F32.gguf")));
        QVERIFY(gemma);
        QTRY_VERIFY(windowShows(QStringLiteral("sliding window 16 (even layers)")));
        QVERIFY(windowShows(QStringLiteral("Needs ")));
    }

    // A name read from a downloaded file is text: its markup is shown, never rendered.
    void markupInAModelNameIsShownAsText()
    {
        if (m_markup.isEmpty())
            QSKIP("no markup entry: pickerShowsEachFamily skipped for missing test data");
        const int row = m_app->models()->models()->rowOfPath(m_markup);
        QVERIFY(row >= 0);
        QQuickItem *delegate = entry(row);
        QVERIFY(delegate);
        QQuickItem *nameLabel = nullptr;
        for (auto *child : delegate->findChildren<QQuickItem *>())
            if (child->property("text").toString() == u"<b>Bold</b> <font color=red>name</font>")
                nameLabel = child;
        QVERIFY2(nameLabel, "no label shows the model's name as written in its file");
        QCOMPARE(nameLabel->property("textFormat").toInt(), 0); // Text.PlainText
    }

    void unsupportedEntryCannotBeChosen()
    {
        ModelController *controller = m_app->models();
        // The llama4 file is made by pickerShowsEachFamily from the test data.
        if (m_llama4.isEmpty())
            QSKIP("no llama4 entry: pickerShowsEachFamily skipped for missing test data");
        const int row = controller->models()->rowOfPath(m_llama4);
        QVERIFY(row >= 0);
        QQuickItem *delegate = entry(row);
        QVERIFY(delegate);
        QVERIFY(!delegate->isEnabled());
        QCOMPARE(labelText(delegate, "modelUnavailable"), QStringLiteral("Not supported: llama4"));
        QVERIFY(labelText(delegate, "modelSummary").startsWith(u"Llama 4 · "));

        click(delegate); // a disabled delegate ignores the click
        QTest::qWait(100);
        QVERIFY(!controller->loading());
        QVERIFY(!controller->modelLoaded());

        // Asked anyway (keyboard path), the picker stays open with the reason in its header.
        QMetaObject::invokeMethod(item("modelPicker"), "choose", Q_ARG(QVariant, row));
        QCOMPARE(controller->loadError(), QStringLiteral("Not supported: llama4"));
        QVERIFY(!controller->loading());
        QTRY_VERIFY(windowShows(QStringLiteral("Could not load: Not supported: llama4")));
        QVERIFY(item("modelList")->isVisible());

        // A supported entry still loads, and its popup closes.
        const int falcon = controller->models()->rowOfPath(m_dir.filePath("models/synth-falcon-F32.gguf"));
        QMetaObject::invokeMethod(item("modelPicker"), "choose", Q_ARG(QVariant, falcon));
        QTRY_VERIFY_WITH_TIMEOUT(controller->modelLoaded(), 20000);
        QCOMPARE(controller->loadError(), QString());
        QTRY_VERIFY(!item("modelList")->isVisible());
    }
};

QTEST_MAIN(TestGuiModelPicker)
#include "test_gui_model_picker.moc"
