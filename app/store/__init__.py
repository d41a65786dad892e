"""The encrypted register: the SQLCipher connection, key slots, migrations, backups and rekeying,
and one repository module per group of tables (clients, contacts, referrals, groups, staff, users,
audit, the sync tables, …).

Imports app.core only. The home of SQL: every statement the program runs is written here, apart
from the monthly form's counting statements in app/reports/sources.py (tests/unit/test_sql_home.py)."""
