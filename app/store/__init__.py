"""The encrypted register: connection, key slots, migrations, repositories."""
