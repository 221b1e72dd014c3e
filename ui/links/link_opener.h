// QML's way to open a link from an answer (instead of Qt.openUrlExternally, which opens any
// scheme): inspect() says what the confirmation shows, open() opens only what decideLink()
// allows, deciding again so a caller cannot skip the check.
#pragma once

#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace parlo::ui {

class LinkOpener : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit LinkOpener(QObject *parent = nullptr);

    // {allowed: bool, shown: full address, host: where it goes, message: why it is refused}
    Q_INVOKABLE QVariantMap inspect(const QString &link) const;
    // Opens an allowed link with the desktop's handler; false (and nothing opened) otherwise.
    Q_INVOKABLE bool open(const QString &link) const;
};

} // namespace parlo::ui
