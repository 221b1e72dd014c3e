// The engine API on real files: refusals with clear messages, the KV cache across turns,
// the context-full policy, seeds, stop flags, and the model file changing under us.
#include "parlo/engine.h"
#include "parlo/gguf.h"
#include "parlo/gguf_writer.h"
#include "gguf_rewrite.h"
#include "test_data.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace parlo;

namespace {

LoadOptions cpuOptions(uint32_t ctx = 0, unsigned threads = 0)
{
    LoadOptions o;
    o.device = "cpu";
    o.contextLength = ctx;
    o.threads = threads;
    return o;
}

GenerateRequest request(std::vector<PromptSegment> prompt, int n, float temp = 0.0f)
{
    GenerateRequest r;
    r.prompt = std::move(prompt);
    r.maxTokens = n;
    r.sampling.temperature = temp;
    r.ignoreEos = true;
    return r;
}

PromptSegment turn(std::vector<int32_t> ids) { return PromptSegment{PromptSegment::Role::Turn, std::move(ids)}; }

bool contains(const Error &e, const char *text) { return e.message.find(text) != std::string::npos; }

bool rewrite(const QString &source, const QString &target, const std::function<void(gguf::Writer &)> &edit)
{
    return parlo::test::rewriteGguf(source, target, edit);
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private slots:
    void describesTheModel()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-Q8_0.gguf");
        std::vector<float> seen;
        LoadOptions o = cpuOptions(100000);
        o.progress = [&](float p) { seen.push_back(p); return true; };
        auto e = Engine::load(path.toStdString(), o);
        QVERIFY2(e.ok(), e.ok() ? "" : e.error().message.c_str());
        const ModelDescription &d = (*e)->describe();
        QCOMPARE(d.architecture, std::string("llama"));
        QCOMPARE(d.n_vocab, 512u);
        QCOMPARE(d.n_layer, 5u);
        QCOMPARE(d.n_head_kv, 4u);
        QCOMPARE(d.n_ctx, 2048u); // capped at the trained length
        QCOMPARE(d.bos_id, 1);
        QCOMPARE(d.eos_id, 2);
        QVERIFY(d.weightTypes.find("Q8_0") != std::string::npos);
        QVERIFY(!seen.empty() && seen.back() == 1.0f);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
    }

    void loadCanBeCancelled()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        LoadOptions o = cpuOptions();
        o.progress = [](float p) { return p < 0.5f; };
        auto e = Engine::load(path.toStdString(), o);
        QVERIFY(!e.ok());
        QVERIFY(contains(e.error(), "cancelled"));
    }

    void refusesUnknownArchitectureAndVulkan()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-F32.gguf");
        // Architectures we do not run are refused by name, whatever else the file holds.
        QTemporaryDir dir;
        const std::pair<const char *, const char *> unsupported[] = {
            {"llama4", "(Llama 4)"}, {"deepseek2", "(DeepSeek V2/V3)"}, {"mamba", "(Mamba (state space))"}};
        for (const auto &[arch, family] : unsupported) {
            const QString path = dir.filePath(QString(arch) + ".gguf");
            QVERIFY(rewrite(stories, path, [&](gguf::Writer &w) { w.setString("general.architecture", arch); }));
            auto e = Engine::load(path.toStdString(), cpuOptions());
            QVERIFY(!e.ok());
            QVERIFY2(contains(e.error(), (std::string("'") + arch + "' is not supported " + family).c_str()), e.error().message.c_str());
            QVERIFY2(contains(e.error(), "Parlo runs llama, "), e.error().message.c_str());
        }
        LoadOptions v = cpuOptions();
        v.device = "vulkan:99"; // an explicit device that cannot be had is an error, never a CPU run
        auto ev = Engine::load(stories.toStdString(), v);
        QVERIFY(!ev.ok());
        QVERIFY(QString::fromStdString(ev.error().message).contains("vulkan", Qt::CaseInsensitive));
        QVERIFY(!Engine::load("/nonexistent/model.gguf", cpuOptions()).ok());
    }

    void refusesShapesContradictingMetadata()
    {
        PARLO_REQUIRE_TEST_FILE(stories, "models/stories260K-F32.gguf");
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.gguf");
        QVERIFY(rewrite(stories, bad, [](gguf::Writer &w) { w.setUInt32("llama.feed_forward_length", 100); }));
        auto e = Engine::load(bad.toStdString(), cpuOptions());
        QVERIFY(!e.ok());
        QVERIFY2(contains(e.error(), "ffn_gate.weight") && contains(e.error(), "[64, 100]"), e.error().message.c_str());
        QVERIFY(rewrite(stories, bad, [](gguf::Writer &w) { w.setUInt32("llama.attention.head_count_kv", 3); }));
        auto e2 = Engine::load(bad.toStdString(), cpuOptions());
        QVERIFY(!e2.ok());
        QVERIFY2(contains(e2.error(), "head_count_kv"), e2.error().message.c_str());
        QVERIFY(rewrite(stories, bad, [](gguf::Writer &w) { w.setUInt32("llama.feed_forward_length", 0); }));
        QVERIFY(!Engine::load(bad.toStdString(), cpuOptions()).ok());
    }

    void rejectsBadTokensAndLongPrompts()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        auto e = Engine::load(path.toStdString(), cpuOptions(16));
        QVERIFY(e.ok());
        Engine &engine = **e;
        auto r = engine.evaluate(std::vector<int32_t>{1, 512});
        QVERIFY(!r.ok());
        QVERIFY2(contains(r.error(), "token id 512 is out of range"), r.error().message.c_str());
        QVERIFY(!engine.evaluate(std::vector<int32_t>{-1}).ok());
        QVERIFY(!engine.generate(request({turn({1, 9999})}, 4), {}).ok());
        auto longPrompt = engine.generate(request({turn(std::vector<int32_t>(20, 5))}, 4), {});
        QVERIFY(!longPrompt.ok());
        QVERIFY2(contains(longPrompt.error(), "more than the context"), longPrompt.error().message.c_str());
        QVERIFY(!engine.evaluate(std::vector<int32_t>(17, 5)).ok());
        // Still usable afterwards.
        QVERIFY(engine.generate(request({turn({1, 403})}, 3), {}).ok());
    }

    void reusesThePrefixAcrossTurns()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        auto e = Engine::load(path.toStdString(), cpuOptions(256));
        QVERIFY(e.ok());
        Engine &engine = **e;
        const std::vector<int32_t> first{1, 403, 407, 261, 378};
        auto s1 = engine.generate(request({turn(first)}, 10), {});
        QVERIFY(s1.ok());
        QCOMPARE(s1->reusedTokens, 0u);
        QCOMPARE(s1->promptTokens, 5u);
        std::vector<int32_t> second = first;
        second.insert(second.end(), s1->tokens.begin(), s1->tokens.end());
        second.insert(second.end(), {13, 1, 403});
        auto s2 = engine.generate(request({turn(second)}, 10), {});
        QVERIFY(s2.ok());
        // Everything but the last generated token (never fed back) was already cached.
        QCOMPARE(s2->reusedTokens, uint32_t(first.size() + s1->tokens.size() - 1));
        engine.reset();
        auto fresh = engine.generate(request({turn(second)}, 10), {});
        QVERIFY(fresh.ok());
        QCOMPARE(fresh->reusedTokens, 0u);
        QCOMPARE(fresh->tokens, s2->tokens);
    }

    void contextFullPolicy()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        auto e = Engine::load(path.toStdString(), cpuOptions(32));
        QVERIFY(e.ok());
        Engine &engine = **e;
        // System 6 + three turns of 8: 30 tokens, more than 32 minus the 4 reserved to answer.
        std::vector<PromptSegment> prompt{{PromptSegment::Role::System, std::vector<int32_t>(6, 300)},
                                          turn(std::vector<int32_t>(8, 301)), turn(std::vector<int32_t>(8, 302)),
                                          turn(std::vector<int32_t>(8, 303))};
        auto s = engine.generate(request(prompt, 4), {});
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
        QCOMPARE(s->droppedTurns, 1u);
        QCOMPARE(s->droppedTokens, 8u);
        QCOMPARE(s->promptTokens, 22u);
        QCOMPARE(s->generatedTokens, 4u);
        // Generating past the end of the context stops and says so.
        auto full = engine.generate(request({turn(std::vector<int32_t>(10, 300))}, 100), {});
        QVERIFY(full.ok());
        QCOMPARE(full->stopReason, StopReason::ContextFull);
        QCOMPARE(full->generatedTokens, 32u - 10u + 1u);
    }

    void seedsAndThreadsAreDeterministic()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-Q4_0.gguf");
        auto one = Engine::load(path.toStdString(), cpuOptions(128, 1));
        auto three = Engine::load(path.toStdString(), cpuOptions(128, 3));
        QVERIFY(one.ok() && three.ok());
        GenerateRequest r = request({turn({1, 403, 407})}, 24, 1.0f);
        r.sampling.seed = 1234;
        auto a = (*one)->generate(r, {});
        auto b = (*three)->generate(r, {});
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->tokens, b->tokens);
        (*one)->reset();
        auto again = (*one)->generate(r, {});
        QCOMPARE(again->tokens, a->tokens);
        r.sampling.seed = 99;
        (*one)->reset();
        auto other = (*one)->generate(r, {});
        QVERIFY(other->tokens != a->tokens);
        const std::vector<int32_t> ids{1, 403, 407, 261, 378, 300, 301};
        QCOMPARE(*(*one)->evaluate(ids), *(*three)->evaluate(ids));
    }

    void stopFlagAndEos()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        auto e = Engine::load(path.toStdString(), cpuOptions(256));
        QVERIFY(e.ok());
        std::atomic<bool> stop{false};
        GenerateRequest r = request({turn({1})}, 50);
        r.stop = &stop;
        int pieces = 0;
        auto s = (*e)->generate(r, [&](const Piece &) {
            if (++pieces == 3)
                stop = true;
        });
        QVERIFY(s.ok());
        QCOMPARE(s->stopReason, StopReason::Cancelled);
        QCOMPARE(s->generatedTokens, 3u);
        QVERIFY(s->timeToFirstTokenMs > 0);
        QVERIFY(s->prefillTokensPerSecond > 0 && s->decodeTokensPerSecond > 0);
        // stories260K never emits its EOS; a copy whose EOS is the greedy run's 6th token
        // must stop there without emitting it.
        const std::vector<int32_t> prompt{1, 403, 407, 261, 378};
        GenerateRequest plain = request({turn(prompt)}, 10);
        (*e)->reset();
        auto run = (*e)->generate(plain, {});
        QVERIFY(run.ok() && run->tokens.size() == 10);
        const int32_t fakeEos = run->tokens[5];
        const int firstAt = int(std::find(run->tokens.begin(), run->tokens.end(), fakeEos) - run->tokens.begin());
        QTemporaryDir dir;
        const QString copy = dir.filePath("eos.gguf");
        QVERIFY(rewrite(path, copy, [&](gguf::Writer &w) { w.setUInt32("tokenizer.ggml.eos_token_id", uint32_t(fakeEos)); }));
        auto withEos = Engine::load(copy.toStdString(), cpuOptions(256));
        QVERIFY(withEos.ok());
        plain.ignoreEos = false;
        auto eos = (*withEos)->generate(plain, {});
        QVERIFY(eos.ok());
        QCOMPARE(eos->stopReason, StopReason::EndOfText);
        QCOMPARE(int(eos->generatedTokens), firstAt);
        plain.ignoreEos = true;
        auto past = (*withEos)->generate(plain, {});
        QCOMPARE(past->tokens, run->tokens);
    }

    void modelFileChangedOrDeletedWhileMapped()
    {
        PARLO_REQUIRE_TEST_FILE(path, "models/stories260K-F32.gguf");
        QTemporaryDir dir;
        const QString copy = dir.filePath("m.gguf");
        QVERIFY(QFile::copy(path, copy));
        auto e = Engine::load(copy.toStdString(), cpuOptions(64));
        QVERIFY(e.ok());
        QVERIFY((*e)->evaluate(std::vector<int32_t>{1, 403}).ok());
        {
            QFile f(copy);
            QVERIFY(f.open(QIODevice::Append));
            f.write("more bytes");
        }
        auto changed = (*e)->evaluate(std::vector<int32_t>{1, 403});
        QVERIFY(!changed.ok());
        QVERIFY2(contains(changed.error(), "changed on disk"), changed.error().message.c_str());

        auto e2 = Engine::load(copy.toStdString(), cpuOptions(64));
        QVERIFY(e2.ok());
        QVERIFY(QFile::remove(copy));
        auto deleted = (*e2)->generate(request({turn({1})}, 2), {});
        QVERIFY(!deleted.ok());
        QVERIFY2(contains(deleted.error(), "deleted"), deleted.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "test_engine.moc"
