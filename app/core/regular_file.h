// Checks that a path names a regular file before anything opens it: opening a FIFO blocks until
// someone writes to it, and a device or socket is never a model or a history file.
#pragma once

#include <QString>

#include <optional>

namespace parlo::app {

// Why `path` cannot be opened as a file of the given kind ("model", "history"), or nothing
// when it is a regular file (symbolic links are followed). A missing path is reported too.
std::optional<QString> regularFileProblem(const QString &path, const QString &kind);

} // namespace parlo::app
