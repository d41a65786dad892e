"""An office register on a PostgreSQL server (issue 17; docs/postgresql.md)."""
