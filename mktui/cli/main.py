"""The ``mktui`` command: the console, and its scriptable subcommands.

Each part registers its own subcommands (``add_commands(subparsers)``) from a
small module that imports its heavy dependencies only when the command runs,
so ``mktui`` starts the console without loading FastAPI or uvicorn.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn


class _Parser(argparse.ArgumentParser):
    """argparse with the exit code of every mktui command for a usage error: 1, not 2."""

    def error(self, message: str) -> NoReturn:
        from mktui.cli.exit_codes import Exit

        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"{self.prog}: error: {message}\n")


def build_parser(*, subcommands: bool = True) -> argparse.ArgumentParser:
    """The argument parser for ``mktui`` and (unless ``subcommands`` is False) its subcommands."""
    from mktui import __version__
    from mktui.cli.exit_codes import HELP_TEXT

    parser = _Parser(
        prog="mktui",
        description="MKController billing from the terminal: subscribe, devices, cards, invoices.",
        epilog=HELP_TEXT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=subcommands,
    )
    parser.add_argument("--version", action="version", version=f"mktui {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="run against the embedded sandbox billing server, signed in as a demo account",
    )
    parser.add_argument(
        "--as",
        dest="sandbox_account",
        default=None,
        metavar="ACCOUNT",
        help="with --sandbox: demo (past due, the default), annual, or new (inactive, to subscribe)",
    )
    parser.add_argument("--profile", default=None, help="the profile to sign in with")
    parser.add_argument(
        "--insecure-storage",
        action="store_true",
        help="allow keeping the refresh token in a 0600 plain file when no keyring works",
    )
    if not subcommands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    from mktui.sandbox import commands as sandbox_commands

    sandbox_commands.add_commands(subparsers)
    try:
        from mktui.cli import session_commands
    except ImportError:  # pragma: no cover - while the part is being built
        pass
    else:
        session_commands.add_commands(subparsers)
    from mktui.cli import commands

    commands.add_commands(subparsers)
    return parser


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; the subcommands (and what they import) load only when asked for.

    Opening the console takes only the top-level options: a parser without the
    subcommands reads them (about 13 ms less on the way to the first screen).
    Anything else — a subcommand, ``--help``, a mistake — goes to the full parser.
    """
    if not any(arg in ("-h", "--help") for arg in argv):
        console = build_parser(subcommands=False)
        console.error = _not_for_the_console  # type: ignore[method-assign]
        try:
            args, rest = console.parse_known_args(argv)
        except _NotForTheConsole:
            pass
        else:
            if not rest:
                args.command = None
                return args
    return build_parser().parse_args(argv)


class _NotForTheConsole(Exception):
    """The console parser could not read the arguments: the full parser will say why."""


def _not_for_the_console(message: str) -> NoReturn:
    raise _NotForTheConsole(message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mktui``; returns the process exit code."""
    from mktui.tui import startup_gc

    startup_gc.pause()  # the console resumes it once its first data is in
    try:
        args = _parse(sys.argv[1:] if argv is None else list(argv))
        handler = getattr(args, "handler", None)
        if handler is not None:
            startup_gc.resume(freeze=False)
            return int(handler(args) or 0)
        from mktui.tui.app import run_console

        return int(run_console(args) or 0)
    finally:
        startup_gc.resume(freeze=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
