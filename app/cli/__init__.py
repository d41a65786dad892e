"""The `tuvan` command line: argparse over core, store, sync, reports and demo.

Never imports Qt; SQL goes through the store's repositories."""
