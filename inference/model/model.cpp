#include "model/model.h"
#include "parlo/model_family.h"

#include <sys/stat.h>

#include <utility>

// The mapping policy. Weights are read straight from a read-only mapping of the file. Writing
// to or truncating a mapped file is the one way another program can crash us (SIGBUS on a
// page past the new end), so:
//  - at load, the GGUF reader checks every tensor lies inside the file;
//  - the file's identity (inode, size, mtime) is recorded, and checkFileUnchanged() is called
//    before every forward pass; a changed or deleted file gets an error asking to reload,
//    and nothing is read from the mapping again;
//  - replacing a file by rename (how downloads and editors save) keeps our inode alive and
//    is detected the same way.
//  - a truncation racing with a running forward pass would raise SIGBUS; the mapping is
//    guarded (core/mapping_guard.h), so the lost pages read as zeros and the file reports
//    mappingLost(). The transformer checks after every layer and after the pass, so the
//    pass that read the changed file ends in this same error, and its logits are dropped.

namespace parlo::model {

namespace {

using ArchLoader = Result<void> (*)(const gguf::File &, HParams &, ModelWeights &);

struct ArchEntry
{
    std::string_view name;
    ArchLoader load;
};

constexpr ArchEntry k_architectures[] = {
    {"llama", arch::loadLlama},
    {"qwen2", arch::loadQwen2},
    {"qwen3", arch::loadQwen3},
    {"olmo2", arch::loadOlmo2},
    {"phi3", arch::loadPhi3},
    {"olmo", arch::loadOlmo},
    {"falcon", arch::loadFalcon},
    {"gemma2", arch::loadGemma2},
};

bool statIdentity(const std::string &path, uint64_t &size, uint64_t &inode, int64_t &mtimeNs)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return false;
    size = uint64_t(st.st_size);
    inode = uint64_t(st.st_ino);
    mtimeNs = int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return true;
}

int32_t tokenId(const gguf::File &f, const std::string &key)
{
    const auto v = f.getUInt(key);
    return v && *v < uint64_t(INT32_MAX) ? int32_t(*v) : -1;
}

} // namespace

Result<std::unique_ptr<Model>> Model::load(const std::string &path)
{
    auto file = gguf::File::open(path);
    if (!file)
        return file.error();
    return fromFile(std::move(file.value()));
}

Result<std::unique_ptr<Model>> Model::fromFile(std::unique_ptr<gguf::File> file)
{
    std::unique_ptr<Model> model(new Model());
    model->m_file = std::move(file);
    PARLO_TRY(bind(*model->m_file, model->m_hparams, model->m_weights));
    const gguf::File &f = *model->m_file;
    Identity &idn = model->m_identity;
    if (!f.path().empty())
        idn.known = statIdentity(f.path(), idn.size, idn.inode, idn.mtimeNs);
    return model;
}

Result<void> Model::bind(const gguf::File &f, HParams &hp, ModelWeights &weights)
{
    const std::string_view archName = f.architecture();
    if (archName.empty())
        return makeError("the file has no general.architecture; it is not a model");
    ArchLoader loader = nullptr;
    for (const auto &entry : k_architectures) {
        if (entry.name == archName)
            loader = entry.load;
    }
    if (!loader) {
        // Name the family when we know it, and what does run, so the user can pick another file.
        const std::string family = describeModelFamily(f).family;
        std::string supported;
        for (size_t i = 0; i < std::size(k_architectures); ++i)
            supported += (i == 0 ? "" : i + 1 == std::size(k_architectures) ? " and " : ", ") + std::string(k_architectures[i].name);
        return makeError("architecture '" + std::string(archName) + "' is not supported"
                         + (family != archName ? " (" + family + ")" : std::string()) + "; Parlo runs " + supported);
    }
    hp.arch = std::string(archName);
    if (auto name = f.getString("general.name"))
        hp.name = std::string(*name);
    if (auto r = loader(f, hp, weights); !r)
        return r.error().withContext(std::string(archName) + " model");
    hp.bos_id = tokenId(f, "tokenizer.ggml.bos_token_id");
    hp.eos_id = tokenId(f, "tokenizer.ggml.eos_token_id");
    hp.eot_id = tokenId(f, "tokenizer.ggml.eot_token_id");
    for (int32_t *id : {&hp.bos_id, &hp.eos_id, &hp.eot_id}) {
        if (*id >= int32_t(hp.n_vocab))
            *id = -1;
    }
    return {};
}

std::vector<Weight *> Model::allWeights() { return weightsOf(m_hparams, m_weights); }

std::vector<Weight *> Model::weightsOf(const HParams &hp, ModelWeights &weights)
{
    ModelWeights &w = weights;
    std::vector<Weight *> out{&w.tok_embd,   &w.output_norm,        &w.output_norm_b,
                              &w.rope_freqs, &w.rope_factors_short, &w.rope_factors_long};
    if (!hp.tiedOutput)
        out.push_back(&w.output);
    for (LayerWeights &l : w.layers) {
        for (Weight *x : {&l.attn_norm, &l.attn_norm_b, &l.attn_norm_2, &l.attn_norm_2_b, &l.wq, &l.wk, &l.wv, &l.wo, &l.bq, &l.bk, &l.bv, &l.attn_q_norm, &l.attn_k_norm,
                          &l.attn_post_norm, &l.ffn_norm, &l.ffn_post_norm, &l.ffn_gate, &l.ffn_up, &l.ffn_down,
                          &l.ffn_gate_inp, &l.ffn_gate_exps, &l.ffn_up_exps, &l.ffn_down_exps})
            out.push_back(x);
    }
    std::erase_if(out, [](Weight *x) { return !x->valid(); });
    return out;
}

uint64_t Model::weightBytes() const
{
    uint64_t total = 0;
    for (const auto &t : m_file->tensors())
        total += t.byteSize;
    return total;
}

uint64_t Model::decodeBytesPerToken() const
{
    auto bytes = [](const Weight &w) { return w.valid() ? w.view.n_rows * w.view.rowBytes : 0; };
    uint64_t total = m_weights.tok_embd.view.rowBytes + bytes(m_weights.output_norm) + bytes(m_weights.output);
    const double expertShare = m_hparams.n_expert ? double(m_hparams.n_expert_used) / m_hparams.n_expert : 0.0;
    for (const LayerWeights &l : m_weights.layers) {
        for (const Weight *w : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.wo, &l.ffn_norm, &l.ffn_gate, &l.ffn_up, &l.ffn_down,
                                &l.ffn_gate_inp})
            total += bytes(*w);
        for (const Weight *w : {&l.ffn_gate_exps, &l.ffn_up_exps, &l.ffn_down_exps})
            total += uint64_t(double(bytes(*w)) * expertShare);
    }
    return total;
}

Result<void> Model::checkFileUnchanged() const
{
    const std::string &path = m_file->path();
    if (m_file->mappingLost())
        return makeError("the model file " + path + " changed on disk while it was in use (it was truncated or "
                         "overwritten); load it again");
    if (!m_identity.known)
        return {};
    uint64_t size = 0, inode = 0;
    int64_t mtime = 0;
    if (!statIdentity(path, size, inode, mtime))
        return makeError("the model file " + path + " was deleted or moved after loading; load it again");
    if (size != m_identity.size || inode != m_identity.inode || mtime != m_identity.mtimeNs)
        return makeError("the model file " + path + " changed on disk after loading; load it again");
    return {};
}

} // namespace parlo::model

namespace parlo {

bool architectureSupported(std::string_view architecture)
{
    for (const auto &entry : model::k_architectures) {
        if (entry.name == architecture)
            return true;
    }
    return false;
}

} // namespace parlo
