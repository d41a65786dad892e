#!/bin/sh
# Linux tarball of the packaged program (`make dist-tar`):
#   sh packaging/linux/make_tarball.sh dist/tuvan VERSION dist
#   -> dist/tuvan-VERSION-linux-x86_64.tar.gz holding tuvan-VERSION-linux-x86_64/:
#        tuvan                      launcher (tuvan-launcher.sh)
#        lib/                       the PyInstaller folder (dist/tuvan: the program and _internal/)
#        install-desktop-entry.sh   adds the menu entry and icon for the current user
#        tuvan.desktop, icons/      what it installs
#        README.txt                 how to install, what the system must have
set -eu
built=$1
version=$2
out=$3
here=$(dirname "$(readlink -f "$0")")
root=$(readlink -f "$here/../..")
arch=$(uname -m)
name="tuvan-$version-linux-$arch"
[ -x "$built/tuvan" ] || { echo "no program in $built: run make dist" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/icons"
cp -a "$built" "$stage/$name/lib"
cp "$here/tuvan-launcher.sh" "$stage/$name/tuvan"
cp "$here/install-desktop-entry.sh" "$here/tuvan.desktop" "$stage/$name/"
cp "$root/resources/icons/tuvan.svg" "$root/resources/icons/tuvan-48.png" "$root/resources/icons/tuvan-128.png" \
   "$root/resources/icons/tuvan-256.png" "$root/resources/icons/LICENSE" "$stage/$name/icons/"
sed "s/@VERSION@/$version/g" "$here/README.txt" > "$stage/$name/README.txt"
chmod 755 "$stage/$name/tuvan" "$stage/$name/install-desktop-entry.sh"

mkdir -p "$out"
tarball="$(readlink -f "$out")/$name.tar.gz"
# Files owned by root:root and in name order, so that two builds of the same folder compare equal.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage" -czf "$tarball" "$name"
echo "$tarball ($(du -h "$tarball" | cut -f1))"
