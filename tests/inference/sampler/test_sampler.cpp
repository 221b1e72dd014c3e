// The sampler chain on distributions whose answers are known in closed form.
#include "parlo/sampler.h"

#include <QtTest>

#include <cmath>

using namespace parlo;

namespace {

// Logits whose softmax is exactly `probs`.
std::vector<float> logitsFor(std::initializer_list<double> probs)
{
    std::vector<float> l;
    for (double p : probs)
        l.push_back(float(std::log(p)));
    return l;
}

SamplerSettings plain(float temp)
{
    SamplerSettings s;
    s.temperature = temp;
    s.top_k = 0;
    s.top_p = 1.0f;
    s.min_p = 0.0f;
    return s;
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT

private slots:
    void greedyTakesArgmaxLowestIdOnTies()
    {
        Sampler s(plain(0.0f));
        QCOMPARE(s.sample(std::vector<float>{1, 5, 3, 5}), 1);
        QCOMPARE(s.sample(std::vector<float>{-2, -1, -3}), 1);
    }

    void topKKeepsK()
    {
        SamplerSettings st = plain(1.0f);
        st.top_k = 2;
        const auto d = Sampler(st).distribution(logitsFor({0.1, 0.4, 0.2, 0.3}));
        QCOMPARE(d.size(), size_t(2));
        QCOMPARE(d[0].id, 1);
        QCOMPARE(d[1].id, 3);
        QVERIFY(std::abs(d[0].p - 4.0f / 7) < 1e-6f);
    }

    void topPStopsAtMass()
    {
        SamplerSettings st = plain(1.0f);
        st.top_p = 0.65f; // 0.4 + 0.3 = 0.7 >= 0.65 after two
        const auto d = Sampler(st).distribution(logitsFor({0.1, 0.4, 0.2, 0.3}));
        QCOMPARE(d.size(), size_t(2));
        QVERIFY(std::abs(d[1].p - 3.0f / 7) < 1e-6f);
    }

    void minPRelativeToBest()
    {
        SamplerSettings st = plain(1.0f);
        st.min_p = 0.45f; // keeps p >= 0.18: ids 1, 3, 2
        const auto d = Sampler(st).distribution(logitsFor({0.1, 0.4, 0.2, 0.3}));
        QCOMPARE(d.size(), size_t(3));
        QCOMPARE(d[2].id, 2);
    }

    void temperatureSharpens()
    {
        // At T = 0.5 probabilities go as p^2: 0.16, 0.09, 0.04, 0.01 over 0.30.
        const auto d = Sampler(plain(0.5f)).distribution(logitsFor({0.1, 0.4, 0.2, 0.3}));
        QCOMPARE(d.size(), size_t(4));
        QVERIFY(std::abs(d[0].p - 0.16f / 0.30f) < 1e-5f);
        QVERIFY(std::abs(d[3].p - 0.01f / 0.30f) < 1e-5f);
    }

    void penaltiesOverWindow()
    {
        SamplerSettings st = plain(0.0f);
        st.repeat_penalty = 2.0f;
        st.penalty_last_n = 2;
        Sampler s(st);
        const std::vector<float> l{3.0f, 2.0f, -1.0f};
        QCOMPARE(s.sample(l), 0);
        s.accept(0); // 3 → 1.5, now below 2
        QCOMPARE(s.sample(l), 1);
        s.accept(1);
        s.accept(2); // window of 2: token 0 has left it
        QCOMPARE(s.sample(l), 0);

        SamplerSettings f = plain(0.0f);
        f.frequency_penalty = 0.6f;
        f.presence_penalty = 0.5f;
        Sampler fs(f);
        fs.accept(0);
        QCOMPARE(fs.sample(std::vector<float>{2.0f, 1.0f}), 1); // 2 - 0.6 - 0.5 = 0.9 < 1
        const auto d = Sampler(plain(1.0f)).distribution(std::vector<float>{2.0f, 1.0f});
        QCOMPARE(d[0].id, 0);
    }

    void seedDeterminesDrawsAndFrequenciesMatch()
    {
        SamplerSettings st = plain(1.0f);
        st.seed = 42;
        const auto l = logitsFor({0.1, 0.4, 0.2, 0.3});
        Sampler a(st), b(st);
        std::vector<int> counts(4);
        std::vector<int32_t> seqA;
        for (int i = 0; i < 20000; ++i) {
            const int32_t ta = a.sample(l);
            QCOMPARE(b.sample(l), ta);
            seqA.push_back(ta);
            counts[ta]++;
        }
        // Within 5 standard deviations of the expected counts.
        const double expected[4] = {0.1, 0.4, 0.2, 0.3};
        for (int i = 0; i < 4; ++i) {
            const double sd = std::sqrt(20000 * expected[i] * (1 - expected[i]));
            QVERIFY2(std::abs(counts[i] - 20000 * expected[i]) < 5 * sd, qPrintable(QString::number(counts[i])));
        }
        a.reset();
        for (int i = 0; i < 100; ++i)
            QCOMPARE(a.sample(l), seqA[i]);
        st.seed = 43;
        Sampler c(st);
        int same = 0;
        for (int i = 0; i < 100; ++i)
            same += c.sample(l) == seqA[i];
        QVERIFY(same < 90);
    }

    void stopStringsHeldBackAndCut()
    {
        StopMatcher m({"</s>", "User:"});
        QCOMPARE(m.feed("Hello <"), std::string("Hello "));
        QCOMPARE(m.feed("/"), std::string());
        QCOMPARE(m.feed("x"), std::string("</x"));
        QCOMPARE(m.feed(" ok Us"), std::string(" ok "));
        QCOMPARE(m.feed("er: more"), std::string());
        QVERIFY(m.stopped());
        QCOMPARE(m.feed("later"), std::string());

        StopMatcher n({"END"});
        QCOMPARE(n.feed("the E"), std::string("the "));
        QCOMPARE(n.flush(), std::string("E"));
        QVERIFY(!n.stopped());
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "test_sampler.moc"
