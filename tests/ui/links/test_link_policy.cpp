// Which links Parlo opens from an answer: web and mail, shown in full first; every other scheme
// (local files, shares, other programs' handlers) is refused with a message that names it.
// LinkOpener.open() decides again, so nothing refused reaches the desktop's URL handlers.
#include "links/link_opener.h"
#include "links/link_policy.h"

#include <QDesktopServices>
#include <QtTest>

using namespace parlo::ui;

class TestLinkPolicy : public QObject
{
    Q_OBJECT

    QList<QUrl> m_opened;

public slots:
    void record(const QUrl &url) { m_opened.append(url); }

private slots:
    void allowed_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QString>("host");
        QTest::newRow("https") << "https://example.org/a?b=c#d" << "https://example.org/a?b=c#d" << "example.org";
        QTest::newRow("http") << "http://127.0.0.1:8080/x" << "http://127.0.0.1:8080/x" << "127.0.0.1";
        QTest::newRow("upper-case scheme") << "HTTPS://Example.org/" << "https://example.org/" << "example.org";
        QTest::newRow("mailto") << "mailto:someone@example.org" << "mailto:someone@example.org"
                                << "someone@example.org";
        // A look-alike host is shown in its ASCII form.
        QTest::newRow("idn") << QStringLiteral("https://ex\u0430mple.org/") << "https://xn--exmple-4nf.org/"
                             << "xn--exmple-4nf.org";
        // A user name before '@' is shown, and the real host is what is named.
        QTest::newRow("userinfo") << "https://bank.example@evil.example/login"
                                  << "https://bank.example@evil.example/login" << "evil.example";
        QTest::newRow("spaces and bidi") << QStringLiteral("https://example.org/a b\u202e")
                                         << "https://example.org/a%20b%E2%80%AE" << "example.org";
    }

    void allowed()
    {
        QFETCH(QString, link);
        QFETCH(QString, shown);
        QFETCH(QString, host);
        const LinkDecision d = decideLink(link);
        QVERIFY2(d.allowed, qPrintable(d.message));
        QCOMPARE(d.shown, shown);
        QCOMPARE(d.host, host);
        QVERIFY(d.message.isEmpty());
    }

    void refused_data()
    {
        QTest::addColumn<QString>("link");
        QTest::addColumn<QString>("named"); // what the message names
        QTest::newRow("file") << "file:///etc/passwd" << "“file:”";
        QTest::newRow("file host") << "file://server/share/x.exe" << "“file:”";
        QTest::newRow("smb") << "smb://fileserver/public" << "“smb:”";
        QTest::newRow("custom handler") << "steam://run/10" << "“steam:”";
        QTest::newRow("javascript") << "javascript:alert(1)" << "“javascript:”";
        QTest::newRow("data") << "data:text/html,<script>x</script>" << "“data:”";
        QTest::newRow("ftp") << "ftp://example.org/x" << "“ftp:”";
        QTest::newRow("relative") << "notes/today.md" << "without a scheme";
        QTest::newRow("no host") << "https:///path" << "names no site";
        QTest::newRow("empty mailto") << "mailto:" << "names no address";
        QTest::newRow("empty") << "" << "not a valid address";
        QTest::newRow("invalid") << "http://exa mple.org:99999/" << "not a valid address";
    }

    void refused()
    {
        QFETCH(QString, link);
        QFETCH(QString, named);
        const LinkDecision d = decideLink(link);
        QVERIFY(!d.allowed);
        QVERIFY2(d.message.contains(named), qPrintable(d.message));
        QVERIFY(!d.url.isValid());
    }

    void openerOpensOnlyWhatIsAllowed()
    {
        for (const char *scheme : {"https", "file", "smb", "steam"})
            QDesktopServices::setUrlHandler(QString::fromLatin1(scheme), this, "record");
        LinkOpener opener;
        QVERIFY(!opener.open(QStringLiteral("file:///etc/passwd")));
        QVERIFY(!opener.open(QStringLiteral("smb://fileserver/public")));
        QVERIFY(!opener.open(QStringLiteral("steam://run/10")));
        QVERIFY(m_opened.isEmpty());
        QVERIFY(opener.open(QStringLiteral("https://example.org/a?b=c")));
        QCOMPARE(m_opened, QList<QUrl>{QUrl(QStringLiteral("https://example.org/a?b=c"))});
        const QVariantMap refused = opener.inspect(QStringLiteral("smb://fileserver/public"));
        QCOMPARE(refused.value("allowed").toBool(), false);
        QCOMPARE(refused.value("shown").toString(), QStringLiteral("smb://fileserver/public"));
        QVERIFY(refused.value("message").toString().contains(QStringLiteral("smb:")));
        for (const char *scheme : {"https", "file", "smb", "steam"})
            QDesktopServices::unsetUrlHandler(QString::fromLatin1(scheme));
    }
};

QTEST_MAIN(TestLinkPolicy)
#include "test_link_policy.moc"
