"""The bundle import's steps on the worker (check, import, acknowledge a fork) and how their results read.

The dry run (merge.plan_import) verifies, decrypts and compares every file and writes nothing; the
import plans each file again from the bytes that were previewed (see bundle_import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import UserError
from app.core.progress import Cancelled, Progress
from app.core.i18n import _, ngettext
from app.gui.sync.common import ALARM_COLOUR, GAP_COLOUR, number, readable
from app.sync import chain, merge, overview


# --- work on the worker ---------------------------------------------------------------


@dataclass
class Checked:
    """One chosen file after the dry run."""

    path: str
    plan: merge.ImportPlan | None = None
    fork: str = "none"          # for a fork: "none" | "open" | "acknowledged" (overview.fork_state)
    error: str = ""             # why the whole file was refused
    duplicate_of: str = ""      # an earlier file of this selection with the same contents

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def status(self) -> str:
        if self.error:
            return "refused"
        if self.duplicate_of:
            return "duplicate"
        if self.plan.status == "fork":
            return "fork_acknowledged" if self.fork == "acknowledged" else "fork"
        return self.plan.status   # "new" | "already_imported"


BLOCKING = {"refused"}   # a whole file refused; refused records are held back, not blocking
IMPORTABLE = {"new", "fork_acknowledged"}
TO_DO = IMPORTABLE | {"fork"}        # an unacknowledged fork is "done" by recording its alarm


def _sizes(paths: list[str]) -> dict[str, int]:
    """Each file's share of a progress bar: its size (a file that cannot be read still counts 1)."""
    sizes = {}
    for path in paths:
        try:
            sizes[path] = max(1, Path(path).stat().st_size)
        except OSError:
            sizes[path] = 1
    return sizes


def check_files(register, paths: list[str], progress: Progress | None = None) -> list[Checked]:
    checked: list[Checked] = []
    seen: dict[str, str] = {}
    sizes = _sizes(paths)
    if progress is not None:
        progress.expect(sum(sizes.values()))
    for number_, path in enumerate(paths, 1):
        item = Checked(path)
        part = progress.part(sizes[path], _file_step(number_, len(paths), item.name)) if progress else None
        try:
            readable(path)
            # Read from the file as it is decrypted: a bundle of any size takes a few megabytes.
            item.plan = merge.plan_import(register, Path(path), item.name, part)
        except Cancelled:
            raise
        except UserError as error:   # a refused file is listed with its reason; the others are still checked
            item.error = error.message
            checked.append(item)
            continue
        finally:
            if part is not None and not part.cancelled:
                part.finish()
        if item.plan.file_hash in seen:
            item.duplicate_of = seen[item.plan.file_hash]
        else:
            seen[item.plan.file_hash] = item.name
        if item.plan.status == "fork":
            item.fork = overview.fork_state(register.conn, item.plan.sender_code, item.plan.seq, item.plan.file_hash)
        checked.append(item)
    return checked


@dataclass
class Outcome:
    item: Checked
    kind: str                    # "imported" | "already_imported" | "fork_alarm" | "failed"
    message: str = ""
    tables: set[str] = field(default_factory=set)


def _file_step(n: int, total: int, name: str) -> str:
    return _("File {n}/{total}: {name}").format(n=n, total=total, name=name)


def _apply(register, item: Checked, accept_fork: bool, part=None) -> Outcome:
    status = item.plan.status
    # The file is checked again (two reads) and then written (one): its bar in three thirds.
    checking = part.part(part.weight * 2 // 3) if part is not None else None
    writing = part.part(part.weight - part.weight * 2 // 3) if part is not None else None
    try:
        plan = merge.plan_import(register, Path(item.path), item.name, checking)
        status = plan.status
        if plan.file_hash != item.plan.file_hash:
            raise merge.BundleRejected(file=item.name, reason=_("the file changed after the check"))
        if status == "fork" and not accept_fork:
            accept_fork = overview.fork_state(register.conn, plan.sender_code, plan.seq, plan.file_hash) \
                == "acknowledged"
        result = merge.apply_import(register, plan, accept_fork=accept_fork, progress=writing)
        item.plan = plan   # what was done, records the register's rules refused while writing included
    except Cancelled:
        raise
    except merge.BundleRejected as error:
        # apply_import refuses an unacknowledged fork after recording its alarm.
        return Outcome(item, "fork_alarm" if status == "fork" and not accept_fork else "failed", error.message)
    except UserError as error:
        return Outcome(item, "failed", error.message)
    if not result.applied:
        return Outcome(item, "already_imported")
    return Outcome(item, "imported", tables={t for t, c in plan.counts.items() if c.new or c.updated})


def import_checked(register, items: list[Checked], progress: Progress | None = None) -> list[Outcome]:
    """Apply every file that has something to do, in bundle order (order does not change the result).

    Each file is imported whole or not at all; a cancel stops before the next file, or rolls back
    the file being written, and the outcomes say which files were imported before it."""
    todo = sorted((i for i in items if i.status in TO_DO | {"already_imported"}),
                  key=lambda i: (i.plan.sender_code, i.plan.seq))
    records = {item.path: max(1, merge.records_in(item.plan)) for item in todo}
    if progress is not None:
        progress.expect(sum(records.values()))
    outcomes = []
    for n, item in enumerate(todo, 1):
        part = progress.part(records[item.path], _file_step(n, len(todo), item.name)) if progress else None
        try:
            outcomes.append(_apply(register, item, accept_fork=False, part=part))
        except Cancelled:
            outcomes += [Outcome(rest, "cancelled") for rest in todo[n - 1:]]
            break
        if part is not None:
            part.finish()
    return outcomes


def acknowledge_and_import(register, items: list[Checked]) -> list[Outcome]:
    """The administrator checked with the point: acknowledge each fork alarm, then import the file."""
    outcomes = []
    for item in items:
        chain.acknowledge_alarm(register, item.plan.sender_code, item.plan.seq)
        outcomes.append(_apply(register, item, accept_fork=True))
    return outcomes


# --- texts ----------------------------------------------------------------------------------


def status_text(item: Checked) -> str:
    status = item.status
    if status == "refused":
        return _("Refused: {reason}").format(reason=item.error)
    if status == "duplicate":
        return _("Same file as {name}: skipped").format(name=item.duplicate_of)
    if status == "fork":
        return _("Fork alarm: bundle {seq} came before with other contents; not to be imported").format(
            seq=item.plan.seq)
    if status == "fork_acknowledged":
        return _("Fork alarm acknowledged: will be imported")
    if status == "already_imported":
        return _("Already imported: nothing to do")
    if item.plan.rejected:
        return ngettext("New: will be imported; {n} record breaks a rule and will be held back",
                        "New: will be imported; {n} records break a rule and will be held back",
                        item.plan.rejected).format(n=item.plan.rejected)
    return _("New: will be imported")


def status_colour(item: Checked) -> str | None:
    if item.status == "new" and item.plan.rejected:
        return GAP_COLOUR
    return {"refused": ALARM_COLOUR, "fork": ALARM_COLOUR,
            "fork_acknowledged": GAP_COLOUR, "duplicate": "#757575", "already_imported": "#757575"}.get(item.status)


def outcome_text(outcome: Outcome) -> str:
    item = outcome.item
    head = _("{file}: bundle {seq} from {point}").format(file=item.name, seq=item.plan.seq,
                                                           point=item.plan.unit_name or item.plan.sender_code)
    if outcome.kind == "imported":
        totals = item.plan.totals()
        text = head + " — " + _("imported: {new} new, {updated} updated.").format(new=number(totals.new),
                                                                                  updated=number(totals.updated))
        if totals.rejected:
            text += " " + ngettext("{n} record held back: see Records held back.",
                                   "{n} records held back: see Records held back.",
                                   totals.rejected).format(n=number(totals.rejected))
        return text
    if outcome.kind == "already_imported":
        return head + " — " + _("already imported: nothing to do")
    if outcome.kind == "fork_alarm":
        return head + " — " + _("NOT imported: fork alarm. Ask the point whether it restored an old backup "
                                "or whether its key may have been copied.")
    if outcome.kind == "cancelled":
        return head + " — " + _("not imported: you cancelled before it was done. Nothing of it was saved; "
                                "import it again when you are ready.")
    return head + " — " + outcome.message


def pair_text(pair: merge.PossibleSamePerson) -> str:
    a, b = pair.incoming, pair.existing
    reason = _("same citizen ID") if pair.reason == "citizen_id" else _("same name, birth year and sex")
    return _("{a} ({a_code}, {a_point}) and {b} ({b_code}, {b_point}): {reason}").format(
        a=a["full_name"], a_code=a["code"], a_point=a["origin"], b=b["full_name"], b_code=b["code"],
        b_point=b["origin"], reason=reason)
