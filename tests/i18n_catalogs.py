"""The translation catalogs: what the code asks for, what each catalog holds, and their upkeep.

``python -m tests.i18n_catalogs`` extracts the marked strings (``_``, ``N_``,
``ngettext``) from ``mktui/`` into ``mktui/locale/mktui.pot``, merges them into
each language's ``.po`` (new strings arrive untranslated, changed ones fuzzy),
fills the English catalog (its text is the code's), and compiles every ``.mo``.
Translate the new entries of pt_BR, es and fr, then run it again to compile.
``problems()`` is what tests/test_i18n.py checks.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from mktui.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

_FIXED_DATE = datetime(2026, 12, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "mktui"
METHOD_MAP = [("**.py", "python")]
# The sandbox is the server: its messages reach the admin as the server sends them.
SKIP = ("sandbox/",)
# ...but ``mktui sandbox ...`` is the command line: its help and sentences are translated.
EXTRACTED_FROM_SKIPPED = ("sandbox/commands.py",)


def extract(source_dir: Path = SOURCE_DIR) -> Catalog:
    """Every marked string under ``source_dir``, with where it is used."""
    # A fixed creation date: the files then change only when their messages do, and
    # two branches that both ran this do not conflict on a header line.
    catalog = Catalog(project="mktui", domain=DOMAIN, charset="utf-8", creation_date=_FIXED_DATE)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(source_dir), METHOD_MAP, keywords=DEFAULT_KEYWORDS
    ):
        if filename.startswith(SKIP) and filename not in EXTRACTED_FROM_SKIPPED:
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Where ``language``'s catalog lives."""
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path) -> Catalog:
    """The catalog in ``path``."""
    with path.open("rb") as handle:
        return read_po(handle)


def compiled(catalog: Catalog) -> bytes:
    """``catalog`` as the ``.mo`` bytes gettext reads (fuzzy entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _translated(message) -> bool:
    if isinstance(message.id, tuple):
        return isinstance(message.string, tuple) and all(message.string)
    return bool(message.string)


def problems(source_dir: Path = SOURCE_DIR, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Each reason the catalogs do not cover the code, as one line; empty when they do."""
    wanted = extract(source_dir)
    found: list[str] = []
    for language in LANGUAGES:
        path = po_path(language, locale_dir)
        if not path.exists():
            found.append(f"{language}: no catalog at {path}")
            continue
        catalog = read(path)
        for message in wanted:
            if not message.id:
                continue
            entry = catalog.get(message.id, message.context)
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            if entry is None:
                found.append(f"{language}: missing {message.id!r} ({where})")
            elif entry.fuzzy:
                found.append(f"{language}: fuzzy {message.id!r} ({where})")
            elif not _translated(entry):
                found.append(f"{language}: untranslated {message.id!r} ({where})")
        for entry in catalog:
            if entry.id and entry.fuzzy and wanted.get(entry.id, entry.context) is None:
                found.append(f"{language}: fuzzy entry no longer used {entry.id!r}")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            found.append(f"{language}: {mo.name} is not compiled from {path.name}")
    return found


def update(locale_dir: Path = LOCALE_DIR) -> None:
    """Extract, merge into every catalog, fill English, compile (see the module doc)."""
    template = extract()
    locale_dir.mkdir(parents=True, exist_ok=True)
    with (locale_dir / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, omit_header=False, sort_output=True, width=100)
    for language in LANGUAGES:
        path = po_path(language, locale_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read(path) if path.exists() else Catalog(locale=language, domain=DOMAIN)
        # A fresh template each time: Catalog.update hands the template's own
        # message objects to the catalog, and English fills them in.
        catalog.update(extract(), no_fuzzy_matching=True)
        if language == "en":
            for message in catalog:
                if message.id and not _translated(message):
                    message.string = message.id
                message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, width=100)
        catalog = read(path)
        path.with_suffix(".mo").write_bytes(compiled(catalog))


if __name__ == "__main__":
    update()
    left = problems()
    print("\n".join(left) if left else "every catalog covers the code")
    sys.exit(1 if left else 0)
