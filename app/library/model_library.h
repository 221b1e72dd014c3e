// Finds GGUF models on disk: Parlo's own folder ($XDG_DATA_HOME/parlo/models), folders the user
// added, and the folders of other apps (LM Studio, GPT4All, the Hugging Face cache), which are
// offered in place, never copied. Scanning and probing are blocking; callers run them off the
// GUI thread.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace parlo::app {

struct ModelFolder
{
    QString path;
    QString source;     // "Parlo", "Added by you", "LM Studio", "GPT4All", "Hugging Face"
    bool isDefault = false; // Parlo's own folder: created on demand, shown on the first-run page
};

struct ModelFileInfo
{
    QString path;
    QString fileName;
    QString name;          // general.name, else the file name without .gguf
    QString architecture;  // general.architecture
    QString family;        // for people: "Gemma 2", "Falcon", "Llama 4" …
    bool supported = false; // the engine runs this architecture
    QStringList features;  // notable ones: "sliding window 4096 (even layers)", "final soft-cap 30" …
    quint64 parameterCount = 0;
    QString quantization;  // "Q4_K_M", "F16" …
    qint64 fileSize = 0;
    int contextLength = 0; // <arch>.context_length
    QString source;
    // The engine's memory plan at its default context (weights + KV cache + scratch); all 0
    // when unknown (unsupported architecture, or a file the engine would refuse).
    qint64 memoryNeeded = 0;
    qint64 weightBytes = 0;
    qint64 contextBytes = 0; // KV cache and scratch for plannedContext tokens
    int plannedContext = 0;
    QString error;         // why the file cannot be read; empty when it can
    bool hasMetadata = false; // read through the GGUF reader (else guessed from the file name)

    // Why this entry cannot be chosen ("Not supported: llama4", or the read error); empty
    // when it can. The picker shows it and the model controller refuses with it.
    QString unavailableReason() const;
};

// Parlo's own models folder. Does not create it.
QString defaultModelsFolder();

// The default folder, then `userFolders`, then every other app's folder that exists.
QList<ModelFolder> modelFolders(const QStringList &userFolders);

// Every *.gguf below `folders` (recursively, following symlinks as the Hugging Face cache
// needs), probed; split models are listed once, by their first part. Sorted by name.
QList<ModelFileInfo> scanModelFolders(const QList<ModelFolder> &folders);

// Reads one file's metadata. Never fails: problems land in `error`.
ModelFileInfo probeModelFile(const QString &path, const QString &source = {});

// "260K", "1.1B", "7.2B".
QString formatParameterCount(quint64 count);
// "1.2 GiB", "986 KiB".
QString formatBytes(qint64 bytes);

} // namespace parlo::app
