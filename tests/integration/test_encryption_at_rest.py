"""Nothing personal is readable on disk: register, WAL, key slots, backups."""

from pathlib import Path

from app.store import backup, users
from app.store.connection import SQLITE_HEADER
from app.store.register import unlock
from tests.conftest import PASSPHRASE, PERSON

SECRET_NAME = "Phạm Thị Bích Ngọc"


def _needles(text: str) -> list[bytes]:
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return [text.encode("utf-8"), text.encode("utf-16-le"), folded.encode(), b"Ngoc", "Ngọc".encode()]


def _scan(folder: Path) -> dict[str, list[str]]:
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits = [n.decode("utf-8", "replace") for n in _needles(SECRET_NAME) + _needles(PERSON) if n in data]
        if data.startswith(SQLITE_HEADER) or SQLITE_HEADER in data:
            hits.append("SQLite header")
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def test_register_files_hold_no_header_and_no_name(register):
    root = register.paths.root
    users.add_user(register, "ngoc", SECRET_NAME, "counsellor", "mật khẩu rất dài 2026")
    with register.transaction():
        register.audit("note", "client", None, {"name": SECRET_NAME})
    backup.backup_now(register)
    wal = Path(f"{register.paths.db}-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the test must see a WAL with content"
    assert _scan(root) == {}  # while open, WAL included
    register.close()
    assert _scan(root) == {}
    reopened = unlock(root, "ngoc", "mật khẩu rất dài 2026")
    assert reopened.user.full_name == SECRET_NAME  # the data really was written
    reopened.close()


def test_backup_file_and_its_parts_hold_nothing_readable(register, tmp_path):
    out = tmp_path / "usb" / "backup.tvbak"
    backup.write_backup(register, out)
    data = out.read_bytes()
    assert SQLITE_HEADER not in data
    assert not any(n in data for n in _needles(PERSON))


def test_the_register_opens_only_with_its_passphrase(register):
    root = register.paths.root
    register.close()
    with unlock(root, "admin", PASSPHRASE) as again:
        assert again.user.full_name == PERSON
