// Files from the model maker load in the engine with the shape asked for, and a quantized
// copy predicts like the F32 original.
#include "model_maker.h"
#include "parlo/engine.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace parlo;

class TestModelMaker : public QObject
{
    Q_OBJECT

private slots:
    void writesLoadableModels()
    {
        QTemporaryDir dir;
        tools::LlamaShape s;
        s.n_embd = 256;
        s.n_layer = 2;
        s.n_ff = 512;
        s.n_vocab = 300;
        s.n_ctx = 128;
        std::vector<std::vector<float>> logits;
        for (const char *type : {"F32", "F16", "Q8_0", "Q4_K_M"}) {
            const QString path = dir.filePath(QStringLiteral("m-%1.gguf").arg(type));
            auto w = tools::writeRandomLlama(path.toStdString(), s, type);
            QVERIFY2(w.ok(), w.ok() ? "" : w.error().message.c_str());
            LoadOptions o;
            o.device = "cpu";
            auto e = Engine::load(path.toStdString(), o);
            QVERIFY2(e.ok(), e.ok() ? "" : e.error().message.c_str());
            QCOMPARE((*e)->describe().n_vocab, 300u);
            QCOMPARE((*e)->describe().n_params, tools::parameterCount(s));
            auto l = (*e)->evaluate(std::vector<int32_t>{1, 5, 77, 299});
            QVERIFY(l.ok());
            logits.push_back(*l);
        }
        for (size_t t = 1; t < logits.size(); ++t) {
            double diff = 0;
            for (size_t i = 0; i < logits[0].size(); ++i)
                diff += std::abs(logits[t][i] - logits[0][i]);
            const double limit = t == 3 ? 0.3 : 0.05; // Q4_K_M: 4-bit with a plain min/max quantizer
            QVERIFY2(diff / double(logits[0].size()) < limit, qPrintable(QString::number(diff / double(logits[0].size()))));
        }
        QVERIFY(!tools::writeRandomLlama(dir.filePath("x.gguf").toStdString(), s, "IQ2_XXS").ok());
        s.n_embd = 100; // not a whole number of Q8_0 blocks
        QVERIFY(!tools::writeRandomLlama(dir.filePath("y.gguf").toStdString(), s, "Q8_0").ok());
    }
};

QTEST_GUILESS_MAIN(TestModelMaker)
#include "test_model_maker.moc"
