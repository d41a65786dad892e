"""The register's SQLite spellings as PostgreSQL reads them (app/store/pg/dialect.py), and which
parameters are sealed: no server needed."""

from __future__ import annotations

import pytest

from app.store.pg.dialect import translate
from app.store.pg.personal import MARK, Sealer


def test_placeholders_literals_and_percent_signs():
    done = translate("SELECT code FROM clients WHERE origin = ? AND seq % ? = ? AND notes != '50% ?'")
    assert done.sql == "SELECT code FROM clients WHERE origin = %s AND seq %% %s = %s AND notes != '50%% ?'"
    named = translate("SELECT 1 FROM contacts WHERE contact_date BETWEEN :first AND :last AND at != '10:30'")
    assert named.named and named.sql.endswith("BETWEEN %(first)s AND %(last)s AND at != '10:30'")


def test_null_safe_comparisons_and_sqlite_only_words():
    assert translate("SELECT 1 FROM t WHERE status IS 'closed' AND outcome IS NOT 'pending' AND x IS NULL").sql == (
        "SELECT 1 FROM t WHERE status IS NOT DISTINCT FROM 'closed' AND outcome IS DISTINCT FROM 'pending'"
        " AND x IS NULL")
    assert translate("SELECT 1 FROM t WHERE id IS NOT ?").sql == "SELECT 1 FROM t WHERE id IS DISTINCT FROM %s"
    assert translate("INSERT OR IGNORE INTO receipts (a, b) VALUES (?, ?)").sql == (
        "INSERT INTO receipts (a, b) VALUES (%s, %s) ON CONFLICT DO NOTHING")
    assert translate("SELECT c.id FROM clients c INDEXED BY clients_sort WHERE c.deleted = 0").sql == (
        "SELECT c.id FROM clients c WHERE c.deleted = 0")
    assert translate("CREATE TEMP TABLE IF NOT EXISTS x (a TEXT, PRIMARY KEY (a)) WITHOUT ROWID").sql == (
        "CREATE TEMP TABLE IF NOT EXISTS x (a TEXT, PRIMARY KEY (a))")
    assert "pg_temp.sync_arriving" in translate("SELECT id FROM temp.sync_arriving WHERE tbl = ?").sql
    assert "information_schema.columns" in translate("PRAGMA table_info(clients)").sql


def test_full_text_search_becomes_a_token_match():
    done = translate("SELECT c.id FROM client_search s CROSS JOIN clients c ON c.seq = s.rowid"
                     " WHERE client_search MATCH ? AND c.origin != ?")
    assert done.sql == ("SELECT c.id FROM client_search s JOIN clients c ON c.seq = s.rowid"
                        " WHERE to_tsvector('simple', s.terms) @@ to_tsquery('simple', %s) AND c.origin != %s")
    assert done.sealed == ((0, "match"),)
    plain = translate("SELECT count(*) FROM client_search WHERE client_search MATCH ?")
    assert "to_tsvector('simple', client_search.terms) @@ to_tsquery('simple', %s)" in plain.sql
    replaced = translate("INSERT OR REPLACE INTO client_search (rowid, terms) VALUES (?, ?)")
    assert replaced.sql.endswith("ON CONFLICT (rowid) DO UPDATE SET terms = excluded.terms")
    assert replaced.sealed == ((1, "words"),)
    with pytest.raises(ValueError):
        translate("INSERT OR REPLACE INTO staff (id, full_name) VALUES (?, ?)")


def test_personal_values_are_found_in_inserts_updates_and_comparisons():
    assert translate("INSERT INTO clients (id, code, full_name, phone) VALUES (?, ?, ?, ?)").sealed == (
        (2, "seal"), (3, "seal"))
    assert translate("UPDATE clients SET sort_key = ? WHERE seq = ?").sealed == ((0, "seal"),)
    assert translate("SELECT id FROM clients WHERE citizen_id = ? AND citizen_id != '' AND origin != ?").sealed == (
        (0, "seal"),)
    assert translate("SELECT count(*) FROM clients WHERE origin = ?").sealed == ()


def test_sealing_is_deterministic_keyed_and_reversible():
    key = bytes(range(32))
    sealer, other = Sealer(key, "register-a"), Sealer(key, "register-b")
    name = "Nguyễn Thị Hồng Nhung"
    sealed = sealer.seal(name)
    assert sealed.startswith(MARK) and name not in sealed and sealed == sealer.seal(name)
    assert other.seal(name) != sealed and sealer.open(sealed) == name
    assert sealer.seal("") == "" and sealer.seal(None) is None and sealer.seal(7) == 7
    assert sealer.open(sealer.seal(b"\x01\x02")) == b"\x01\x02"
    words = sealer.words(" nguyen thi hong nhung")
    assert "nguyen" not in words and len(words.split()) == 4
    query = sealer.match('"nguyen" AND "nhung"*')
    assert query.count(" & ") == 1 and all(token in words.split() for token in query.split(" & "))
    assert words.replace(" ", "").isalpha()
