"""What the command line reads and writes when it is not talking to a console.

A console shows any text (Python writes to it in UTF-16). Redirected to a file or a pipe, Python on
Windows would use the ANSI code page: 1258 on a Vietnamese Windows, which has no "ễ" or "ộ" (it
spells them with combining marks that Python's codec does not make), 1252 or 437 elsewhere. So
`tuvan check > report.txt` would stop at the first Vietnamese name. Redirected text is UTF-8 instead,
from source as in the packaged program (which runs in Python's UTF-8 mode), on every system: Notepad,
Excel and any script read it (docs/packaging.md, "Text the command line writes").
"""

from __future__ import annotations

import codecs
import sys


def use_utf8_when_redirected() -> None:
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        try:
            interactive = stream.isatty()
        except ValueError:  # closed
            continue
        if not interactive and codecs.lookup(stream.encoding or "ascii").name != "utf-8":
            stream.reconfigure(encoding="utf-8")
