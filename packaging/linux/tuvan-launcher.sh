#!/bin/sh
# Tư Vấn launcher: starts the program kept in lib/ beside this script, wherever the folder was
# unpacked. Works through a symbolic link too (e.g. ~/.local/bin/tuvan -> this file).
# Without arguments it opens the program's window; with a command it is the command line
# (`tuvan --help`).
here=$(dirname "$(readlink -f "$0")")
exec "$here/lib/tuvan" "$@"
