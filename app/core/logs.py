"""The program's log file: tracebacks of unexpected errors, never record contents."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("TuVan", appauthor=False))


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to a rotating file in the user's log folder; returns its path."""
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return None
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "tuvan.log"
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1 << 20, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
