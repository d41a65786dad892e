"""`python -m app` starts the GUI; `python -m app <command>` runs the command line."""

import sys


def main() -> int:
    argv = sys.argv[1:]
    if argv and (not argv[0].startswith("-") or argv[0] in ("-h", "--help", "--version")):
        from app.cli.main import main as cli_main

        return cli_main(argv)
    from app.gui.shell.launch import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
