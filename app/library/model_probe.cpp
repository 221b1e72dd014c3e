// probeModelFile: reads a GGUF's metadata through parlo::gguf (the only way the app reads
// models). Built without the reader (PARLO_HAVE_GGUF_READER unset, while it is still in
// review), it falls back to what the file name says.
#include "library/model_library.h"

#include <QFileInfo>
#include <QRegularExpression>

#ifdef PARLO_HAVE_GGUF_READER
#include "parlo/gguf.h"
#include "parlo/memory_estimate.h"
#include "parlo/model_family.h"
#include "parlo/tensor_type.h"

#include <map>
#endif

namespace parlo::app {

namespace {

// llama.cpp's llama_ftype numbering, as stored in general.file_type.
[[maybe_unused]] QString fileTypeName(uint64_t fileType)
{
    static const char *names[] = {"F32",    "F16",     "Q4_0",   "Q4_1",   "Q4_1_F16", "Q4_2",  "Q4_3",
                                  "Q8_0",   "Q5_0",    "Q5_1",   "Q2_K",   "Q3_K_S",   "Q3_K_M", "Q3_K_L",
                                  "Q4_K_S", "Q4_K_M",  "Q5_K_S", "Q5_K_M", "Q6_K",     "IQ2_XXS", "IQ2_XS",
                                  "Q2_K_S", "IQ3_XS",  "IQ3_XXS", "IQ1_S", "IQ4_NL",   "IQ3_S", "IQ3_M",
                                  "IQ2_S",  "IQ2_M",   "IQ4_XS", "IQ1_M",  "BF16"};
    if (fileType < std::size(names))
        return QLatin1String(names[fileType]);
    return {};
}

QString quantizationFromFileName(const QString &fileName)
{
    static const QRegularExpression quant(QStringLiteral("(?:^|[-._])((?:I?Q\\d(?:_[A-Z0-9]+)*)|F16|F32|BF16)(?:[-._]|$)"),
                                          QRegularExpression::CaseInsensitiveOption);
    const auto match = quant.match(fileName);
    return match.hasMatch() ? match.captured(1).toUpper() : QString();
}

} // namespace

QString ModelFileInfo::unavailableReason() const
{
    if (!error.isEmpty())
        return error;
    if (!supported)
        return QStringLiteral("Not supported: %1").arg(architecture.isEmpty() ? QStringLiteral("no architecture") : architecture);
    return {};
}

ModelFileInfo probeModelFile(const QString &path, const QString &source)
{
    ModelFileInfo info;
    const QFileInfo file(path);
    info.path = path;
    info.fileName = file.fileName();
    info.name = file.completeBaseName();
    info.fileSize = file.size();
    info.source = source;
    info.quantization = quantizationFromFileName(info.fileName);
    if (!file.isReadable()) {
        info.error = QStringLiteral("The file cannot be read.");
        return info;
    }
#ifdef PARLO_HAVE_GGUF_READER
    auto opened = gguf::File::open(path.toStdString());
    if (!opened) {
        info.error = QString::fromStdString(opened.error().message);
        return info;
    }
    const gguf::File &gguf = *opened.value();
    info.hasMetadata = true;
    if (auto name = gguf.getString("general.name"); name && !name->empty())
        info.name = QString::fromUtf8(name->data(), qsizetype(name->size()));
    const std::string arch(gguf.architecture());
    info.architecture = QString::fromStdString(arch);
    const ModelFamily family = describeModelFamily(gguf);
    info.family = QString::fromStdString(family.family);
    info.supported = family.supported;
    for (const std::string &feature : family.features)
        info.features << QString::fromStdString(feature);
    if (info.supported) {
        // The estimate binds the tensors as loading does, so a file the engine would refuse
        // (a tensor missing or misshapen) is flagged here, with the engine's own reason.
        if (auto memory = estimateModelMemory(gguf)) {
            info.weightBytes = qint64(memory->weightBytes);
            info.contextBytes = qint64(memory->contextBytes());
            info.memoryNeeded = qint64(memory->totalBytes());
            info.plannedContext = int(memory->n_ctx);
        } else {
            info.error = QString::fromStdString(memory.error().message);
        }
    }
    if (auto ctx = gguf.getUInt(arch + ".context_length"))
        info.contextLength = int(std::min<uint64_t>(*ctx, uint64_t(INT32_MAX)));
    std::map<uint32_t, uint64_t> bytesByType; // which type holds most of the weights
    for (const gguf::TensorInfo &tensor : gguf.tensors()) {
        info.parameterCount += tensor.elementCount();
        if (tensor.shape.size() >= 2)
            bytesByType[tensor.typeId] += tensor.byteSize;
    }
    if (auto fileType = gguf.getUInt("general.file_type"); fileType && !fileTypeName(*fileType).isEmpty()) {
        info.quantization = fileTypeName(*fileType);
    } else if (!bytesByType.empty()) {
        auto most = std::max_element(bytesByType.begin(), bytesByType.end(),
                                     [](const auto &a, const auto &b) { return a.second < b.second; });
        info.quantization = QString::fromStdString(tensorTypeName(most->first));
    }
#else
    info.supported = true; // nothing to judge by here; the engine says at load time
#endif
    return info;
}

} // namespace parlo::app
