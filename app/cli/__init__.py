"""The `tuvan` command line: argparse over core, store, sync and reports (no Qt)."""
