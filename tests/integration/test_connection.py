"""The connection module: no way to a plaintext file; sqlite-utils on SQLCipher."""

import os
import sqlite3

import pytest

from app.core.errors import PlaintextDatabase, WrongPassphrase
from app.store.connection import SQLITE_HEADER, database, open_keyed

KEY = os.urandom(32)


def test_a_key_is_required(tmp_path):
    for bad in (None, b"", b"short", "x" * 32, os.urandom(16)):
        with pytest.raises(ValueError):
            open_keyed(tmp_path / "x.db", bad, create=True)
    assert not (tmp_path / "x.db").exists()


def test_created_file_is_encrypted_with_pragmas_set(tmp_path):
    conn = open_keyed(tmp_path / "a.db", KEY, create=True)
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.execute("INSERT INTO t VALUES ('Lê Văn Tám')")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    conn.close()
    data = (tmp_path / "a.db").read_bytes()
    assert not data.startswith(SQLITE_HEADER)
    assert "Lê Văn Tám".encode() not in data


def test_wrong_key_is_refused_and_prints_nothing(tmp_path, capfd):
    open_keyed(tmp_path / "a.db", KEY, create=True).close()
    before = (tmp_path / "a.db").read_bytes()
    with pytest.raises(WrongPassphrase):
        open_keyed(tmp_path / "a.db", os.urandom(32))
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    assert (tmp_path / "a.db").read_bytes() == before


def test_a_plaintext_database_is_refused(tmp_path):
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(PlaintextDatabase):
        open_keyed(plain, KEY)


def test_opening_a_missing_file_without_create_does_not_make_one(tmp_path):
    with pytest.raises(FileNotFoundError):
        open_keyed(tmp_path / "missing.db", KEY)
    assert not (tmp_path / "missing.db").exists()


def test_sqlite_utils_paths_that_catch_operational_error(tmp_path):
    """alter=True, drop(ignore=True) and create_index(find_unique_name=True) rely on
    sqlite-utils catching OperationalError, which must be SQLCipher's class."""
    db = database(open_keyed(tmp_path / "u.db", KEY, create=True))
    db["people"].insert({"id": 1, "name": "An"}, pk="id")
    db["people"].insert({"id": 2, "name": "Bình", "hamlet": "Ấp 3"}, alter=True)
    assert "hamlet" in db["people"].columns_dict
    db["missing"].drop(ignore=True)
    with pytest.raises(Exception) as info:
        db["missing"].drop()
    assert type(info.value).__module__.startswith("sqlcipher3")
    db["people"].create_index(["name"], index_name="idx_name")
    db["people"].create_index(["name"], index_name="idx_name", find_unique_name=True)
    assert len(db["people"].indexes) == 2
    with db.atomic():
        db["people"].insert({"id": 3, "name": "Châu"})
    with pytest.raises(RuntimeError), db.atomic():
        db["people"].insert({"id": 4, "name": "Dung"})
        raise RuntimeError
    assert db["people"].count == 3
    db.conn.close()
