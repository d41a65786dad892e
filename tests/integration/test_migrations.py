"""Schema upgrades: refuse newer, back up first, one transaction per step."""

import shutil
from pathlib import Path

import pytest

from app.core import paths
from app.core.errors import RegisterTooNew
from app.store import migrations
from app.store.register import unlock
from tests.conftest import PASSPHRASE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _schema_with(tmp_path, extra: dict[str, str]) -> Path:
    folder = tmp_path / "schema"
    shutil.copytree(paths.db_schema(), folder)
    for name, sql in extra.items():
        (folder / name).write_text(sql)
    return folder


def test_a_newer_register_is_refused_with_a_clear_message(register):
    root = register.paths.root
    register.conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    register.close()
    with pytest.raises(RegisterTooNew) as info:
        unlock(root, "admin", PASSPHRASE)
    assert "phiên bản mới hơn" in info.value.message


def test_upgrade_backs_up_first_then_applies_each_step(register, tmp_path):
    n = migrations.latest_version() + 1
    schema = _schema_with(tmp_path, {f"{n:04d}_extra.sql": "CREATE TABLE extra (id INTEGER PRIMARY KEY);"})
    taken = []
    applied = migrations.upgrade(register.conn, backup=taken.append, schema_dir=schema)
    assert applied == [n] and taken == [n - 1]
    assert migrations.current_version(register.conn) == n
    assert "extra" in register.db.table_names()


def test_a_failing_step_leaves_the_previous_schema(register, tmp_path):
    n = migrations.latest_version() + 1
    schema = _schema_with(tmp_path, {
        f"{n:04d}_half.sql": "CREATE TABLE half (id INTEGER);\nINSERT INTO nowhere VALUES (1);",
    })
    with pytest.raises(Exception):
        migrations.upgrade(register.conn, schema_dir=schema)
    assert migrations.current_version(register.conn) == n - 1
    assert "half" not in register.db.table_names()
    assert not register.conn.in_transaction


def test_migration_files_are_numbered_without_gaps(tmp_path):
    schema = _schema_with(tmp_path, {f"{migrations.latest_version() + 2:04d}_gap.sql": "SELECT 1;"})
    with pytest.raises(RuntimeError):
        migrations.available(schema)


def test_the_schema_1_fixture_register_opens_and_upgrades(tmp_path):
    """tests/fixtures/register-v1 was written by the first release's schema."""
    root = tmp_path / "register-v1"
    shutil.copytree(FIXTURES / "register-v1", root)
    with unlock(root, "admin", "fixture passphrase v1") as reg:
        assert migrations.current_version(reg.conn) == migrations.latest_version()
        assert reg.unit().name == "Điểm tư vấn thị trấn Cái Tắc"
        assert [u.login for u in __import__("app.store.users", fromlist=["x"]).list_users(reg.conn)] == ["admin", "thu"]
        from app.store import audit

        assert audit.verify(reg.conn).ok
    if migrations.latest_version() > 1:
        assert list((root / "backups").glob("*before-upgrade-v1*.tvbak"))
