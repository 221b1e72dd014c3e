// bench_storage: how the history feels at 10,000 conversations and 100,000 messages.
// Builds the database (deterministic text with a Zipf word distribution), then times list,
// open and search, printing p50/p95 per operation.
#include "storage/history_store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <vector>

using namespace parlo::storage;

namespace {

class Words
{
public:
    explicit Words(int count)
    {
        static const char *syllables[] = {"ka",  "lo",  "mi",  "ner", "tu",  "sa",  "vel", "do",
                                          "pri", "an",  "ex",  "or",  "qui", "ber", "ta",  "zon",
                                          "ly",  "mar", "cho", "fen", "gra", "his", "ju",  "wo"};
        constexpr int n = int(sizeof(syllables) / sizeof(*syllables));
        QRandomGenerator rng(7);
        QSet<QString> seen;
        while (m_words.size() < count) {
            QString w;
            const int parts = 1 + int(rng.bounded(4)); // 24 + 24² + 24³ + 24⁴ words possible

            for (int i = 0; i < parts; ++i)
                w += QLatin1String(syllables[rng.bounded(n)]);
            if (!seen.contains(w)) {
                seen.insert(w);
                m_words.append(w);
            }
        }
        double sum = 0;
        for (int r = 0; r < count; ++r) {
            sum += 1.0 / (r + 1);
            m_cdf.push_back(sum);
        }
        for (double &c : m_cdf)
            c /= sum;
    }
    const QString &rank(int r) const { return m_words[r]; }
    const QString &pick(QRandomGenerator &rng) const
    {
        const double u = rng.generateDouble();
        const auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), u);
        return m_words[int(std::min<qsizetype>(it - m_cdf.begin(), m_words.size() - 1))];
    }
    QString sentence(QRandomGenerator &rng, int words) const
    {
        QString s;
        for (int i = 0; i < words; ++i) {
            if (i)
                s += (i % 12 == 0) ? QStringLiteral(". ") : QStringLiteral(" ");
            s += pick(rng);
        }
        return s + QLatin1Char('.');
    }

private:
    QStringList m_words;
    std::vector<double> m_cdf;
};

struct Stats
{
    double p50 = 0, p95 = 0, max = 0;
};

Stats timeIt(int iterations, const std::function<void(int)> &body)
{
    std::vector<double> ms;
    for (int i = 0; i < iterations; ++i) {
        QElapsedTimer t;
        t.start();
        body(i);
        ms.push_back(t.nsecsElapsed() / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
    return {at(0.5), at(0.95), ms.back()};
}

void report(const char *what, const Stats &s, const QString &extra = {})
{
    std::printf("%-34s p50 %8.3f ms   p95 %8.3f ms   max %8.3f ms  %s\n", what, s.p50, s.p95, s.max,
                qPrintable(extra));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows up line by line, even in a pipe
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption convOpt("conversations", "Conversations to create.", "n", "10000");
    const QCommandLineOption msgOpt("messages", "Messages in all.", "n", "100000");
    const QCommandLineOption iterOpt("iterations", "Timed runs per operation.", "n", "200");
    const QCommandLineOption dbOpt("db", "Keep the database at this path (default: a temporary folder).",
                                   "path");
    const QCommandLineOption reuseOpt("reuse", "Time an existing --db instead of building one.");
    parser.addOptions({convOpt, msgOpt, iterOpt, dbOpt, reuseOpt});
    parser.process(app);
    const int conversations = qMax(1, parser.value(convOpt).toInt());
    const int messages = qMax(conversations, parser.value(msgOpt).toInt());
    const int iterations = qMax(1, parser.value(iterOpt).toInt());
    QTemporaryDir tmp;
    const QString path = parser.isSet(dbOpt) ? parser.value(dbOpt) : tmp.filePath("bench.sqlite");
    const bool reuse = parser.isSet(reuseOpt) && parser.isSet(dbOpt) && QFileInfo::exists(path);
    if (!reuse)
        QFile::remove(path);

    std::printf("machine: %s, %s, %d hardware threads\n", qPrintable(QSysInfo::prettyProductName()),
                qPrintable(QSysInfo::currentCpuArchitecture()), QThread::idealThreadCount());
    std::printf("history: %d conversations, %d messages\n\n", conversations, messages);

    Words words(20000);
    QRandomGenerator rng(42);
    HistoryStore store;
    if (auto opened = store.open(path); !opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }

    // Build through the import path: one transaction per batch, as a restore would.
    QElapsedTimer build;
    build.start();
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(1700000000000LL, Qt::UTC);
    int made = 0;
    QList<Conversation> batch;
    for (int c = 0; c < conversations && !reuse; ++c) {
        Conversation conv;
        conv.uuid = QStringLiteral("bench-%1").arg(c);
        conv.title = words.sentence(rng, 3 + int(rng.bounded(5)));
        conv.titleIsAuto = false;
        conv.createdAt = start.addSecs(qint64(c) * 600);
        conv.updatedAt = conv.createdAt.addSecs(300);
        conv.pinned = c % 97 == 0;
        conv.model = QStringLiteral("stories260K-Q8_0.gguf");
        // Spread the remaining messages evenly, so the totals come out exact.
        const int count = (messages - made) / (conversations - c);
        for (int m = 0; m < count; ++m) {
            Message msg;
            msg.id = m + 1;
            msg.parentId = m;
            msg.role = m % 2 ? Role::Assistant : Role::User;
            msg.content = words.sentence(rng, m % 2 ? 40 + int(rng.bounded(120)) : 8 + int(rng.bounded(30)));
            msg.createdAt = conv.createdAt.addSecs(m * 10);
            conv.messages.append(msg);
        }
        made += count;
        batch.append(std::move(conv));
        if (batch.size() == 500 || c == conversations - 1) {
            if (auto r = store.importConversations(batch); !r) {
                std::fprintf(stderr, "%s\n", qPrintable(r.error().message));
                return 1;
            }
            batch.clear();
        }
    }
    const double buildS = build.elapsed() / 1000.0;
    store.close();
    if (!reuse)
        std::printf("build: %.1f s (%.0f messages/s), file %.1f MiB\n", buildS, messages / buildS,
                    QFileInfo(path).size() / 1048576.0);

    // A large file gets a header and conversation-table check at open; a full quick_check
    // only when a previous session met damage.
    OpenOptions fullCheck;
    fullCheck.fullCheckBelowBytes = std::numeric_limits<qint64>::max();
    const Stats openFull = timeIt(3, [&](int) {
        store.close();
        (void)store.open(path, fullCheck);
    });
    report("open, full quick_check", openFull);
    const Stats open = timeIt(5, [&](int) {
        store.close();
        (void)store.open(path);
    });
    report("open (WAL, header + table check)", open);

    const Stats list = timeIt(iterations, [&](int) {
        ListQuery q;
        q.limit = 100;
        (void)store.listConversations(q);
    });
    report("list first 100", list);
    const Stats listDeep = timeIt(iterations, [&](int i) {
        ListQuery q;
        q.limit = 100;
        q.offset = (i * 37) % qMax(1, conversations - 100);
        (void)store.listConversations(q);
    });
    report("list 100 at a random offset", listDeep);

    qint64 messagesOpened = 0;
    const Stats openConv = timeIt(iterations, [&](int i) {
        auto c = store.conversation(1 + (qint64(i) * 7919) % conversations);
        messagesOpened += c ? c->messages.size() : 0;
    });
    report("open a conversation", openConv,
           QStringLiteral("(%1 messages each)").arg(messagesOpened / iterations));

    struct Query
    {
        const char *label;
        QString text;
    };
    const QList<Query> queries = {
        {"search: most common word", words.rank(0)},
        {"search: common word (rank 20)", words.rank(20)},
        {"search: mid word (rank 2000)", words.rank(2000)},
        {"search: rare word (rank 15000)", words.rank(15000)},
        {"search: two words", words.rank(30) + QLatin1Char(' ') + words.rank(400)},
        {"search: prefix while typing", words.rank(100).left(3)},
        {"search: no match", QStringLiteral("zzzqqq")},
    };
    for (const Query &q : queries) {
        int hits = 0;
        const Stats s = timeIt(iterations, [&](int) {
            auto r = store.search(q.text, 50);
            hits = r ? int(r->size()) : -1;
        });
        report(q.label, s, QStringLiteral("(\"%1\", %2 hits shown)").arg(q.text).arg(hits));
    }

    // What streaming costs: one throttled update of a growing answer, fsync included.
    auto conv = store.createConversation();
    auto user = store.addMessage(conv->id, 0, Role::User, QStringLiteral("Tell me a story."));
    auto answer = store.beginAssistantMessage(conv->id, user->id, GenerationInfo());
    QString text;
    const Stats update = timeIt(qMin(iterations, 100), [&](int) {
        text += words.sentence(rng, 12);
        (void)store.updateStreamingContent(answer->id, text);
    });
    report("streaming update (synchronous=FULL)", update,
           QStringLiteral("(answer grows to %1 chars)").arg(text.size()));
    return 0;
}
