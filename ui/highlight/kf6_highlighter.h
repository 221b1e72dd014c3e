// CodeHighlighter backed by KF6 SyntaxHighlighting in-process (built where
// find_package(KF6SyntaxHighlighting) succeeds). Work is deferred to the event loop so callers
// see the same asynchronous contract as the helper client.
#pragma once

#include "highlight/code_highlighter.h"

#include <memory>

namespace KSyntaxHighlighting {
class Repository;
}

namespace parlo::ui {

class Kf6Highlighter : public CodeHighlighter
{
    Q_OBJECT

public:
    explicit Kf6Highlighter(QObject *parent = nullptr);
    ~Kf6Highlighter() override;

    quint64 highlight(const QString &language, Theme theme, const QString &text) override;
    QString implementationName() const override { return QStringLiteral("KF6 SyntaxHighlighting"); }

private:
    std::unique_ptr<KSyntaxHighlighting::Repository> m_repository;
    quint64 m_nextId = 1;
};

} // namespace parlo::ui
