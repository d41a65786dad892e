"""tuvan init | check | recover | rekey | backup | restore | demo"""

from __future__ import annotations

from pathlib import Path

from app.cli.context import emit, new_passphrase, open_register, passphrase
from app.core.clock import utc_now
from app.core.errors import CheckFailed
from app.core.i18n import _
from app.core.text import sort_key
from app.core.unit import make_unit
from app.store import audit, backup, holdings, migrations
from app.store.connection import integrity_problems
from app.store.register import create_register, unlock, unlock_with_recovery_key


def cmd_init(args) -> int:
    unit = make_unit(args.role, args.code, args.name, args.office or "")
    secret = new_passphrase(fallback_env="TUVAN_PASSPHRASE")
    made = dict(unit=unit, admin_login=args.user or "admin", admin_full_name=args.full_name or args.user or "admin",
                passphrase=secret)
    if args.database:
        from app.store.pg.creation import create_office

        register, recovery = create_office(Path(args.register), args.database, **made)
    else:
        register, recovery = create_register(Path(args.register), **made)
    with register:
        if args.recovery_sheet:
            from app.reports.recovery_sheet import write_recovery_sheet

            write_recovery_sheet(Path(args.recovery_sheet), unit, register.register_id,
                                 recovery.formatted(), utc_now())
        emit(
            args,
            {"register": str(register.paths.root), "register_id": register.register_id,
             "role": unit.role.value, "code": unit.code, "user": register.user.login,
             "recovery_key": recovery.formatted(),
             "recovery_sheet": str(args.recovery_sheet) if args.recovery_sheet else None},
            [
                _("Created register {path} for {name} ({code}).").format(
                    path=register.paths.root, name=unit.name, code=unit.code),
                _("Administrator: {login}").format(login=register.user.login),
                "",
                _("RECOVERY KEY (write it down or print it now; it is shown only once):"),
                "    " + recovery.formatted(),
                "",
            ]
            + ([_("Recovery sheet written to {path}.").format(path=args.recovery_sheet)]
               if args.recovery_sheet else []),
        )
    return 0


def cmd_check(args) -> int:
    with open_register(args) as register:
        on_server = register.db is None  # PostgreSQL checks its own pages (docs/postgresql.md)
        problems = [] if on_server else integrity_problems(register.conn)
        report = audit.verify(register.conn)
        if not report.ok:
            problems.append(_("audit log chain broken at entry {seq}").format(seq=report.first_broken))
        counts = holdings.table_counts(register.conn)
        version = int(register.info().get("schema_version", 0)) if on_server else migrations.current_version(register.conn)
        unit = register.unit()
        emit(
            args,
            {"ok": not problems, "problems": problems, "schema_version": version,
             "register_id": register.register_id, "role": unit.role.value, "unit_code": unit.code,
             "counts": counts, "audit_entries": report.entries},
            [
                _("Register: {name} ({code}), {role}").format(name=unit.name, code=unit.code, role=unit.role.label),
                _("Schema version: {version}").format(version=version),
                _("Integrity: {result}").format(result=_("OK") if not problems else _("PROBLEMS FOUND")),
                *[f"  - {p}" for p in problems],
                _("Audit log: {n} entries").format(n=report.entries),
                *sorted((f"  {holdings.table_label(table)}: {count}" for table, count in counts.items()
                         if holdings.shown_to_people(table)), key=sort_key),
            ],
        )
    if problems:
        raise CheckFailed(detail="; ".join(problems))
    return 0


def cmd_recover(args) -> int:
    secret = new_passphrase()
    with unlock_with_recovery_key(Path(args.register), args.recovery_key, args.user, secret) as register:
        emit(
            args,
            {"register": str(register.paths.root), "user": register.user.login},
            [_("New passphrase set for {login}. The recovery key stays valid; keep the sheet safe.").format(
                login=register.user.login)],
        )
    return 0


def cmd_rekey(args) -> int:
    """A new data key after a suspected compromise; the administrator's passphrase stays."""
    from app.store import rekey

    secret = passphrase()
    register = unlock(args.register, args.user, secret)
    unit, register_id = register.unit(), register.register_id
    try:
        result = rekey.rekey(register, secret)
    finally:
        register.close()
    if args.recovery_sheet:
        from app.reports.recovery_sheet import write_recovery_sheet

        write_recovery_sheet(Path(args.recovery_sheet), unit, register_id, result.recovery_key.formatted(), utc_now())
    emit(
        args,
        {"register": str(args.register), "backup": str(result.backup), "recovery_key": result.recovery_key.formatted(),
         "need_passphrase": result.need_passphrase,
         "recovery_sheet": str(args.recovery_sheet) if args.recovery_sheet else None},
        [
            _("The register has a new key. Old copies of the key-slot file and old passphrases no longer open it."),
            _("A backup under the old key was written first: {path}").format(path=result.backup),
            "",
            _("NEW RECOVERY KEY (the old one no longer works; write it down or print it now):"),
            "    " + result.recovery_key.formatted(),
            "",
            *([_("These users need a new passphrase from you (tuvan users passwd LOGIN): {logins}").format(
                logins=", ".join(result.need_passphrase))] if result.need_passphrase else []),
            *([_("Recovery sheet written to {path}.").format(path=args.recovery_sheet)] if args.recovery_sheet else []),
        ],
    )
    return 0


def cmd_backup(args) -> int:
    with open_register(args) as register:
        if args.out:
            out = Path(args.out)
            manifest = backup.write_backup(register, out)
        else:
            out = backup.backup_now(register)
            manifest = backup.read_manifest(out)
        emit(
            args,
            {"backup": str(out), "register_id": manifest.register_id, "created_at": manifest.created_at,
             "schema_version": manifest.schema_version, "bytes": out.stat().st_size},
            [_("Backup written to {path} ({size} KB).").format(path=out, size=out.stat().st_size // 1024)],
        )
    return 0


def cmd_restore(args) -> int:
    result = backup.restore_backup(
        Path(args.backup), Path(args.register), args.user, passphrase(), replace_other=args.replace_other
    )
    lines = [_("Restored {path} from the backup of {created}.").format(
        path=result.root, created=result.manifest.created_at)]
    if result.previous:
        lines.append(_("The register it replaced was kept in {path}.").format(path=result.previous))
    emit(args, {"register": str(result.root), "backup": str(args.backup),
                "previous": str(result.previous) if result.previous else None}, lines)
    return 0


def cmd_demo(args) -> int:
    """Create the demo register (same passphrase for every demo user) if it is missing; fill it if empty."""
    from app.demo import writer as demo

    root = Path(args.register)
    register, created, filled, had_clients = demo.open_or_create_demo(
        root, clients=args.clients, months=args.months, seed=args.seed,
        progress=None if args.json else _demo_progress())
    with register:
        counts = holdings.counts(register.conn)
    emit(
        args,
        {"register": str(root), "created": created, "users": ["admin"] + [u[0] for u in demo.DEMO_USERS],
         "passphrase": demo.DEMO_PASSPHRASE, "filled": filled is not None, "counts": counts,
         "months": args.months if filled else None, "seed": args.seed if filled else None,
         "seconds": filled.seconds if filled else None,
         "stage_seconds": filled.stage_seconds if filled else None},
        [
            (_("Demo register created: {path}") if created else _("Demo register: {path}")).format(path=root),
            *_demo_lines(counts, filled, had_clients, args),
            _("Users: admin (administrator), lan (counsellor), hung (reporter)"),
            _("Passphrase for every demo user: {passphrase}").format(passphrase=demo.DEMO_PASSPHRASE),
        ],
    )
    return 0


def _demo_lines(counts: dict, filled, had_clients: int, args) -> list[str]:
    if filled is None:
        return [_("It already holds {n} clients; no demo data was added.").format(n=had_clients)] if had_clients else []
    return [
        _("Demo data for {months} months (seed {seed}) written in {seconds} s:").format(
            months=args.months, seed=args.seed, seconds=filled.seconds),
        "  " + _("Clients: {clients} (family members {family}, closed cases {closed})").format(
            clients=counts["clients"], family=counts["family_members"], closed=counts["closed_cases"]),
        "  " + _("Staff and volunteers: {staff}; hamlets: {hamlets}").format(
            staff=counts["staff"], hamlets=counts["hamlets"]),
        "  " + _("Counselling contacts: {contacts} (group session participants {participants})").format(
            contacts=counts["contacts"], participants=counts["session_participants"]),
        "  " + _("Referrals: {referrals} (waiting for the outcome {pending})").format(
            referrals=counts["referrals"], pending=counts["referrals_pending"]),
        "  " + _("Voluntary rehabilitation: {rehab}; methadone: {methadone}").format(
            rehab=counts["rehab_registrations"], methadone=counts["methadone_episodes"]),
        "  " + _("Self-help groups: {groups} ({meetings} meetings)").format(
            groups=counts["self_help_groups"], meetings=counts["group_meetings"]),
        "  " + _("Outreach activities: {n}").format(n=counts["outreach"]),
    ]


def _demo_progress():
    """Progress on one terminal line per stage; nothing when stderr is not a terminal."""
    import sys

    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if done and done >= total else ""
        print(f"\r  {_(stage)}: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def add_parsers(cli) -> None:
    init = cli.command("init", cmd_init, _("create a new register"))
    init.add_argument("--role", required=True, choices=("point", "district"), help=_("point or district"))
    init.add_argument("--code", required=True, help=_("unit code, e.g. MYHOA-01"))
    init.add_argument("--name", required=True, help=_("unit name"))
    init.add_argument("--office", help=_("name of the office that receives the reports"))
    init.add_argument("--full-name", help=_("full name of the first administrator"))
    init.add_argument("--recovery-sheet", metavar="PDF", help=_("also write the printable recovery sheet"))
    init.add_argument("--database", metavar="URL", help=_(
        "keep a receiving office's register on a PostgreSQL server, e.g. postgresql://postgres@db.office.vn/tuvan_office"
        " (as the server's administrator, password from PGPASSWORD; off the server TLS with a checked certificate"
        " is required: docs/postgresql.md)"))

    cli.command("check", cmd_check, _("check integrity, schema version and counts"))

    recover = cli.command("recover", cmd_recover,
                          _("set a new passphrase with the recovery key (new one from TUVAN_NEW_PASSPHRASE)"))
    recover.add_argument("--recovery-key", required=True, help=_("the key printed on the recovery sheet"))

    rekey = cli.command("rekey", cmd_rekey, _("give the register a new key after a suspected compromise "
                                              "(administrators; prints a new recovery key)"))
    rekey.add_argument("--recovery-sheet", metavar="PDF", help=_("also write the printable recovery sheet"))

    backup_parser = cli.command("backup", cmd_backup, _("write an encrypted backup"))
    backup_parser.add_argument("--out", metavar="FILE",
                               help=_("backup file (default: the register's backups folder, rotated)"))

    restore = cli.command("restore", cmd_restore, _("restore a backup after checking it; the replaced register is kept"))
    restore.add_argument("--backup", required=True, metavar="FILE", help=_("backup file (.tvbak)"))
    restore.add_argument("--replace-other", action="store_true",
                         help=_("set aside a different register that is in the folder"))

    demo = cli.command("demo", cmd_demo, _("create the demo register if it does not exist and fill it with demo data"))
    demo.add_argument("--clients", type=int, default=150,
                      help=_("clients to make, family members included (default: %(default)s; 0: none)"))
    demo.add_argument("--months", type=int, default=12, help=_("months of activity to make (default: %(default)s)"))
    demo.add_argument("--seed", type=int, default=2026,
                      help=_("random seed: the same seed makes the same data (default: %(default)s)"))
