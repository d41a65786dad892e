"""The command line in Vietnamese has no English left in it: help, output and errors (issue 16).

English words are the words of the program's English messages that no Vietnamese translation
uses (tests/english.py); command names and choices are typed as they are, and are allowed in help.
"""

from __future__ import annotations

import argparse
import re

import pytest

from app.cli.main import build_parser
from app.core.i18n import set_language
from app.sync import identity
from tests.conftest import PASSPHRASE, run_cli
from tests.english import english_words

ENV = {"TUVAN_PASSPHRASE": PASSPHRASE, "TUVAN_NEW_PASSPHRASE": PASSPHRASE, "TUVAN_LANG": "vi"}


def _helps(parser: argparse.ArgumentParser, path: str):
    yield path, parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _helps(sub, f"{path} {name}")


def _typed(parser: argparse.ArgumentParser, commands_only: bool = False) -> set[str]:
    """What a user types as it is: command names, and (unless `commands_only`) choices, metavars and
    positional names."""
    words = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            words |= set(action.choices)
            for sub in action.choices.values():
                words |= _typed(sub, commands_only)
        elif not commands_only:
            words |= {str(c) for c in (action.choices or ())}
            words |= {action.metavar} if isinstance(action.metavar, str) else set()
            words |= {action.dest} if not action.option_strings else set()
    return {w for t in words for w in re.findall(r"[A-Za-z]+", t)}


@pytest.fixture
def parser_in():
    def made(language: str) -> argparse.ArgumentParser:
        set_language(language)
        return build_parser()
    yield made
    set_language("vi")


def test_every_help_page_is_vietnamese(parser_in):
    parser = parser_in("vi")
    typed = _typed(parser)
    pages = list(_helps(parser, "tuvan"))
    assert len(pages) > 40
    found = {path: words for path, text in pages if (words := english_words(text, typed))}
    assert found == {}


def test_the_check_finds_english_help(parser_in):
    parser = parser_in("en")
    english = {path: english_words(text, _typed(parser)) for path, text in _helps(parser, "tuvan")}
    assert {"this", "help", "message", "exit"} <= set(english["tuvan"])
    assert all(english.values())


# The administrator's login (a name the user chose) and the commands, which messages quote ("tuvan
# init"): not words of the program. Role names and other values are not allowed in what it says.
DATA = {"admin"}


def _vietnamese(result, typed: set[str] | None = None) -> str:
    text = result.stdout + result.stderr
    if typed is None:
        typed = _typed(build_parser(), commands_only=True)
    assert english_words(text, DATA | typed) == [], text
    return text


@pytest.fixture
def point(tmp_path):
    root = tmp_path / "point"
    made = run_cli("init", "--register", str(root), "--role", "point", "--code", "MYHOA-01",
                   "--name", "Điểm tư vấn xã Mỹ Hòa", "--office", "UBND xã Mỹ Hòa", "--full-name", "Nguyễn Văn Đức",
                   env=ENV)
    assert made.returncode == 0, made.stderr
    _vietnamese(made)
    return root


def test_a_point_register_speaks_vietnamese_from_init_to_bundle(point, tmp_path):
    office_root = tmp_path / "office"
    assert run_cli("init", "--register", str(office_root), "--role", "district", "--code", "AG-CA",
                   "--name", "Công an tỉnh An Giang", env=ENV).returncode == 0
    from app.store.register import unlock

    # The point trusts the office, so that `keys show` lists a peer with its role.
    with unlock(point, None, PASSPHRASE) as mine, unlock(office_root, None, PASSPHRASE) as office:
        theirs = identity.own_identity(office)
        identity.pin(mine, theirs, theirs.confirmation)
    shown = _vietnamese(run_cli("keys", "show", "--register", str(point), env=ENV))
    assert "Điểm tư vấn" in shown and "Cơ quan tiếp nhận" in shown
    for args in (["check"], ["users", "list"], ["audit", "verify"], ["audit", "list"], ["search", "nguyen"],
                 ["backup"], ["bundle", "export", "--out", str(tmp_path / "out")], ["relay", "list"],
                 ["report", "dhis2", "--month", "2026-11", "--dry-run"]):
        result = run_cli(*args, "--register", str(point), env=ENV)
        _vietnamese(result)


@pytest.mark.parametrize("args, says", [
    (["check", "--register", "{missing}"], "Không tìm thấy"),
    (["init", "--role", "county", "--code", "X", "--name", "Y", "--register", "{missing}"], "lựa chọn không hợp lệ"),
    (["check", "--register", "{point}", "--bogus"], "không hiểu các đối số"),
    (["report"], "còn thiếu các đối số"),
])
def test_mistakes_are_told_in_vietnamese(point, tmp_path, args, says):
    filled = [a.format(missing=tmp_path / "nothing-here", point=point) for a in args]
    result = run_cli(*filled, env=ENV)
    assert result.returncode != 0
    text = _vietnamese(result, _typed(build_parser()))  # usage lines name the choices
    assert says in text


def test_demo_on_a_register_that_is_not_the_demo_says_what_to_do(point):
    before = {p.name: p.read_bytes() for p in point.iterdir() if p.is_file() and p.suffix != ".lock"}
    result = run_cli("demo", "--register", str(point), env=ENV)
    assert result.returncode == 1
    text = _vietnamese(result)
    assert "không phải sổ mẫu" in text and "tuvan demo --register" in text
    assert "Sai tên người dùng" not in text
    after = {p.name: p.read_bytes() for p in point.iterdir() if p.is_file() and p.suffix != ".lock"}
    assert after.keys() == before.keys()
    assert after["register.db"] == before["register.db"]

