#!/usr/bin/env bash
# Builds Parlo.AppImage with linuxdeploy and its Qt plugin.
# Untested here: both tools are downloaded AppImages, and this build machine has no network.
# Usage: packaging/appimage/build-appimage.sh [BUILD_DIR]  (needs linuxdeploy-x86_64.AppImage and
# linuxdeploy-plugin-qt-x86_64.AppImage on PATH; QMAKE must point at Qt 6's qmake).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/appimage}"
appdir="$build/AppDir"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARLO_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/usr
cmake --build "$build"
rm -rf "$appdir"
DESTDIR="$appdir" cmake --install "$build"

export QMAKE="${QMAKE:-/usr/lib/qt6/bin/qmake}"
export QML_SOURCES_PATHS="$root/ui/qml"
export EXTRA_QT_PLUGINS="waylandcompositor"
linuxdeploy-x86_64.AppImage --appdir "$appdir" \
  --desktop-file "$appdir/usr/share/applications/io.github.parlo.Parlo.desktop" \
  --icon-file "$root/resources/icons/io.github.parlo.Parlo-256.png" \
  --plugin qt --output appimage
