"""What the admin reads when mktui stops on a defect: where it failed, never what was typed.

An unhandled exception ends the console (Textual exits on it). Its report is
printed to the terminal, which may be shared, logged or pasted into a ticket,
so it holds only what locates the defect: the exception's type and the frames
(file, line, function, the line of source). It leaves out

- every frame's local variables: a frame of the sign-in or payment screens may
  hold a password, a passphrase, a token, a card number or a CVC;
- the exception's message and notes (and a syntax error's line): they are often
  built from input (``int("4242 4242…")`` says the number back);

and it ends with a sentence saying what to do next, above all after a payment.
"""

from __future__ import annotations

import sys
from types import TracebackType

import rich
from rich.console import Group, RenderableType
from rich.text import Text
from rich.traceback import Trace, Traceback

from mktui.core.i18n import N_, _

WITHHELD = N_("(its message is not shown: it may hold what was typed)")
"""What stands where the exception's message was (marked: translated in the report)."""


def crash_sentence(type_name: str) -> str:
    """The sentence under the report: what stopped, and what to check before paying again."""
    return _(
        "mktui stopped on an unexpected problem ({type}); nothing you typed is shown "
        "above. If it happened while paying, open Invoices (i) when you start mktui again "
        "and check whether the payment went through before paying again. Please report "
        "the lines above."
    ).format(type=type_name)


def crash_report(
    exc_type: type[BaseException] | None = None,
    exc_value: BaseException | None = None,
    traceback: TracebackType | None = None,
) -> RenderableType:
    """The report of an exception (by default the one being handled), without locals or messages."""
    if exc_value is None:
        exc_type, exc_value, traceback = sys.exc_info()
    if exc_type is None or exc_value is None:
        return Text(crash_sentence(_("unknown")))
    trace = Traceback.extract(exc_type, exc_value, traceback, show_locals=False)
    _withhold_messages(trace)
    return Group(
        Traceback(trace, width=None, show_locals=False, suppress=[rich]),
        Text(""),
        Text(crash_sentence(exc_type.__name__)),
    )


def _withhold_messages(trace: Trace) -> None:
    for stack in trace.stacks:
        stack.exc_value = _(WITHHELD)
        stack.notes = []
        stack.syntax_error = None
        for group_member in stack.exceptions:
            _withhold_messages(group_member)
