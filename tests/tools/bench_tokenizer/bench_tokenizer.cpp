// Tokenizer throughput on ~1 MB of English (texts/story.txt repeated), encode and decode, for a
// SentencePiece and byte-level BPE vocabularies; then 1 MB of each kind of long run (digits,
// letters, spaces, punctuation, CJK, emoji, mixed) through every pre-tokenizer, because one
// quadratic matcher turns a pasted number into a frozen chat. Prints MB/s; run it on an idle
// machine.
//
//   parlo_bench_tokenizer [test-data-folder]   (default: $PARLO_TEST_DATA, else ../shared)
#include "parlo/gguf.h"
#include "parlo/tokenizer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

namespace {

std::string readFile(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void bench(const std::string &label, const std::string &path, const std::string &text, const char *preOverride)
{
    auto file = parlo::gguf::File::open(path);
    if (!file) {
        std::printf("%-34s skipped: %s\n", label.c_str(), file.error().message.c_str());
        return;
    }
    auto vocabulary = parlo::vocabularyFromGguf(**file);
    if (!vocabulary) {
        std::printf("%-34s skipped: %s\n", label.c_str(), vocabulary.error().message.c_str());
        return;
    }
    if (preOverride)
        vocabulary->preTokenizer = preOverride;
    auto tokenizer = parlo::Tokenizer::create(std::move(vocabulary).value());
    if (!tokenizer) {
        std::printf("%-34s skipped: %s\n", label.c_str(), tokenizer.error().message.c_str());
        return;
    }
    const parlo::Tokenizer &t = **tokenizer;
    const double mb = static_cast<double>(text.size()) / 1e6;
    double bestEncode = 1e9, bestDecode = 1e9;
    std::size_t nTokens = 0;
    for (int run = 0; run < 5; ++run) {
        auto start = std::chrono::steady_clock::now();
        auto ids = t.encode(text);
        bestEncode = std::min(bestEncode, seconds(start));
        nTokens = ids->size();
        start = std::chrono::steady_clock::now();
        const std::string back = t.decode(*ids);
        bestDecode = std::min(bestDecode, seconds(start));
        if (back != text)
            std::printf("%-34s WARNING: decode(encode(text)) != text\n", label.c_str());
    }
    std::printf("%-34s %8zu tokens  encode %7.2f MB/s  decode %8.1f MB/s\n", label.c_str(), nTokens, mb / bestEncode,
                mb / bestDecode);
}

} // namespace

int main(int argc, char **argv)
{
    std::string data = argc > 1 ? argv[1] : (std::getenv("PARLO_TEST_DATA") ? std::getenv("PARLO_TEST_DATA") : "../shared");
    const std::string story = readFile(data + "/texts/story.txt");
    if (story.empty()) {
        std::fprintf(stderr, "cannot read %s/texts/story.txt\n", data.c_str());
        return 1;
    }
    std::string text;
    while (text.size() < 1000000)
        text += story;
    std::printf("text: %zu bytes (story.txt x %zu); best of 5 runs; %u hardware threads\n", text.size(),
                text.size() / story.size(), std::thread::hardware_concurrency());
    bench("SPM llama-spm (32k)", data + "/vocab/ggml-vocab-llama-spm.gguf", text, nullptr);
    bench("SPM stories260K (512)", data + "/models/stories260K-F32.gguf", text, nullptr);
    bench("BPE gpt-2 (50k, gpt-2 pre)", data + "/vocab/ggml-vocab-gpt-2.gguf", text, nullptr);
    bench("BPE gpt-2 vocab, llama-bpe pre", data + "/vocab/ggml-vocab-gpt-2.gguf", text, "llama-bpe");
    bench("BPE deepseek-llm (102k)", data + "/vocab/ggml-vocab-deepseek-llm.gguf", text, nullptr);

    const std::pair<const char *, std::string> classes[] = {
        {"digits", "0123456789"},
        {"letters", "abcdefghij"},
        {"spaces", " "},
        {"newlines", "\n"},
        {"punctuation", "!?.,;:-_()"},
        {"cjk", "\xE4\xB8\xAD\xE6\x96\x87"},
        {"emoji", "\xF0\x9F\x98\x80"},
        {"mixed", "Tom's 3.14159 ist \xE4\xB8\xAD! \n\t "},
    };
    std::printf("\n1 MB of one kind of run, through each pre-tokenizer (gpt-2 vocabulary; SPM llama):\n");
    for (const auto &[name, unit] : classes) {
        std::string run;
        while (run.size() < 1000000)
            run += unit;
        bench(std::string("SPM llama-spm, ") + name, data + "/vocab/ggml-vocab-llama-spm.gguf", run, nullptr);
        for (const char *pre : {"gpt-2", "llama-bpe", "qwen2", "gpt-4o", "tekken", "default", "falcon", "starcoder",
                                "deepseek-llm", "deepseek-coder"})
            bench(std::string(pre) + ", " + name, data + "/vocab/ggml-vocab-gpt-2.gguf", run, pre);
    }
    return 0;
}
