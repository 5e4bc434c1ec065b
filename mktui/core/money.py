"""Money: an exact Decimal amount in one currency.

Amounts never pass through ``float``: a float given to :class:`Money` (as the
amount or as a multiplier) is a ``TypeError``, because ``0.1`` is already
wrong before any arithmetic starts. On the wire an amount is an integer count
of minor units (``2150`` BRL is R$ 21,50); :meth:`Money.from_minor` and
:attr:`Money.minor` convert exactly, and ``minor`` refuses an amount that has
digits below the minor unit instead of silently rounding it.

An amount keeps the precision it was computed with (pricing multiplies and
divides first, then rounds each line once with :meth:`Money.quantize`, which is
``ROUND_HALF_UP`` to the currency's minor unit).

Formatting goes through Babel, imported inside :meth:`Money.format` only, so
importing this module stays cheap for the console's start-up. Babel separates
the symbol and the digits with a no-break space (U+00A0) and, in fr_FR, groups
thousands with a narrow no-break space (U+202F). ``format`` replaces both with
an ordinary space by default, so what the console shows, what the tests state
and what the documentation writes are the same characters (``R$ 1.234,56``);
``nbsp=True`` keeps every space non-breaking (as U+00A0, which every terminal
font draws one cell wide) for labels that must never wrap inside an amount.

Arithmetic runs in this module's own Decimal context, never the thread's
current one: a library that lowers the precision or changes the rounding
(``decimal.getcontext()`` is global per thread) must not change a charge. Sums,
differences and products are exact or refused; only :meth:`Money.quantize`
rounds, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

SUPPORTED_CURRENCIES: tuple[str, ...] = ("BRL", "USD")
"""The currencies MKController bills in; any other code is refused."""

MINOR_UNITS: dict[str, int] = {"BRL": 2, "USD": 2}
"""Decimal places of each supported currency's minor unit (centavos, cents)."""

MAX_ABS_AMOUNT = Decimal(10) ** 15
"""Amounts must be smaller than this in absolute value (in major units)."""

# 60 digits hold any sum of amounts below MAX_ABS_AMOUNT and any product with
# a factor of Decimal's usual 28 digits; a result that would need more is an
# error (Inexact is trapped), never silently rounded.
_EXACT = Context(
    prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact]
)
# For quantize(), whose whole point is to round (half up).
_ROUNDING = Context(prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, Overflow])

_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " "}
_NBSP = {"\u202f": "\u00a0", "\u2009": "\u00a0", " ": "\u00a0"}


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined or compared."""


def _check_currency(currency: object) -> str:
    if not isinstance(currency, str):
        raise TypeError(
            f"currency must be an ISO 4217 code such as 'BRL', not {type(currency).__name__}"
        )
    code = currency.strip().upper()
    if code not in MINOR_UNITS:
        supported = " or ".join(SUPPORTED_CURRENCIES)
        raise ValueError(f"Currency {currency!r} is not supported; use {supported}.")
    return code


def _to_decimal(value: object, what: str) -> Decimal:
    """An exact Decimal from an int, a Decimal or a numeric string; never a float."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(
            f"{what} must be a Decimal, an int or a string, never {type(value).__name__}"
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{what} {value!r} is not a number.") from None
    else:
        raise TypeError(f"{what} must be a Decimal, an int or a string, not {type(value).__name__}")
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value!r}.")
    # A bound far above any bill (the wire caps amounts at 10**13 minor units)
    # keeps every later quantize() within Decimal's default 28 digits.
    if number.copy_abs() >= MAX_ABS_AMOUNT:
        raise ValueError(f"{what} is too large to be an amount of money.")
    return number


def _exactly(operation: Any, left: Decimal, right: Decimal) -> Decimal:
    """``operation(left, right)`` in the exact context; a result it cannot hold is a ValueError."""
    try:
        return operation(left, right)
    except Inexact:
        raise ValueError(
            "The result has more digits than an amount can hold; round the operands first."
        ) from None


def minor_unit_exponent(currency: str) -> Decimal:
    """The quantum of *currency*'s minor unit, e.g. ``Decimal("0.01")`` for BRL."""
    return Decimal(1).scaleb(-MINOR_UNITS[_check_currency(currency)], context=_EXACT)


@dataclass(frozen=True, slots=True, init=False)
class Money:
    """An amount of one currency, exact (Decimal), immutable and hashable.

    ``Money("12.90", "BRL")``, ``Money(Decimal("12.90"), "BRL")`` and
    ``Money(12, "BRL")`` are accepted; ``Money(12.9, "BRL")`` is a ``TypeError``.
    """

    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        object.__setattr__(self, "currency", _check_currency(currency))
        object.__setattr__(self, "amount", _to_decimal(amount, "amount"))

    # ------------------------------------------------------------ construction
    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """The amount of *minor* minor units (``from_minor(2150, "BRL")`` is R$ 21,50)."""
        if isinstance(minor, bool) or not isinstance(minor, int):
            raise TypeError(f"a minor-unit amount must be an int, not {type(minor).__name__}")
        code = _check_currency(currency)
        return cls(Decimal(minor).scaleb(-MINOR_UNITS[code], context=_EXACT), code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in *currency*."""
        return cls.from_minor(0, currency)

    # ------------------------------------------------------------ conversion
    @property
    def minor(self) -> int:
        """The amount as an integer count of minor units, for the wire.

        Raises ``ValueError`` when the amount has digits below the minor unit
        (``R$ 0,005``): round it with :meth:`quantize` first, deliberately.
        """
        scaled = self.amount.scaleb(MINOR_UNITS[self.currency], context=_EXACT)
        if scaled != scaled.to_integral_value(context=_ROUNDING):
            raise ValueError(
                f"{self.currency} {self.amount} has digits below the minor unit; "
                "round it with quantize() before sending it."
            )
        return int(scaled)

    def quantize(self) -> Money:
        """This amount rounded half up to the currency's minor unit (R$ 21,495 → R$ 21,50)."""
        quantum = minor_unit_exponent(self.currency)
        rounded = self.amount.quantize(quantum, rounding=ROUND_HALF_UP, context=_ROUNDING)
        # -0.001 rounds to Decimal("-0.00"); drop the sign so it never shows as "-R$ 0,00".
        return Money(rounded.copy_abs() if rounded == 0 else rounded, self.currency)

    @property
    def is_zero(self) -> bool:
        """True when the amount is exactly zero."""
        return self.amount == 0

    # ------------------------------------------------------------ arithmetic
    def _same(self, other: Money, verb: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Cannot {verb} {self.currency} and {other.currency} amounts; convert one first."
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(_exactly(_EXACT.add, self.amount, other.amount), self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(_exactly(_EXACT.subtract, self.amount, other.amount), self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, Money):
            return NotImplemented
        if isinstance(factor, float):
            raise TypeError("Money cannot be multiplied by a float; use an int or a Decimal.")
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        factor = _to_decimal(factor, "factor")
        return Money(_exactly(_EXACT.multiply, self.amount, factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(self.amount.copy_negate(), self.currency)

    def __abs__(self) -> Money:
        return Money(self.amount.copy_abs(), self.currency)

    # ------------------------------------------------------------ comparison
    def _key(self, other: object, verb: str = "compare") -> Any:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, verb)
        return other.amount

    def __lt__(self, other: object) -> bool:
        key = self._key(other)
        return key if key is NotImplemented else self.amount < key

    def __le__(self, other: object) -> bool:
        key = self._key(other)
        return key if key is NotImplemented else self.amount <= key

    def __gt__(self, other: object) -> bool:
        key = self._key(other)
        return key if key is NotImplemented else self.amount > key

    def __ge__(self, other: object) -> bool:
        key = self._key(other)
        return key if key is NotImplemented else self.amount >= key

    # Equality never raises: R$ 1 and US$ 1 are simply not equal. Decimal's own
    # equality and hash make Money("1.0") == Money("1.00"), as they should.

    # ------------------------------------------------------------ display
    def format(self, locale: str = "pt_BR", *, nbsp: bool = False) -> str:
        """The amount as people in *locale* write it, rounded half up to the minor unit.

        ``pt_BR`` → ``R$ 1.234,56``, ``en_US`` → ``$1,234.56``, ``fr_FR`` →
        ``1 234,56 R$``; negative amounts get a leading ``-``. Spaces are
        ordinary spaces unless *nbsp* asks for no-break spaces (see the module
        docstring for why).
        """
        from babel.core import UnknownLocaleError
        from babel.numbers import format_currency

        amount = self.quantize().amount
        try:
            # Babel does its own Decimal work in the current context: give it ours.
            with localcontext(_ROUNDING):
                text = format_currency(amount, self.currency, locale=locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise ValueError(
                f"Locale {locale!r} is unknown; use one like pt_BR or en_US."
            ) from None
        table = _NBSP if nbsp else _SPACES
        return text.translate(str.maketrans(table))

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"
