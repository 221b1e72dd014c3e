#!/usr/bin/env bash
# Installs a Parlo .deb into a clean Debian 12 root with apt, as a user would, and drives its GUI
# there (drive_installed_gui.py): empty profile, settings, folder dialog, stories260K, an answer.
#
# usage: install_in_clean_root.sh PARLO.deb MODEL.gguf
# The driver's AT-SPI helpers are tests/ui/accessibility/test_screen_reader.py's own.
#
# The root is made once with debootstrap (minbase) plus the test's own tools (Xvfb, D-Bus, the
# AT-SPI bus and its Python client) and cached in $PARLO_ROOT_CACHE (default
# ~/.cache/parlo-test: not $XDG_CACHE_HOME, which CTest points into the build tree). Each run works on a copy, so
# the cached base never sees Parlo or its dependencies; downloaded .debs are kept in the cache's
# apt-archives folder. Mounts live in a private mount namespace and are undone by a trap.
# Exit code 77 (a skip for CTest): not root, or debootstrap/unshare/chroot missing.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 PARLO.deb MODEL.gguf" >&2; exit 2; }
deb="$(realpath "$1")" model="$(realpath "$2")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
driver="$here/drive_installed_gui.py" helpers="$here/../../ui/accessibility/test_screen_reader.py"

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (debootstrap, chroot and mounts)"
for tool in debootstrap unshare chroot mount; do
  command -v "$tool" >/dev/null || skip "$tool is missing (scripts/setup installs debootstrap)"
done

cache="${PARLO_ROOT_CACHE:-$HOME/.cache/parlo-test}"
mirror="${PARLO_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Bump the suffix when the tool list changes, so an old base is not reused.
base="$cache/bookworm-base-v1"
test_tools=(xvfb xauth dbus dbus-bin at-spi2-core python3-pyatspi)
mkdir -p "$cache/apt-archives/partial"

stamp() { echo "[$(date +%T)] $*"; }

# Runs a command inside ROOT with /proc, /dev/pts, /dev/shm and the shared apt cache mounted, in
# a mount namespace of its own: whatever happens, no mount outlives the command.
in_root() {
  local root="$1"; shift
  unshare --mount --propagation private -- bash -euo pipefail -c '
    root="$1" archives="$2"; shift 2
    cleanup() { umount -l "$root/var/cache/apt/archives" "$root/dev/shm" "$root/dev/pts" "$root/proc" 2>/dev/null || true; }
    trap cleanup EXIT
    mount -t proc proc "$root/proc"
    mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
    mount -t tmpfs tmpfs "$root/dev/shm"
    mount --bind "$archives" "$root/var/cache/apt/archives"
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
      DEBIAN_FRONTEND=noninteractive "$@"' in_root "$root" "$cache/apt-archives" "$@"
}

# Removes a root copy: first anything still mounted below it, and never across file systems.
remove_root() {
  local root="$1"
  [ -d "$root" ] || return 0
  findmnt -rn -o TARGET | grep -F "$root/" | sort -r | xargs -r umount -l || true
  rm -rf --one-file-system "$root"
}

work=""
cleanup() { [ -z "$work" ] || remove_root "$work"; }
trap cleanup EXIT
# A timeout (CTest's, or timeout(1)) sends TERM: exit, so the EXIT trap still removes the copy.
trap 'exit 143' TERM INT HUP

if [ ! -e "$base/.complete" ]; then
  stamp "building the cached Debian 12 root in $base (once)"
  work="$cache/base-building.$$"
  remove_root "$work"
  debootstrap --variant=minbase bookworm "$work" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log"; echo "FAIL: debootstrap failed (log: $cache/debootstrap.log)"; exit 1; }
  cp /etc/resolv.conf "$work/etc/resolv.conf"
  in_root "$work" apt-get update -qq
  in_root "$work" apt-get install -y -qq --no-install-recommends "${test_tools[@]}" >/dev/null
  rm -rf "$work"/var/lib/apt/lists/partial/*
  touch "$work/.complete"
  remove_root "$base"
  mv "$work" "$base"
  work=""
  stamp "cached root ready"
fi

work="$(mktemp -d "$cache/run.XXXXXX")"
stamp "copying the cached root"
cp -a "$base/." "$work/"
cp /etc/resolv.conf "$work/etc/resolv.conf"
mkdir -p "$work/opt/parlo-test"
cp "$deb" "$model" "$driver" "$helpers" "$work/opt/parlo-test/"

stamp "apt-get install ./$(basename "$deb")"
in_root "$work" apt-get update -qq
in_root "$work" sh -c "cd /opt/parlo-test && apt-get install -y -q ./$(basename "$deb")"
command -v dpkg-query >/dev/null && echo "installed: $(in_root "$work" dpkg-query -W -f '${Version}' parlo)"

stamp "starting the installed parlo under Xvfb, without network"
# A network namespace of its own: X's and D-Bus's abstract sockets cannot meet the host's, and
# the app cannot reach the network while it runs.
set +e
unshare --net -- bash -c "$(declare -f in_root); cache='$cache'; in_root '$work' python3 \
  /opt/parlo-test/drive_installed_gui.py /usr/bin/parlo '/opt/parlo-test/$(basename "$model")'"
rc=$?
set -e
stamp "done (exit code $rc)"
exit $rc
