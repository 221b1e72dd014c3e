// The CPU RMSNorm reference against values worked out by hand.
#include "backend/cpu/cpu_norm.h"

#include <QtTest>

#include <cmath>

class TestCpuNorm : public QObject
{
    Q_OBJECT

private slots:
    void rmsNormByHand()
    {
        // Row [3, 4]: mean of squares 12.5, so scale 1/sqrt(12.5 + eps).
        const std::vector<float> x{3, 4, -1, 1};
        const std::vector<float> w{2, 0.5f};
        std::vector<float> y(4);
        parlo::cpu::rmsNorm(x, w, y, 2, 0.0f);
        const float s = 1.0f / std::sqrt(12.5f);
        QVERIFY(std::abs(y[0] - 3 * s * 2) < 1e-6f);
        QVERIFY(std::abs(y[1] - 4 * s * 0.5f) < 1e-6f);
        // Row [-1, 1]: mean of squares 1, so the scale is 1.
        QVERIFY(std::abs(y[2] - (-1.0f * 2)) < 1e-6f);
        QVERIFY(std::abs(y[3] - 0.5f) < 1e-6f);
    }

    void epsilonKeepsZeroRowsFinite()
    {
        const std::vector<float> x(8, 0.0f);
        std::vector<float> y(8, 1.0f);
        parlo::cpu::rmsNorm(x, {}, y, 8, 1e-6f);
        for (float v : y)
            QCOMPARE(v, 0.0f);
    }
};

QTEST_GUILESS_MAIN(TestCpuNorm)
#include "test_cpu_norm.moc"
