"""The reliability run's figures: each test adds what it tried and what it found.

At the end of the run a table is printed (trials, committed changes checked, lost, corrupted,
half-applied, crashes). With TUVAN_RELIABILITY_JSON set (`make reliability` sets it) the same
figures are written there, so docs/reliability.md can quote a run rather than a memory.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pytest

# kill -9: Popen.kill() sends SIGKILL on POSIX and calls TerminateProcess on Windows, which likewise
# ends the program at once with no chance to clean up; the exit code that says it was killed:
KILLED = 1 if sys.platform == "win32" else -signal.SIGKILL

COLUMNS = ("trials", "committed", "lost", "corrupted", "partial", "crashes")


class Tally:
    """Counts per check name; a check's row is the sum of every add() under that name."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
        self.notes: dict[str, dict] = defaultdict(dict)

    def add(self, check: str, **counts: int) -> None:
        unknown = set(counts) - set(COLUMNS)
        assert not unknown, f"unknown tally columns {unknown}"
        for column, value in counts.items():
            self.rows[check][column] += value

    def note(self, check: str, **facts) -> None:
        """Extra facts about a check (how outcomes split, how long one operation takes)."""
        for key, value in facts.items():
            if isinstance(value, int) and isinstance(self.notes[check].get(key), int):
                self.notes[check][key] += value
            else:
                self.notes[check][key] = value


TALLY = Tally()
_STARTED = time.time()


@pytest.fixture(scope="session")
def tally() -> Tally:
    return TALLY


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not TALLY.rows:
        return
    write = terminalreporter.write_line
    write("")
    write(f"{'reliability check':58}" + "".join(f"{c:>10}" for c in COLUMNS))
    for check, row in TALLY.rows.items():
        write(f"{check[:58]:58}" + "".join(f"{row[c]:>10,}" for c in COLUMNS))
        if TALLY.notes.get(check):
            write(f"    {json.dumps(TALLY.notes[check], ensure_ascii=False)}")
    target = os.environ.get("TUVAN_RELIABILITY_JSON")
    if target:
        report = {
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "minutes": round((time.time() - _STARTED) / 60, 1),
            "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}",
            "settings": {k: os.environ.get(k) for k in
                         ("TUVAN_FUZZ_EXAMPLES", "TUVAN_KILL_TRIALS", "TUVAN_BIG_IMPORT_ROWS")},
            "exit_status": int(exitstatus),
            "checks": {check: {**row, **({"notes": TALLY.notes[check]} if TALLY.notes.get(check) else {})}
                       for check, row in TALLY.rows.items()},
        }
        Path(target).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        write(f"reliability figures written to {target}")
