"""Saving what the billing API sent: the folder, a safe file name, and never over an existing file.

Shared by the console (Invoices, `d`; the CSV export, `e`) and the command line
(`mktui invoices receipt`).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import IO, Any

import platformdirs

from mktui.core.i18n import _

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_download_dir() -> Path:
    """The user's Downloads folder when it exists, else the current folder."""
    try:
        folder = Path(platformdirs.user_downloads_dir())
    except Exception:  # noqa: BLE001 - any platform oddity: fall back to where mktui runs
        return Path.cwd()
    return folder if folder.is_dir() else Path.cwd()


def receipt_name(invoice_number: str, kind: str = "receipt") -> str:
    """``receipt-MK-000012.pdf`` (or ``invoice-…`` for ``kind="invoice"``): nothing unsafe in it."""
    stem = _UNSAFE.sub("-", invoice_number).strip(".-") or "invoice"
    return f"{kind}-{stem[:80]}.pdf"


def document_name(kind: str, invoice_number: str, suffix: str) -> str:
    """``nfse-MK-000012.xml``: a document's kind, the invoice number made safe, the suffix."""
    stem = _UNSAFE.sub("-", invoice_number).strip(".-") or "invoice"
    return f"{kind}-{stem[:80]}{suffix}"


def create_new(folder: Path, name: str, mode: str = "xb", **open_args: Any) -> tuple[Path, IO[Any]]:
    """A new file ``name`` in ``folder`` open for writing (``name (2).ext``… if taken).

    Each name is claimed with exclusive creation (``x``), so an existing file
    is never replaced and two saves at once cannot pick the same file.
    """
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext}" if dot else ""
    stem = stem if dot else name
    for n in range(1, 1000):
        path = folder / (name if n == 1 else f"{stem} ({n}){suffix}")
        try:
            return path, path.open(mode, **open_args)
        except FileExistsError:
            continue
    raise FileExistsError(
        _("{folder} already holds 999 copies of {name}.").format(folder=folder, name=name)
    )


def export_name(kind: str, day: date, *qualifiers: str) -> str:
    """``invoices-2026-11-26.csv`` / ``invoices-overdue-2026-11-26.csv``: nothing unsafe in it."""
    parts = [
        kind,
        *(_UNSAFE.sub("-", q).strip(".-")[:40] for q in qualifiers if q),
        day.isoformat(),
    ]
    return "-".join(p for p in parts if p) + ".csv"


def save_document(data: bytes, folder: Path, name: str) -> Path:
    """Write ``data`` to a new file ``name`` in ``folder`` (``name (2).ext``… if taken)."""
    path, file = create_new(folder, name)
    with file:
        file.write(data)
    return path


def save_receipt(data: bytes, folder: Path, invoice_number: str, *, kind: str = "receipt") -> Path:
    """Write ``data`` to a new file in ``folder`` and return its path.

    An existing file is never replaced: ``receipt-X.pdf`` becomes
    ``receipt-X (2).pdf``, ``(3)``… Each name is claimed with exclusive
    creation (``"xb"``), so two saves at once cannot pick the same file.
    """
    return save_document(data, folder, receipt_name(invoice_number, kind))
