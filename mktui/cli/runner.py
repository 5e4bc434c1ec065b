"""Running one scriptable command: its shared options, its client, its exit code.

Every command (``mktui status``, ``mktui invoices pay``…) is an async function
of a :class:`Context`; :func:`command` turns it into an argparse handler that
connects (:mod:`mktui.cli.connect`), runs it, and turns every failure into a
sentence on standard error and one of the exit codes of
:mod:`mktui.cli.exit_codes`. Standard output carries only the result, so
``--json`` and ``--csv`` stay machine-readable.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from mktui.cli.exit_codes import Exit
from mktui.cli.output import Format, Output
from mktui.core.i18n import _

if TYPE_CHECKING:
    from mktui.api.client import BillingClient

Command = Callable[["Context"], Awaitable[int]]


def add_common(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    """``--profile``, ``--sandbox``, ``--as``, ``--insecure-storage``, ``--passphrase-fd``, formats.

    SUPPRESS keeps ``mktui --sandbox status`` working: a subcommand's own
    default would otherwise overwrite the main parser's value.
    """
    where = parser.add_argument_group(_("where"))
    where.add_argument("--profile", default=argparse.SUPPRESS, help=_("the profile to use"))
    where.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("the embedded sandbox, signed in as a demo account"),
    )
    where.add_argument(
        "--as",
        dest="sandbox_account",
        default=argparse.SUPPRESS,
        metavar="ACCOUNT",
        help=_("with --sandbox: demo, annual or new"),
    )
    where.add_argument(
        "--insecure-storage",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("also read the session from the 0600 plain file"),
    )
    where.add_argument(
        "--passphrase-fd",
        metavar="FD",
        default=None,
        help=_("read the encrypted sign-in file's passphrase from this file descriptor"),
    )
    if formats:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--json", dest="format", action="store_const", const="json", help=_("print JSON")
        )
        group.add_argument(
            "--csv", dest="format", action="store_const", const="csv", help=_("print CSV")
        )
        parser.set_defaults(format="table")


def add_money_options(parser: argparse.ArgumentParser) -> None:
    """``--yes`` and ``--idempotency-key``, for the commands that charge or change billing."""
    parser.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help=_("do it without asking (needed without a terminal)"),
    )
    parser.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help=_("a key to retry this exact command safely (default: a new one per run)"),
    )


@dataclass
class Context:
    """What a running command has: its arguments, the client, where it writes and asks."""

    args: argparse.Namespace
    out: Output
    err: TextIO = field(default_factory=lambda: sys.stderr)
    ask: Callable[[str], str] = field(default_factory=lambda: ask_on_stderr)
    interactive: bool = field(default_factory=lambda: _is_terminal(sys.stdin))
    client: BillingClient = field(init=False)

    def note(self, text: str) -> None:
        """A line for people on standard error (progress, what is about to happen)."""
        print(text, file=self.err, flush=True)

    def fail(self, text: str, code: int) -> int:
        """A sentence on standard error; returns ``code``."""
        print(f"mktui: {text}", file=self.err, flush=True)
        return code

    def key(self, suffix: str = "") -> str:
        """The Idempotency-Key of this run: ``--idempotency-key`` (plus ``suffix``) or a new one.

        One per invocation: a script that retries the same command with the
        same key is answered the first outcome instead of being charged twice.
        """
        from mktui.api.client import new_idempotency_key

        given = getattr(self.args, "idempotency_key", None)
        if given:
            return f"{given}{suffix}"
        return new_idempotency_key()

    def confirm(self, statement: list[str], question: str) -> bool:
        """Show what will happen, then ask on a terminal; without one, only ``--yes`` proceeds.

        The statement goes to standard error, so ``--json`` output stays clean
        and a cron mail still records what was charged.
        """
        for line in statement:
            self.note(line)
        if getattr(self.args, "yes", False):
            return True
        if not self.interactive:
            self.fail(
                _(
                    "There is no terminal to confirm on, so nothing was done; "
                    "add --yes to go ahead without asking."
                ),
                Exit.USAGE,
            )
            return False
        try:
            answer = self.ask(question + " " + _("[y/N]") + " ")
        except EOFError:
            answer = ""
        if answer.strip().lower() in yes_words():
            return True
        self.note(_("Not confirmed; nothing was done."))
        return False


def yes_words() -> set[str]:
    """The answers that confirm: y and yes, and the language's own (s/sim, s/sí, o/oui)."""
    # Translators: the answers that mean yes, separated by spaces (y and yes always work).
    return {"y", "yes", *_("y yes").lower().split()}


def ask_on_stderr(prompt: str) -> str:
    """Ask on standard error and read a line: ``input()`` would print the prompt into the
    standard output a script is reading as JSON. An empty answer at end of input."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline()


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:
        return False


def command(run: Command) -> Callable[[argparse.Namespace], int]:
    """An argparse handler running ``run`` with a signed-in client; returns the exit code."""

    def handler(args: argparse.Namespace, **context: object) -> int:
        import asyncio

        fmt: Format = getattr(args, "format", "table")
        ctx = Context(args, context.pop("out", None) or Output(fmt), **context)  # type: ignore[arg-type]
        try:
            return int(asyncio.run(_run(run, ctx)))
        except KeyboardInterrupt:
            return ctx.fail(_("Interrupted; check `mktui invoices list` before trying again."), 1)
        except BrokenPipeError:
            # `mktui invoices list --all | head`: the reader stopped, which is fine.
            _silence_stdout()
            return Exit.OK

    handler.__doc__ = run.__doc__
    return handler


async def _run(run: Command, ctx: Context) -> int:
    from mktui.api.errors import ApiError
    from mktui.cli.connect import SignInNeeded, UsageError, connect
    from mktui.cli.exit_codes import for_api_error
    from mktui.config.credentials import CredentialError

    try:
        client = await connect(ctx.args, interactive=ctx.interactive)
    except SignInNeeded as exc:
        return ctx.fail(exc.message, Exit.SIGN_IN)
    except UsageError as exc:
        return ctx.fail(exc.message, Exit.USAGE)
    except CredentialError as exc:
        return ctx.fail(exc.message, Exit.SIGN_IN)
    except ApiError as exc:
        return ctx.fail(exc.message, for_api_error(exc))
    async with client:
        ctx.client = client
        try:
            return await run(ctx)
        except UsageError as exc:
            return ctx.fail(exc.message, Exit.USAGE)
        except ApiError as exc:
            return ctx.fail(explain(exc), for_api_error(exc))


def explain(error: object) -> str:
    """An ``ApiError``'s sentence, naming the field on a validation error."""
    from mktui.api.errors import ApiError, ErrorKind
    from mktui.api.failures import field_label

    assert isinstance(error, ApiError)
    if (
        error.kind is ErrorKind.VALIDATION
        and error.field
        and field_label(error.field) not in (error.message.lower())
    ):
        return f"{error.message} ({field_label(error.field)})"
    return error.message


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at devnull so the interpreter's final flush is quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
