// Rendering never reaches the network. A loopback server counts every connection while the real
// QML window shows an answer full of hostile Markdown (images, <img>, CSS url(), <link>
// prefetch and stylesheets, in paragraphs, lists, quotes and tables), the way a prompt
// injection or an imported conversation would try to exfiltrate data: not one connection may
// arrive. The engine's own network manager and a QML Image are tried directly as well.
#include "app_context.h"
#include "chat/sqlite_conversation_repository.h"
#include "qml_window_probe.h"

#include <QDesktopServices>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

Q_IMPORT_QML_PLUGIN(ParloPlugin)

using namespace parlo::ui;

namespace {

// Counts connections and remembers the first line each one sent, to say what leaked.
class CountingServer : public QObject
{
public:
    QTcpServer server;
    int connections = 0;
    QStringList requests;

    bool start()
    {
        connect(&server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                ++connections;
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    requests.append(QString::fromLatin1(socket->readLine()).trimmed());
                    socket->disconnectFromHost();
                });
            }
        });
        return server.listen(QHostAddress::LocalHost);
    }
    QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort()); }
    QString report() const
    {
        return QStringLiteral("%1 connection(s): %2").arg(connections).arg(requests.join(QStringLiteral("; ")));
    }
};

QString hostileMarkdown(const QString &b)
{
    return QStringLiteral(
               "Here is the chart: ![chart](%1/leak?pin=4711)\n\n"
               "<img src=\"%1/img-block\">\n\n"
               "Inline <img src=\"%1/img-inline\" alt=\"x\"> tag.\n\n"
               "<span style=\"background-image: url(%1/css-span)\">styled</span>\n\n"
               "<div style=\"background: url('%1/css-div')\">div</div>\n\n"
               "<style>p { background-image: url(%1/css-style) }</style>\n\n"
               "<link rel=\"prefetch\" href=\"%1/prefetch\">\n"
               "<link rel=\"stylesheet\" href=\"%1/stylesheet.css\">\n\n"
               "| a | b |\n|---|---|\n| ![cell](%1/table-img) | <img src=\"%1/table-tag\"> |\n\n"
               "![by reference][pic] and ![pic]\n\n[pic]: %1/reference\n\n"
               "- a list ![item](%1/list-img)\n\n"
               "> a quote ![q](%1/quote-img)\n\n"
               "<b><img src=\"%1/nested\"></b> and <table background=\"%1/table-bg\"><tr><td>t</td></tr></table>\n\n"
               "<!-- <img src=\"%1/comment\"> --> ![a ![inner](%1/inner)](%1/outer)\n\n"
               "The end of the hostile answer.")
        .arg(b);
}

} // namespace

class TestGuiNoNetwork : public parlo::test::QmlWindowTest
{
    Q_OBJECT

    CountingServer m_server;
    QList<QUrl> m_opened; // what reached QDesktopServices::openUrl

public slots:
    void recordOpened(const QUrl &url) { m_opened.append(url); }

private:
    // A stored question and `answerText` in the history the window opens with.
    static void addConversation(parlo::app::ConversationRepository &repo, const QString &title,
                                const QString &answerText)
    {
        const qint64 id = repo.createConversation(title);
        parlo::app::StoredMessage question;
        question.conversationId = id;
        question.role = QStringLiteral("user");
        question.content = QStringLiteral("A question");
        const qint64 questionId = repo.addMessage(question);
        parlo::app::StoredMessage answer;
        answer.conversationId = id;
        answer.parentId = questionId;
        answer.role = QStringLiteral("assistant");
        answer.content = answerText;
        repo.setCurrentLeaf(id, repo.addMessage(answer));
    }

    QString hostileTitle() const { return QStringLiteral("Hostile <img src=\"%1/title\"> answer").arg(m_server.base()); }

    // The rendered text item that shows `needle`, its character index in `at`.
    QQuickItem *textShowing(const QString &needle, int &at)
    {
        for (QObject *o : allObjects()) {
            auto *i = qobject_cast<QQuickItem *>(o);
            if (!i || !i->isVisible() || !i->inherits("QQuickTextEdit"))
                continue;
            QString shown;
            QMetaObject::invokeMethod(i, "getText", Q_RETURN_ARG(QString, shown), Q_ARG(int, 0),
                                      Q_ARG(int, i->property("length").toInt()));
            at = int(shown.indexOf(needle));
            if (at >= 0)
                return i;
        }
        return nullptr;
    }

    // Clicks, with the mouse, the character `offset` after the start of `needle`.
    bool clickText(const QString &needle, int offset = 2)
    {
        int at = -1;
        QQuickItem *text = textShowing(needle, at);
        if (!text)
            return false;
        QRectF rect;
        QMetaObject::invokeMethod(text, "positionToRectangle", Q_RETURN_ARG(QRectF, rect), Q_ARG(int, at + offset));
        const QPointF local = rect.center() + QPointF(1, 0);
        QString link;
        QMetaObject::invokeMethod(text, "linkAt", Q_RETURN_ARG(QString, link), Q_ARG(qreal, local.x()),
                                  Q_ARG(qreal, local.y()));
        if (link.isEmpty())
            return false;
        const QPoint point = text->mapToScene(local).toPoint();
        QTest::mouseMove(m_window, point);
        QTest::mousePress(m_window, Qt::LeftButton, Qt::NoModifier, point);
        QTest::mouseRelease(m_window, Qt::LeftButton, Qt::NoModifier, point, 50);
        return true;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        QVERIFY(m_dir.isValid());
        // Any .gguf is listed (this one as unreadable), so the window shows the chat, not the
        // first-run page.
        QDir(m_dir.path()).mkpath("models");
        QFile stand(m_dir.filePath("models/listed.gguf"));
        QVERIFY(stand.open(QIODevice::WriteOnly));
        stand.write("not a model");
        stand.close();
        makeSettings(m_dir.filePath("models"));
        // What an imported conversation or a prompt-injected answer could hold.
        const QString history = m_dir.filePath("history.db");
        {
            parlo::app::SqliteConversationRepository repo;
            QVERIFY(repo.open(history).ok());
            addConversation(repo, hostileTitle(), hostileMarkdown(m_server.base()));
            addConversation(repo, QStringLiteral("Links"),
                            QStringLiteral("Read [the web page](https://example.org/a?b=c#d) or [the file](file:///etc/passwd) "
                                           "or [the share](smb://fileserver/public) or [the game](steam://run/10).\n\n"
                                           "The end of the links."));
        }
        AppOptions options;
        options.fakeEngine = true;
        options.historyPath = history;
        QVERIFY(openMainWindow(options));
        QDesktopServices::setUrlHandler(QStringLiteral("https"), this, "recordOpened");
        QDesktopServices::setUrlHandler(QStringLiteral("file"), this, "recordOpened");
    }

    void cleanupTestCase()
    {
        QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
        QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
        closeMainWindow();
    }

    void hostileAnswerFetchesNothing()
    {
        // The title is shown in the sidebar and the top bar too: as text, not as HTML.
        QTRY_VERIFY(visibleItem("conversationEntry", hostileTitle()));
        QVERIFY(clickConversation(hostileTitle()));
        QTRY_VERIFY_WITH_TIMEOUT(windowShows(QStringLiteral("The end of the hostile answer.")), 10000);
        // Loads are asynchronous: give them time, and relayout at another width.
        QTest::qWait(1500);
        m_window->setWidth(m_window->width() - 200);
        QTest::qWait(1500);
        QVERIFY2(m_server.connections == 0, qPrintable(m_server.report()));
        // Images became links that say where they point.
        int at = -1;
        QTRY_VERIFY(textShowing(QStringLiteral("image: chart → %1/leak?pin=4711").arg(m_server.base()), at));
        QVERIFY2(m_qmlWarnings.isEmpty(), qPrintable(m_qmlWarnings.join(u'\n')));
    }

    void engineManagerRefusesTheNetwork()
    {
        QNetworkAccessManager *manager = m_engine->networkAccessManager();
        QVERIFY(manager);
        QNetworkReply *reply = manager->get(QNetworkRequest(QUrl(m_server.base() + QStringLiteral("/manager"))));
        QTRY_VERIFY(reply->isFinished());
        QVERIFY(reply->error() != QNetworkReply::NoError);
        reply->deleteLater();
        QTest::qWait(300);
        QVERIFY2(m_server.connections == 0, qPrintable(m_server.report()));
    }

    void qmlImageCannotLoadFromTheNetwork()
    {
        QQmlComponent component(m_engine.get());
        component.setData(QStringLiteral("import QtQuick\nImage { source: \"%1/image.png\" }")
                              .arg(m_server.base())
                              .toUtf8(),
                          QUrl());
        std::unique_ptr<QObject> image(component.create());
        QVERIFY2(image, qPrintable(component.errorString()));
        QTRY_COMPARE(image->property("status").toInt(), 3); // Image.Error
        QTest::qWait(300);
        QVERIFY2(m_server.connections == 0, qPrintable(m_server.report()));
        // The refusal says why; it is the only warning this test expects.
        QTRY_VERIFY(!m_qmlWarnings.isEmpty());
        for (const QString &warning : std::as_const(m_qmlWarnings))
            QVERIFY2(warning.contains(QStringLiteral("never comes from the network")), qPrintable(warning));
        m_qmlWarnings.clear();
    }

    void linksAskOrRefuse()
    {
        QVERIFY(clickConversation(QStringLiteral("Links")));
        QTRY_VERIFY_WITH_TIMEOUT(windowShows(QStringLiteral("The end of the links.")), 10000);

        // A web link opens only after the full address was shown and confirmed.
        QVERIFY(clickText(QStringLiteral("the web page")));
        QTRY_VERIFY(item<QObject>("linkDialog") && item<QObject>("linkDialog")->property("visible").toBool());
        QVERIFY(windowShows(QStringLiteral("https://example.org/a?b=c#d")));
        QVERIFY(m_opened.isEmpty());
        QMetaObject::invokeMethod(item<QObject>("linkDialog"), "accept");
        QTRY_COMPARE(m_opened.size(), 1);
        QCOMPARE(m_opened.first(), QUrl(QStringLiteral("https://example.org/a?b=c#d")));
        QTRY_VERIFY(!item<QObject>("linkDialog")->property("visible").toBool());

        // Cancelling opens nothing.
        QVERIFY(clickText(QStringLiteral("the web page")));
        QTRY_VERIFY(item<QObject>("linkDialog")->property("visible").toBool());
        QMetaObject::invokeMethod(item<QObject>("linkDialog"), "reject");
        QTRY_VERIFY(!item<QObject>("linkDialog")->property("visible").toBool());

        // Other schemes are refused with a message that names them, and never opened.
        for (const QString &name : {QStringLiteral("the file"), QStringLiteral("the share"), QStringLiteral("the game")}) {
            QVERIFY(clickText(name));
            QTRY_VERIFY(item<QObject>("linkDialog")->property("visible").toBool());
            QVERIFY(item<QObject>("linkDialog")->property("refused").toBool());
            QVERIFY(windowShows(QStringLiteral("Parlo does not open")));
            QMetaObject::invokeMethod(item<QObject>("linkDialog"), "reject");
            QTRY_VERIFY(!item<QObject>("linkDialog")->property("visible").toBool());
        }
        QTest::qWait(200);
        QCOMPARE(m_opened.size(), 1);
        QVERIFY2(m_qmlWarnings.isEmpty(), qPrintable(m_qmlWarnings.join(u'\n')));
    }
};

QTEST_MAIN(TestGuiNoNetwork)
#include "test_gui_no_network.moc"
