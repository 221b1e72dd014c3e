// Writes the fuzzer's seed corpus into DIR/seeds (and makes DIR/corpus for what it finds):
// tiny files with every metadata value type and tensor type, and each shared model's real
// metadata (arrays cut to 8 elements) with its tensor types in one-block tensors; and the
// template fuzzer's seeds into DIR/template-seeds (corpus: DIR/template-corpus).
#include "parlo/chat_template.h"
#include "parlo/gguf.h"
#include "parlo/gguf_writer.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>

using namespace parlo;
namespace fs = std::filesystem;

namespace {

gguf::Value shortened(const gguf::Value &v)
{
    gguf::Value out = v;
    if (out.type == gguf::ValueType::Array && out.elements.size() > 8)
        out.elements.resize(8);
    for (auto &e : out.elements)
        e = shortened(e);
    return out;
}

bool write(const gguf::Writer &w, const fs::path &path)
{
    auto r = w.writeFile(path.string());
    if (!r)
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return r.ok();
}

} // namespace

namespace {

std::string repeated(const std::string &head, const std::string &link, int n, const std::string &tail)
{
    std::string s = head;
    for (int k = 0; k < n; ++k)
        s += link;
    return s + tail;
}

bool writeText(const fs::path &path, const std::string &text)
{
    std::ofstream f(path, std::ios::binary);
    f << text;
    return bool(f);
}

// The template fuzzer's seeds: the hostile templates of issue 17 (each once crashed, hung or
// ate gigabytes), every built-in template and the shared real ones.
int writeTemplateSeeds(const fs::path &dir, const char *data)
{
    std::error_code ec;
    fs::create_directories(dir / "template-seeds", ec);
    fs::create_directories(dir / "template-corpus", ec);
    const std::pair<const char *, std::string> hostile[] = {
        {"chain-plus", repeated("{{ 1", "+1", 20000, " }}")},
        {"chain-attr", repeated("{{ x", ".a", 20000, " }}")},
        {"chain-filter", repeated("{{ x", "|string", 20000, " }}")},
        {"chain-ifelse", repeated("{{ 1", " if x else 1", 5000, " }}")},
        {"nested-ifs", repeated("", "{% if x %}", 5000, "") + repeated("", "{% endif %}", 5000, "")},
        {"nested-parens", repeated("{{ ", "(", 5000, "1") + repeated("", ")", 5000, " }}")},
        {"namespace-self", "{% set ns = namespace(a=1) %}{% set ns.x = ns %}{{ ns }}{{ ns|string }}"},
        {"namespace-chain", "{% set ns = namespace(x=none) %}{% for i in range(100000) %}{% set ns.x = namespace(x=ns.x) %}"
                            "{% endfor %}{{ ns }}"},
        {"deep-list", "{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}"},
        {"cpu-burn", "{% set s = 'a' * 16000000 %}{% for i in range(1000) %}{% for j in range(1000) %}{{ s.count('b') }}"
                     "{% endfor %}{% endfor %}"},
        {"memory-list", "{% set s = 'x' * 16000000 %}{% set l = [s] * 200000 %}{{ l }}"},
        {"memory-batch", "{{ [1] | batch(10**15, 'x') | list | length }}"},
        {"memory-strings", "{% set s = 'x' * 16000000 %}{% set ns = namespace(l=[]) %}{% for i in range(1000) %}"
                           "{% set ns.l = ns.l + [s ~ i] %}{% endfor %}"},
        {"range-huge", "{% for i in range(10**15) %}{% endfor %}"},
        {"macro-recursion", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"},
    };
    int written = 0;
    for (const auto &[name, text] : hostile)
        written += writeText(dir / "template-seeds" / (std::string(name) + ".jinja"), text);
    for (const auto which : {chat::BuiltinTemplate::ChatML, chat::BuiltinTemplate::Llama2, chat::BuiltinTemplate::Llama3,
                             chat::BuiltinTemplate::Mistral, chat::BuiltinTemplate::Gemma, chat::BuiltinTemplate::Phi3,
                             chat::BuiltinTemplate::Falcon, chat::BuiltinTemplate::Zephyr, chat::BuiltinTemplate::OLMo})
        written += writeText(dir / "template-seeds" / ("builtin-" + std::to_string(int(which)) + ".jinja"),
                             std::string(chat::builtinTemplateSource(which)));
    if (data && fs::is_directory(fs::path(data) / "templates"))
        for (const auto &entry : fs::directory_iterator(fs::path(data) / "templates"))
            if (entry.path().extension() == ".jinja")
                written += int(fs::copy_file(entry.path(), dir / "template-seeds" / entry.path().filename(),
                                             fs::copy_options::overwrite_existing, ec));
    return written;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: parlo_fuzz_seeds DIR\n");
        return 2;
    }
    const fs::path dir = argv[1];
    std::error_code ec;
    fs::create_directories(dir / "seeds", ec);
    fs::create_directories(dir / "corpus", ec);
    int written = 0;

    // Every value type, nested arrays, and one tensor of every supported type.
    gguf::Writer all;
    all.setString("general.architecture", "llama");
    all.setUInt8("u8", 1);
    all.setInt8("i8", -1);
    all.setUInt16("u16", 2);
    all.setInt16("i16", -2);
    all.setUInt32("llama.block_count", 2);
    all.setInt32("i32", -3);
    all.setUInt64("u64", 4);
    all.setInt64("i64", -4);
    all.setFloat32("f32", 0.5f);
    all.setFloat64("f64", 0.25);
    all.setBool("b", true);
    const std::vector<std::string> tokens{"<s>", "</s>", "a"};
    all.setStringArray("tokenizer.ggml.tokens", tokens);
    gguf::Value nested{.type = gguf::ValueType::Array, .elementType = gguf::ValueType::Array};
    gguf::Value inner{.type = gguf::ValueType::Array, .elementType = gguf::ValueType::UInt8};
    inner.elements.push_back({.type = gguf::ValueType::UInt8, .u = 7});
    nested.elements = {inner, inner};
    all.setValue("nested", nested);
    for (uint32_t id = 0; id < 64; ++id) {
        const auto info = tensorTypeInfo(id);
        if (!info || !info->supported)
            continue;
        std::vector<std::byte> data(info->bytesPerBlock, std::byte{0x11});
        const uint64_t shape[] = {info->blockSize};
        if (!all.addTensor("t." + std::string(info->name), shape, info->type, data))
            return 1;
    }
    written += write(all, dir / "seeds" / "all-types.gguf");

    // Shared models in miniature.
    const char *data = std::getenv("PARLO_TEST_DATA");
    std::set<std::string> seen;
    for (const char *sub : {"models", "vocab"}) {
        if (!data || !fs::is_directory(fs::path(data) / sub))
            continue;
        for (const auto &entry : fs::directory_iterator(fs::path(data) / sub)) {
            if (entry.path().extension() != ".gguf")
                continue;
            auto file = gguf::File::open(entry.path().string());
            if (!file)
                continue;
            gguf::Writer w;
            for (const auto &kv : (*file)->metadata())
                w.setValue(kv.key, shortened(kv.value));
            int n = 0;
            for (const auto &t : (*file)->tensors()) {
                const auto info = tensorTypeInfo(t.type);
                if (n++ >= 4 || !info)
                    break;
                const uint64_t shape[] = {info->blockSize};
                if (!w.addTensor(t.name, shape, t.type, (*file)->tensorData(t).first(info->bytesPerBlock)))
                    return 1;
            }
            written += write(w, dir / "seeds" / entry.path().filename());
        }
    }
    std::printf("wrote %d seed files to %s\n", written, (dir / "seeds").c_str());
    const int templates = writeTemplateSeeds(dir, data);
    std::printf("wrote %d template seeds to %s\n", templates, (dir / "template-seeds").c_str());
    return written > 0 && templates > 0 ? 0 : 1;
}
