"""No sentence a person reads is left out of the catalogs: unmarked sentence-like text fails.

tests/test_i18n.py checks that every *marked* string is translated; this checks
that nothing that reads like a sentence escapes marking. It walks the code
people read through (the console, the command line, the API layer's errors, the
credential stores' descriptions, the core modules that word refusals and
preview lines, and ``mktui sandbox ...``) and lists each string constant that
starts like an English sentence (``"Payment failed"``, ``"A decrease must…"``,
``f"mktui hit an unexpected problem ({name})…"``) and is not inside ``_()``,
``N_()``, ``ngettext()`` or ``pgettext()``. Docstrings and attribute docstrings
(a string standing alone as a statement) are not text people read.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests import i18n_catalogs

SOURCE_DIR = i18n_catalogs.SOURCE_DIR

# Starts like a sentence: "Payment failed", "A decrease must…", or three lower-case
# words that end with a full stop, a colon or a semicolon ("mktui hit an … report it.").
SENTENCE = re.compile(r"^[A-Z][a-z']* [a-z]|^[a-z]+ [a-z]+ [a-z]+ .*[a-z][.;:]$")
MARKERS = frozenset({"_", "N_", "ngettext", "pgettext", "npgettext", "gettext"})

# Whole modules whose text is not for people, each with its reason.
NOT_FOR_PEOPLE = {
    # The sandbox is the billing server: its messages reach the admin as the server sends them
    # (only `mktui sandbox ...`, sandbox/commands.py, is the command line's and is scanned).
    "sandbox/": "the server's own text",
    # BR Code field names and structure errors are the Pix spec's diagnostics: a person meets one
    # only as the detail in parentheses of a translated sentence ("the server's Pix code is not a
    # valid BR Code (...); pay this invoice by card"), as support would ask for it.
    "core/brcode.py": "Pix spec diagnostics",
    # Money's errors are a programmer's (an operation no screen offers): amounts people type are
    # checked, with translated refusals, before they become Money.
    "core/money.py": "programmer errors",
}

# English that stays English on purpose: (module, text) and why.
STAYS_ENGLISH = {
    # pydantic's prefix, stripped from its messages: compared, never shown.
    ("api/failures.py", "Value error, "),
    # asyncio's message for a closed loop, compared to silence a known warning at exit.
    ("cli/web.py", "Event loop is closed"),
    # keyring's own PasswordDeleteError text; every caller catches it, nobody reads it.
    ("config/credentials/cryptfile.py", "Password not found"),
    # `mktui sandbox serve`'s address line: scripts (and tests/cli/harness.py) read it
    # (docs/translating.md); an f-string, named by its literal parts.
    ("sandbox/commands.py", "mktui sandbox listening on http://: (database ); Ctrl+C stops it."),
    # A column key of History's table, compared; the header is its N_ marked twin, drawn with _().
    ("tui/screens/history.py", "Credit after"),
}


def _statement_strings(tree: ast.AST) -> set[int]:
    """Docstrings and attribute docstrings: a string constant standing alone as a statement."""
    found: set[int] = set()
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if not isinstance(statements, list):
                continue  # an IfExp's orelse is an expression, a Lambda's body too
            for statement in statements:
                if (
                    isinstance(statement, ast.Expr)
                    and isinstance(statement.value, ast.Constant)
                    and isinstance(statement.value.value, str)
                ):
                    found.add(id(statement.value))
    return found


def _marked(tree: ast.AST) -> set[int]:
    """Every node inside a call to a translation function."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in MARKERS:
                found.update(id(inner) for inner in ast.walk(node))
    return found


def _text_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        # An f-string reads as its literal parts: f"Plan {x} is not offered." → "Plan  is not offered."
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def unmarked(source_dir: Path = SOURCE_DIR) -> list[str]:
    """``module:line: text`` for each unmarked sentence-like string people could read."""
    found: list[str] = []
    for path in sorted(source_dir.rglob("*.py")):
        module = path.relative_to(source_dir).as_posix()
        skipped = any(module.startswith(prefix) for prefix in NOT_FOR_PEOPLE)
        if skipped and module not in i18n_catalogs.EXTRACTED_FROM_SKIPPED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        ignored = _statement_strings(tree) | _marked(tree)
        # In source order, f-strings before their own parts (ast.walk goes level by level).
        nodes = sorted(
            ast.walk(tree), key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))
        )
        for node in nodes:
            if id(node) in ignored:
                continue
            text = _text_of(node)
            if text is None or not SENTENCE.match(text) or (module, text) in STAYS_ENGLISH:
                continue
            if isinstance(node, ast.JoinedStr):
                # Its parts are Constants too: report the f-string once, not each part again.
                ignored.update(id(value) for value in node.values)
            found.append(f"{module}:{node.lineno}: {text!r}")
    return found


def test_no_sentence_people_read_is_left_unmarked():
    found = unmarked()
    assert not found, "\n".join(
        [*found, "… mark each with _() or N_() (docs/translating.md), or allow it with a reason"]
    )


def test_an_unmarked_sentence_is_caught_and_a_marked_one_or_a_docstring_is_not(tmp_path):
    tui = tmp_path / "tui"
    tui.mkdir()
    (tui / "planted.py").write_text(
        '"""A module docstring: not read on screen."""\n'
        "from mktui.core.i18n import N_, _\n"
        'TITLE = N_("Marked at import time")\n'
        "def done(app, error, n):\n"
        '    """A function docstring."""\n'
        '    app.notify("Card removed from the account.")\n'
        '    app.notify(_("Translated as it should be."))\n'
        '    app.notify(f"mktui hit an unexpected problem ({error}); report it.")\n'
        '    return f"The invoice {n} was paid."\n'
    )
    (tmp_path / "sandbox").mkdir()
    (tmp_path / "sandbox" / "server.py").write_text('MESSAGE = "The server says so."\n')
    found = unmarked(tmp_path)
    assert found == [
        "tui/planted.py:6: 'Card removed from the account.'",
        "tui/planted.py:8: 'mktui hit an unexpected problem (); report it.'",
        "tui/planted.py:9: 'The invoice  was paid.'",
    ]
