"""CPF and CNPJ: normalise, validate and format Brazilian tax ids.

The check digits come from python-stdnum (``stdnum.br.cpf`` and
``stdnum.br.cnpj``; stdnum 2.2 knows the alphanumeric CNPJ issued since July
2026: twelve characters ``0-9A-Z`` and two numeric check digits). This module
adds what stdnum leaves out — a number made of one repeated digit
(``111.111.111-11``) passes the CPF arithmetic yet is never issued — and turns
every failure into a :class:`TaxIdError` with a sentence for people.

stdnum is imported inside the functions that need it: its ``util`` module pulls
in ``pydoc`` and ``ssl``, which the console's start-up should not pay for.
Error sentences never repeat the number itself (it is personal data and may end
up in a log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mktui.core.i18n import N_, _

Kind = Literal["cpf", "cnpj"]
Reason = Literal["missing", "length", "format", "repeated", "checksum"]

CPF_LENGTH = 11
CNPJ_LENGTH = 14

# Separators people type or paste: dots, slashes, hyphens and their Unicode
# look-alikes (dashes from word processors), and any kind of space.
_SEPARATORS = re.compile(r"[\s./\-\u2010-\u2015\u2212]+")
_CPF = re.compile(r"[0-9]{11}")
_CNPJ = re.compile(r"[0-9A-Z]{12}[0-9]{2}")

_LABEL = {"cpf": "CPF", "cnpj": "CNPJ", None: N_("CPF or CNPJ")}


class TaxIdError(ValueError):
    """A CPF or CNPJ that cannot be used, with a sentence saying why.

    ``kind`` is ``"cpf"``, ``"cnpj"`` or ``None`` when the input is neither
    length; ``reason`` is a stable code (``missing``, ``length``, ``format``,
    ``repeated``, ``checksum``); ``sentence`` is the text for people.
    """

    def __init__(self, kind: Kind | None, reason: Reason, sentence: str) -> None:
        super().__init__(sentence)
        self.kind = kind
        self.reason = reason
        self.sentence = sentence


@dataclass(frozen=True, slots=True)
class TaxId:
    """A validated tax id: its kind and its compact form (digits and capitals only)."""

    kind: Kind
    compact: str

    @property
    def formatted(self) -> str:
        """The usual presentation: ``123.456.789-09`` or ``11.222.333/0001-81``."""
        return _format_compact(self.kind, self.compact)

    def __str__(self) -> str:
        return self.formatted


def compact(value: str) -> str:
    """*value* without separators or spaces, letters upper-cased (``12.abc…`` → ``12ABC…``)."""
    if not isinstance(value, str):
        raise TypeError(f"a CPF or CNPJ must be given as text, not {type(value).__name__}")
    return _SEPARATORS.sub("", value).upper()


def kind_of(value: str) -> Kind | None:
    """Which tax id *value* looks like: 11 digits → ``"cpf"``, 14 characters → ``"cnpj"``.

    ``None`` when it is neither (too short, too long, or 11 characters with a
    letter). Only the length and characters are looked at, not the check digits.
    """
    number = compact(value)
    if _CPF.fullmatch(number):
        return "cpf"
    if len(number) == CNPJ_LENGTH:
        return "cnpj"
    return None


def validate_cpf(value: str) -> str:
    """The compact CPF, or :class:`TaxIdError` saying what is wrong with it."""
    number = compact(value)
    if not number:
        raise TaxIdError("cpf", "missing", _("CPF is missing; type its 11 digits."))
    if not re.fullmatch(r"[0-9]*", number):
        raise TaxIdError(
            "cpf", "format", _("CPF must contain only digits (dots and a hyphen are fine).")
        )
    if len(number) != CPF_LENGTH:
        raise TaxIdError(
            "cpf", "length", _("CPF must have 11 digits; this one has {n}.").format(n=len(number))
        )
    _refuse_repeated("cpf", number)
    from stdnum.br import cpf
    from stdnum.exceptions import ValidationError

    try:
        cpf.validate(number)
    except ValidationError:
        raise _checksum_error("cpf") from None
    return number


def validate_cnpj(value: str) -> str:
    """The compact CNPJ (numeric or alphanumeric), or :class:`TaxIdError` saying what is wrong."""
    number = compact(value)
    if not number:
        raise TaxIdError("cnpj", "missing", _("CNPJ is missing; type its 14 characters."))
    if not re.fullmatch(r"[0-9A-Z]*", number):
        raise TaxIdError(
            "cnpj",
            "format",
            _("CNPJ must contain only digits and letters (dots, a slash and a hyphen are fine)."),
        )
    if len(number) != CNPJ_LENGTH:
        raise TaxIdError(
            "cnpj",
            "length",
            _("CNPJ must have 14 characters; this one has {n}.").format(n=len(number)),
        )
    if not _CNPJ.fullmatch(number):
        raise TaxIdError("cnpj", "format", _("CNPJ must end in two digits (its check digits)."))
    _refuse_repeated("cnpj", number)
    if number.startswith("0" * 12):
        raise TaxIdError(
            "cnpj", "format", _("CNPJ cannot have a base number of zeros; check the number.")
        )
    from stdnum.br import cnpj
    from stdnum.exceptions import ValidationError

    try:
        cnpj.validate(number)
    except ValidationError:
        raise _checksum_error("cnpj") from None
    return number


def validate(value: str, kind: Kind | None = None) -> TaxId:
    """A valid :class:`TaxId` from *value*, telling CPF from CNPJ by its length unless *kind* is given."""
    number = compact(value)
    if kind is None:
        if not number:
            raise TaxIdError(None, "missing", _("CPF or CNPJ is missing; type the number."))
        # Eleven characters with a stray letter is a mistyped CPF, not "neither":
        # say what is wrong with it as a CPF.
        kind = "cpf" if len(number) == CPF_LENGTH else kind_of(number)
    if kind == "cpf":
        return TaxId("cpf", validate_cpf(number))
    if kind == "cnpj":
        return TaxId("cnpj", validate_cnpj(number))
    raise TaxIdError(
        None,
        "length",
        _("A CPF has 11 digits and a CNPJ 14 characters; this one has {n}.").format(n=len(number)),
    )


def is_valid(value: str, kind: Kind | None = None) -> bool:
    """True when *value* is a valid CPF or CNPJ (of *kind*, when given)."""
    try:
        validate(value, kind)
    except TaxIdError:
        return False
    return True


def format(value: str, kind: Kind | None = None) -> str:  # the name stdnum uses
    """*value* validated and presented as ``123.456.789-09`` or ``11.222.333/0001-81``.

    Raises :class:`TaxIdError` for an invalid number rather than dress it up.
    """
    return validate(value, kind).formatted


def _format_compact(kind: Kind, n: str) -> str:
    if kind == "cpf":
        return f"{n[0:3]}.{n[3:6]}.{n[6:9]}-{n[9:11]}"
    return f"{n[0:2]}.{n[2:5]}.{n[5:8]}/{n[8:12]}-{n[12:14]}"


def _refuse_repeated(kind: Kind, number: str) -> None:
    # stdnum accepts 111.111.111-11 (its check digits work out); the Receita
    # Federal never issues such numbers, and people type them as placeholders.
    if len(set(number)) == 1:
        label = _(_LABEL[kind])
        raise TaxIdError(
            kind,
            "repeated",
            _("{label} cannot be one digit repeated; type the real number.").format(label=label),
        )


def _checksum_error(kind: Kind) -> TaxIdError:
    label = _(_LABEL[kind])
    return TaxIdError(
        kind,
        "checksum",
        _("{label} check digits do not match; check the number for a typo.").format(label=label),
    )
