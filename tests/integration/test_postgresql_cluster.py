"""The PostgreSQL server the office-on-PostgreSQL tests run against (issue 17, points 1 and 2):
16 or newer, started by the tests in a temporary folder, plain text only on this computer's own
socket and 127.0.0.1, TLS from anywhere else (packaging/postgresql/cluster.py)."""

from __future__ import annotations

import psycopg
import pytest


def test_the_server_is_postgresql_16_or_newer_and_answers_on_its_socket(pg_cluster):
    with psycopg.connect(pg_cluster.dsn()) as conn:
        assert conn.info.server_version >= 160000
        assert conn.execute("SHOW ssl").fetchone()[0] == "on"
        assert not conn.info.pgconn.ssl_in_use  # the socket needs no TLS


def test_off_the_plain_address_a_connection_without_tls_is_refused(pg_cluster):
    with psycopg.connect(pg_cluster.dsn(host="127.0.0.1", sslmode="disable")) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(pg_cluster.dsn(host="::1", sslmode="disable"))
    assert "pg_hba.conf rejects" in str(refused.value)
    with psycopg.connect(pg_cluster.dsn(host="::1", sslmode="verify-full", sslrootcert=str(pg_cluster.certificate))) as conn:
        assert conn.info.pgconn.ssl_in_use


def test_a_wrong_password_is_refused(pg_cluster):
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(pg_cluster.dsn(password="not-the-password"))
    assert "password authentication failed" in str(refused.value)
