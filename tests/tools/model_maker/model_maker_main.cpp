// parlo-model-maker --out FILE [--type Q4_K_M] [--n-embd 768] [--n-layer 12] [--n-head 12]
//   [--n-head-kv 4] [--n-ff 2048] [--n-vocab 32000] [--n-ctx 2048] [--experts N --experts-used K]
//   [--tied] [--seed S]
#include "model_maker.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char **argv)
{
    parlo::tools::LlamaShape s;
    std::string out, type = "F16";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> const char * { return i + 1 < argc ? argv[++i] : ""; };
        auto num = [&]() { return uint32_t(std::strtoul(next(), nullptr, 10)); };
        if (a == "--out") out = next();
        else if (a == "--type") type = next();
        else if (a == "--n-embd") s.n_embd = num();
        else if (a == "--n-layer") s.n_layer = num();
        else if (a == "--n-head") s.n_head = num();
        else if (a == "--n-head-kv") s.n_head_kv = num();
        else if (a == "--n-ff") s.n_ff = num();
        else if (a == "--n-vocab") s.n_vocab = num();
        else if (a == "--n-ctx") s.n_ctx = num();
        else if (a == "--experts") s.n_expert = num();
        else if (a == "--experts-used") s.n_expert_used = num();
        else if (a == "--seed") s.seed = num();
        else if (a == "--tied") s.tied = true;
        else {
            std::fprintf(stderr, "parlo-model-maker: unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (out.empty()) {
        std::fprintf(stderr, "usage: parlo-model-maker --out FILE [--type T] [--n-embd N] [--n-layer N] [--n-head N] "
                             "[--n-head-kv N] [--n-ff N] [--n-vocab N] [--n-ctx N] [--experts N --experts-used K] [--tied] [--seed S]\n");
        return 2;
    }
    auto r = parlo::tools::writeRandomLlama(out, s, type);
    if (!r) {
        std::fprintf(stderr, "parlo-model-maker: %s\n", r.error().message.c_str());
        return 1;
    }
    std::printf("wrote %s: %s, %.1fM parameters\n", out.c_str(), type.c_str(), double(parlo::tools::parameterCount(s)) / 1e6);
    return 0;
}
