"""argparse's own words (``usage:``, ``options``, its usage errors) in mktui's language.

argparse translates through ``gettext.gettext`` in the ``messages`` domain,
which mktui does not ship; :func:`speak` points argparse's module-level ``_`` and
``ngettext`` at mktui's catalogs instead, so ``mktui --lang fr invoices pay``
says ``utilisation :`` and ``arguments obligatoires`` like the rest of the help.
The strings below are argparse's msgids (Python 3.11–3.13), marked here only so
that the extraction puts them in mktui's catalogs.
"""

from __future__ import annotations

import argparse

from mktui.core import i18n
from mktui.core.i18n import N_, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _plural_mark(count: int) -> str:
    """argparse's one plural message (``nargs=N``), here so that the extraction finds it."""
    return ngettext("expected %s argument", "expected %s arguments", count) % count


def speak() -> None:
    """Make argparse's own messages speak the language chosen with :func:`mktui.core.i18n.use`."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
