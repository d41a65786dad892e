"""Schema upgrades from db_schema/NNNN_name.sql, tracked in PRAGMA user_version.

Each upgrade runs in one exclusive transaction together with its
user_version bump, so a crash leaves either the old or the new schema.
A register newer than the program is refused; an existing register is
backed up before its first upgrade step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core import paths
from app.core.errors import RegisterTooNew

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available(schema_dir: Path | None = None) -> list[Migration]:
    folder = schema_dir or paths.db_schema()
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"db_schema must number migrations 1..n without gaps: {versions}")
    return found


def latest_version(schema_dir: Path | None = None) -> int:
    return len(available(schema_dir))


def current_version(conn) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def pending(conn, schema_dir: Path | None = None) -> list[Migration]:
    version = current_version(conn)
    steps = available(schema_dir)
    if version > len(steps):
        raise RegisterTooNew(found=version, known=len(steps))
    return steps[version:]


def upgrade(
    conn,
    *,
    backup: Callable[[int], object] | None = None,
    schema_dir: Path | None = None,
) -> list[int]:
    """Apply pending migrations; returns the versions applied."""
    steps = pending(conn, schema_dir)
    if steps and current_version(conn) > 0 and backup is not None:
        backup(current_version(conn))
    applied = []
    for step in steps:
        script = f"BEGIN EXCLUSIVE;\n{step.sql}\n;PRAGMA user_version = {step.version};\nCOMMIT;"
        try:
            conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(step.version)
    return applied
