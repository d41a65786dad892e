"""tuvan users add | list | passwd | set-role | units"""

from __future__ import annotations

from app.cli.context import emit, new_passphrase, open_register
from app.core.i18n import _
from app.store import users


def cmd_users_add(args) -> int:
    secret = new_passphrase()
    with open_register(args) as register:
        user = users.add_user(register, args.login, args.full_name or args.login, args.role, secret)
        emit(args, {"login": user.login, "role": user.role.value},
             [_("Added {login} ({role}).").format(login=user.login, role=user.role.label)])
    return 0


def cmd_users_list(args) -> int:
    with open_register(args) as register:
        found = users.list_users(register.conn)
    emit(
        args,
        {"users": [{"login": u.login, "full_name": u.full_name, "role": u.role.value,
                    "active": u.active} for u in found]},
        [
            f"{u.login:<16} {u.role.label:<28} {u.full_name}"
            + ("" if u.active else "  " + _("(deactivated)"))
            for u in found
        ],
    )
    return 0


def cmd_users_passwd(args) -> int:
    secret = new_passphrase()
    with open_register(args) as register:
        target = args.login or register.user.login
        user = users.set_passphrase(register, target, secret)
        emit(args, {"login": user.login}, [_("New passphrase set for {login}.").format(login=user.login)])
    return 0


def cmd_users_set_role(args) -> int:
    with open_register(args) as register:
        user = users.set_role(register, args.login, args.role, active=not args.deactivate)
        emit(args, {"login": user.login, "role": user.role.value, "active": user.active},
             [_("{login}: {role}{state}").format(
                 login=user.login, role=user.role.label,
                 state="" if user.active else " " + _("(deactivated)"))])
    return 0


def cmd_users_units(args) -> int:
    with open_register(args) as register:
        if not hasattr(register, "assign_units"):
            from app.core.errors import InvalidInput
            from app.core.i18n import N_

            raise InvalidInput(field=N_("Units"), problem=N_(
                "only an office register on a PostgreSQL server limits officers to units; on a register file "
                "every user sees every unit"))
        if args.units is not None:
            register.assign_units(args.login, [u.strip().upper() if u.strip() != "*" else "*"
                                               for u in args.units.split(",") if u.strip()])
        units = register.units_of(args.login)
        emit(args, {"login": args.login, "units": units},
             [_("{login} serves: {units}").format(login=args.login,
                                                 units=", ".join(_("every unit") if u == "*" else u for u in units))])
    return 0


def add_parsers(cli) -> None:
    actions = cli.group("users", _("manage users"))
    add = cli.command("add", cmd_users_add, _("add a user (passphrase from TUVAN_NEW_PASSPHRASE)"), actions)
    add.add_argument("login", help=_("user name"))
    add.add_argument("--full-name", help=_("full name"))
    add.add_argument("--role", default="counsellor", choices=("admin", "counsellor", "reporter"), help=_("role"))
    cli.command("list", cmd_users_list, _("list users"), actions)
    passwd = cli.command("passwd", cmd_users_passwd, _("set a new passphrase (from TUVAN_NEW_PASSPHRASE)"), actions)
    passwd.add_argument("login", nargs="?", help=_("user name (default: yourself)"))
    set_role = cli.command("set-role", cmd_users_set_role, _("change a user's role"), actions)
    set_role.add_argument("login", help=_("user name"))
    set_role.add_argument("role", choices=("admin", "counsellor", "reporter"), help=_("role"))
    set_role.add_argument("--deactivate", action="store_true", help=_("the user can no longer unlock"))
    units = cli.command("units", cmd_users_units, _("show or set the units an officer serves (office on a server)"),
                        actions)
    units.add_argument("login", help=_("user name"))
    units.add_argument("--set", dest="units", metavar="CODES",
                       help=_("the units, comma-separated (e.g. MYHOA-01,PHUTHANH-01; * = every unit)"))
