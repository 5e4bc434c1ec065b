"""A billing address and its checks: Brazil's CEP (8 digits) and the 27 UF codes.

The sandbox refuses a bad address with these checks and the console's form
runs the same ones as the admin types, so a field is marked before anything
is sent. Each check answers the value to store or raises
:class:`AddressError` naming the field, with a sentence saying what to do.
Pure: no IO, no Textual, no httpx.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from mktui.core.i18n import N_, _

UF_CODES: tuple[str, ...] = (
    "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA",
    "PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO",
)  # fmt: skip
"""The 26 states and the Federal District of Brazil."""

FIELDS: tuple[str, ...] = (
    "street",
    "number",
    "complement",
    "district",
    "city",
    "state",
    "postal_code",
    "country",
)
OPTIONAL: frozenset[str] = frozenset({"complement"})
MAX_LENGTH = 120

_LABELS = {
    "street": N_("Street"),
    "number": N_("Number"),
    "complement": N_("Complement"),
    "district": N_("District"),
    "city": N_("City"),
    "state": N_("State"),
    "postal_code": N_("Postal code"),
    "country": N_("Country"),
}
_CEP = re.compile(r"^\d{5}-?\d{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class AddressError(ValueError):
    """An address field that cannot be kept; ``field`` names it, ``sentence`` says what to do."""

    def __init__(self, field: str, sentence: str) -> None:
        super().__init__(sentence)
        self.field = field
        self.sentence = sentence


@dataclass(frozen=True, slots=True)
class Address:
    """A checked address: the CEP compact (8 digits), state and country upper case."""

    street: str
    number: str
    complement: str | None
    district: str
    city: str
    state: str
    postal_code: str
    country: str

    def to_dict(self) -> dict[str, str | None]:
        """The address with the wire's field names."""
        return asdict(self)

    def lines(self) -> list[str]:
        """The address as printed: ``Av. Paulista, 1000 - sala 5``, ``Bela Vista``, ``São Paulo - SP``, ``CEP 01310-100``."""
        first = f"{self.street}, {self.number}"
        if self.complement:
            first += f" - {self.complement}"
        if self.country == "BR":
            return [
                first,
                self.district,
                f"{self.city} - {self.state}",
                f"CEP {format_cep(self.postal_code)}",
            ]
        return [first, self.district, f"{self.city}, {self.state} {self.postal_code}", self.country]


def format_cep(cep: str) -> str:
    """``01310100`` → ``01310-100`` (anything else is returned as it is)."""
    return f"{cep[:5]}-{cep[5:]}" if len(cep) == 8 and cep.isdigit() else cep


def check_field(name: str, value: object, country: str = "BR") -> str | None:
    """One field, checked and normalized for *country*; None for an empty optional field."""
    known = _LABELS.get(name)
    if known is None:
        raise AddressError(name, _("{name} is not part of an address.").format(name=repr(name)))
    label = _(known)
    if value is not None and not isinstance(value, str):
        raise AddressError(name, _("{label} must be text.").format(label=label))
    text = " ".join((value or "").split())
    if not text:
        if name in OPTIONAL:
            return None
        raise AddressError(name, _("{label} is required; type it.").format(label=label))
    if len(text) > MAX_LENGTH:
        raise AddressError(
            name,
            _("{label} is longer than {n} characters; shorten it.").format(
                label=label, n=MAX_LENGTH
            ),
        )
    if name == "country":
        code = text.upper()
        if not _COUNTRY.match(code):
            raise AddressError(name, _("Country must be a two-letter code, like BR or US."))
        return code
    if country == "BR" and name == "postal_code":
        if not _CEP.match(text):
            raise AddressError(name, _("The CEP must have 8 digits, like 01310-100."))
        return text.replace("-", "")
    if country == "BR" and name == "state":
        code = text.upper()
        if code not in UF_CODES:
            raise AddressError(name, _("The state must be one of the 27 UF codes, like SP or RJ."))
        return code
    return text


def check_address(data: Mapping[str, object]) -> Address:
    """The checked :class:`Address` from a mapping of the wire's fields; the first bad field raises."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise AddressError(
            unknown[0],
            _("{name} is not part of an address; remove it.").format(name=repr(unknown[0])),
        )
    country = check_field("country", data.get("country")) or "BR"
    values = {name: check_field(name, data.get(name), country) for name in FIELDS}
    return Address(**values)  # type: ignore[arg-type]
