#!/bin/sh
# Adds Tư Vấn to the desktop's application menu for the current user (no root needed):
#   ~/.local/share/applications/tuvan.desktop      the menu entry, pointing at this folder's launcher
#   ~/.local/share/icons/hicolor/*/apps/tuvan.*     its icon (48, 128, 256 px and SVG)
# `sh install-desktop-entry.sh --remove` takes them away again (registers are never touched).
set -eu
here=$(dirname "$(readlink -f "$0")")
data=${XDG_DATA_HOME:-$HOME/.local/share}
entry="$data/applications/tuvan.desktop"
icons="$data/icons/hicolor"

refresh() {
    # Menus watch these folders; a new time stamp on hicolor/ tells icon caches to look again.
    # (No icon-theme.cache or mimeinfo.cache is made in the user's folders: a stale one hides icons.)
    [ -d "$icons" ] && touch "$icons" || true
}

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icons/scalable/apps/tuvan.svg"
    for size in 48 128 256; do rm -f "$icons/${size}x${size}/apps/tuvan.png"; done
    refresh
    echo "Removed the Tư Vấn menu entry."
    exit 0
fi

mkdir -p "$data/applications" "$icons/scalable/apps"
for size in 48 128 256; do
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$here/icons/tuvan-$size.png" "$icons/${size}x${size}/apps/tuvan.png"
done
cp "$here/icons/tuvan.svg" "$icons/scalable/apps/tuvan.svg"
# The entry names the launcher by its full path, quoted as the Desktop Entry spec asks (folders
# with spaces or other odd characters): \ " ` $ get a backslash, then backslashes are doubled
# (string escaping) and % is written %%.
launcher=$(printf '%s' "$here/tuvan" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
TUVAN_EXEC="\"$launcher\"" awk '/^Exec=/ { print "Exec=" ENVIRON["TUVAN_EXEC"]; next } { print }' \
    "$here/tuvan.desktop" > "$entry"
chmod 644 "$entry"
refresh
echo "Installed $entry"
echo "Tư Vấn is now in the application menu (log out and in again if it does not show)."
