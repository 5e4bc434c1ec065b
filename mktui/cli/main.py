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

from mktui.core import i18n
from mktui.core.i18n import _


class _Parser(argparse.ArgumentParser):
    """argparse with the exit code of every mktui command for a usage error: 1, not 2."""

    def error(self, message: str) -> NoReturn:
        from mktui.cli.exit_codes import Exit

        self.print_usage(sys.stderr)
        self.exit(
            Exit.USAGE, _("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n"
        )


def build_parser(*, subcommands: bool = True) -> argparse.ArgumentParser:
    """The argument parser for ``mktui`` and (unless ``subcommands`` is False) its subcommands."""
    from mktui import __version__
    from mktui.cli.exit_codes import HELP_TEXT

    parser = _Parser(
        prog="mktui",
        description=_(
            "MKController billing from the terminal: subscribe, devices, cards, invoices."
        ),
        epilog=_(HELP_TEXT),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=subcommands,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mktui {__version__}",
        help=_("show the version of mktui and exit"),
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help=_("run against the embedded sandbox billing server, signed in as a demo account"),
    )
    parser.add_argument(
        "--as",
        dest="sandbox_account",
        default=None,
        metavar="ACCOUNT",
        help=_(
            "with --sandbox: demo (past due, the default), annual, or new (inactive, to subscribe)"
        ),
    )
    parser.add_argument("--profile", default=None, help=_("the profile to sign in with"))
    parser.add_argument(
        "--lang",
        default=None,
        metavar="LANG",
        help=_("the language of the console and the messages: en, pt_BR, es or fr"),
    )
    parser.add_argument(
        "--insecure-storage",
        action="store_true",
        help=_("allow keeping the refresh token in a 0600 plain file when no keyring works"),
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
    from mktui.cli import commands, web

    commands.add_commands(subparsers)
    web.add_commands(subparsers)
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


def _flag(argv: list[str], name: str) -> str | None:
    """The value of ``--name X`` or ``--name=X`` in ``argv`` (the last one wins), before parsing.

    The language must be chosen before the parser is built: its help is translated.
    """
    value = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith(name + "="):
            value = arg.split("=", 1)[1]
    return value


def _language(argv: list[str]) -> str:
    """The language for this run: ``--lang``, the ``--profile``'s locale, the environment."""
    profile_locale = None
    name = _flag(argv, "--profile")
    if name:
        # Imported only with --profile: the profiles file code costs 28 ms (-X importtime).
        from mktui.config.profiles import Config, ConfigError

        try:
            profile_locale = Config.load().profile(name).locale
        except ConfigError:
            pass  # the command itself reports a bad profile, in the language chosen without it
    return i18n.choose_language(_flag(argv, "--lang"), profile_locale)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mktui``; returns the process exit code."""
    from mktui.tui import startup_gc

    startup_gc.pause()  # the console resumes it once its first data is in
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        try:
            i18n.use(_language(argv))
        except ValueError as error:
            from mktui.cli.exit_codes import Exit

            print(f"mktui: {error}", file=sys.stderr)
            return int(Exit.USAGE)
        from mktui.cli import argparse_words

        argparse_words.speak()
        args = _parse(argv)
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
