"""BR Code: the Pix "copia e cola" payload (EMV QR Code merchant-presented mode).

The payload is a run of TLV fields — a two-digit id, a two-digit length and
the value — ending with field 63, a CRC16-CCITT-FALSE (polynomial 0x1021,
initial value 0xFFFF) over everything before it, "6304" included, written as
four uppercase hex digits. Fields 26–51 (merchant account information), 62
(additional data) and 80–99 are templates: their value is itself a run of
TLV fields. The Pix rules come from the Banco Central's "Manual de Padrões
para Iniciação do Pix"; there is no well-kept Python library for them, so
this small module builds and parses payloads and the tests hold it to the
manual's published examples.

Pure: no IO, no Textual, no httpx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

PIX_GUI = "br.gov.bcb.pix"
"""The globally unique identifier of the Pix arrangement in field 26, subfield 00.

Compared without regard to case. Built in capitals: a payload made only of
capitals, digits and ``$%*+-./:`` and space fits QR's alphanumeric mode, which
packs it in a code a version smaller (41 modules instead of 49 for a charge),
small enough to draw in an 80×24 terminal.
"""

BRL_NUMERIC = "986"
"""ISO 4217 numeric code of the real (field 53)."""

MAX_TXID = 25
"""The longest txid field 62-05 holds (letters and digits only)."""

_TEMPLATES = frozenset(
    {*(f"{n:02d}" for n in range(26, 52)), "62", *(f"{n:02d}" for n in range(80, 100))}
)
_TXID = re.compile(r"^[A-Za-z0-9]{1,25}$|^\*\*\*$")
_AMOUNT = re.compile(r"^\d{1,10}\.\d{2}$")

FIELD_NAMES = {
    "00": "Payload format indicator",
    "01": "Point of initiation method",
    "26": "Merchant account information (Pix)",
    "52": "Merchant category code",
    "53": "Transaction currency",
    "54": "Transaction amount",
    "58": "Country code",
    "59": "Merchant name",
    "60": "Merchant city",
    "61": "Postal code",
    "62": "Additional data field template",
    "63": "CRC16",
}
"""What each top-level field holds, for people reading a decoded payload."""


class BrCodeError(ValueError):
    """A payload that is not a valid BR Code; the message says where and why."""


@dataclass(frozen=True)
class Field:
    """One TLV field; ``children`` holds the subfields of a template field."""

    id: str
    value: str
    children: tuple[Field, ...] = ()

    def child(self, field_id: str) -> str | None:
        """The value of subfield ``field_id``, or None."""
        return next((c.value for c in self.children if c.id == field_id), None)


@dataclass(frozen=True)
class PixPayload:
    """What a Pix BR Code says, decoded."""

    fields: tuple[Field, ...]
    key: str | None
    url: str | None
    amount: Decimal | None
    merchant_name: str
    merchant_city: str
    txid: str | None
    one_time: bool
    crc: str

    def field(self, field_id: str) -> Field | None:
        """The top-level field ``field_id``, or None."""
        return next((f for f in self.fields if f.id == field_id), None)


def crc16(data: str) -> str:
    """CRC16-CCITT-FALSE of ``data``'s UTF-8 bytes as four uppercase hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def tlv(field_id: str, value: str) -> str:
    """One field: id, two-digit length (in characters, as the manual counts) and value."""
    if len(field_id) != 2 or not field_id.isdigit():
        raise BrCodeError(f"Field id {field_id!r} must be two digits.")
    if not value or len(value) > 99:
        raise BrCodeError(f"Field {field_id} must hold 1 to 99 characters, not {len(value)}.")
    return f"{field_id}{len(value):02d}{value}"


def parse_fields(data: str, *, where: str = "payload") -> tuple[Field, ...]:
    """Split ``data`` into TLV fields (templates split one level further)."""
    fields: list[Field] = []
    pos = 0
    while pos < len(data):
        head = data[pos : pos + 4]
        if len(head) < 4 or not head.isdigit():
            raise BrCodeError(
                f"The {where} breaks at character {pos + 1}: expected a field id and length."
            )
        field_id, length = head[:2], int(head[2:])
        value = data[pos + 4 : pos + 4 + length]
        if length == 0 or len(value) != length:
            raise BrCodeError(
                f"Field {field_id} of the {where} says {length} characters but holds {len(value)}."
            )
        children: tuple[Field, ...] = ()
        if where == "payload" and field_id in _TEMPLATES:
            children = parse_fields(value, where=f"field {field_id}")
        fields.append(Field(field_id, value, children))
        pos += 4 + length
    return tuple(fields)


def _required(fields: tuple[Field, ...], field_id: str) -> Field:
    found = next((f for f in fields if f.id == field_id), None)
    if found is None:
        raise BrCodeError(
            f"The payload has no field {field_id} ({FIELD_NAMES.get(field_id, 'required')})."
        )
    return found


def parse(payload: str) -> PixPayload:
    """Decode and check a Pix BR Code: its structure, its CRC and the Pix fields."""
    if not payload.startswith("000201"):
        raise BrCodeError("A BR Code starts with 000201 (payload format indicator 01).")
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise BrCodeError("A BR Code ends with its CRC field, 6304 and four hex digits.")
    expected = crc16(payload[:-4])
    if payload[-4:].upper() != expected:
        raise BrCodeError(f"The CRC is {payload[-4:]} but the payload's CRC16 is {expected}.")
    fields = parse_fields(payload)
    if fields[-1].id != "63":
        raise BrCodeError("The CRC field must be the last one.")
    account = next(
        (
            f
            for f in fields
            if f.id in _TEMPLATES and f.id != "62" and (f.child("00") or "").lower() == PIX_GUI
        ),
        None,
    )
    if account is None:
        raise BrCodeError(f"No merchant account field holds the Pix identifier {PIX_GUI}.")
    if _required(fields, "53").value != BRL_NUMERIC:
        raise BrCodeError("A Pix is in reais: field 53 must be 986.")
    amount_field = next((f for f in fields if f.id == "54"), None)
    if amount_field is not None and not _AMOUNT.match(amount_field.value):
        raise BrCodeError(
            "Field 54 (amount) must be digits with a point and two decimals, like 129.00."
        )
    additional = next((f for f in fields if f.id == "62"), None)
    initiation = next((f.value for f in fields if f.id == "01"), None)
    return PixPayload(
        fields=fields,
        key=account.child("01"),
        url=account.child("25"),
        amount=Decimal(amount_field.value) if amount_field else None,
        merchant_name=_required(fields, "59").value,
        merchant_city=_required(fields, "60").value,
        txid=additional.child("05") if additional else None,
        one_time=initiation == "12",
        crc=fields[-1].value,
    )


def _ascii(text: str, limit: int) -> str:
    """Name and city in plain ASCII capitals (the manual's character set), cut to ``limit``."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = "".join(c for c in folded if c.isalnum() or c in " .-/").strip().upper()
    return kept[:limit] or "-"


def build_pix(
    *,
    key: str,
    amount_minor: int,
    merchant_name: str,
    merchant_city: str,
    txid: str,
    one_time: bool = True,
) -> str:
    """The BR Code of a Pix of ``amount_minor`` centavos to ``key``, identified by ``txid``."""
    if amount_minor <= 0:
        raise BrCodeError("A Pix charge needs an amount above zero.")
    if amount_minor >= 10**12:
        raise BrCodeError("A Pix amount has at most 13 characters (R$ 9.999.999.999,99).")
    if not _TXID.match(txid):
        raise BrCodeError(f"The txid must be 1 to {MAX_TXID} letters and digits.")
    if not key or len(key) > 77:
        raise BrCodeError("The Pix key must hold 1 to 77 characters.")
    reais, centavos = divmod(amount_minor, 100)
    parts = [tlv("00", "01")]
    if one_time:
        parts.append(tlv("01", "12"))
    parts += [
        tlv("26", tlv("00", PIX_GUI.upper()) + tlv("01", key)),
        tlv("52", "0000"),
        tlv("53", BRL_NUMERIC),
        tlv("54", f"{reais}.{centavos:02d}"),
        tlv("58", "BR"),
        tlv("59", _ascii(merchant_name, 25)),
        tlv("60", _ascii(merchant_city, 15)),
        tlv("62", tlv("05", txid)),
    ]
    body = "".join(parts) + "6304"
    return body + crc16(body)


def describe(payload: PixPayload) -> list[tuple[str, str, str]]:
    """(id, name, value) of each top-level field, for showing a decoded payload."""
    return [(f.id, FIELD_NAMES.get(f.id, "Field"), f.value) for f in payload.fields]
