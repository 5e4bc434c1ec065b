"""CPF and CNPJ: compact, validate (incl. alphanumeric CNPJ and repeated digits), format, messages."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.br import cnpj as stdnum_cnpj

from mktui.core import taxid
from mktui.core.taxid import TaxId, TaxIdError

VALID_CPFS = ["390.533.447-05", "123.456.789-09", "23100299981"]
VALID_CNPJS = ["11.222.333/0001-81", "16.727.230/0001-97", "12.ABC.345/01DE-35"]


def alphanumeric_cnpj(base: str) -> str:
    """A valid CNPJ for a 12-character base, using stdnum's own check-digit calculation."""
    return base + stdnum_cnpj.calc_check_digits(base)


# ---------------------------------------------------------------- compact and kind
@pytest.mark.parametrize(
    ("raw", "compacted"),
    [
        ("123.456.789-09", "12345678909"),
        (" 123 456 789 09 ", "12345678909"),
        ("11.222.333/0001-81", "11222333000181"),
        ("12.abc.345/01de-35", "12ABC34501DE35"),
        ("12.ABC.345/01DE\u201335", "12ABC34501DE35"),  # an en dash pasted from a document
        ("123.456.789\u00a009", "12345678909"),  # a no-break space
        ("", ""),
    ],
)
def test_compact(raw, compacted):
    assert taxid.compact(raw) == compacted


def test_compact_refuses_non_text():
    with pytest.raises(TypeError):
        taxid.compact(12345678909)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("123.456.789-09", "cpf"),
        ("12345678900", "cpf"),  # the kind is told by shape, before any check digit
        ("11.222.333/0001-81", "cnpj"),
        ("12.ABC.345/01DE-35", "cnpj"),
        ("1234567890", None),
        ("123456789012", None),
        ("1234567890A", None),  # 11 characters with a letter is neither
        ("", None),
    ],
)
def test_kind_of(raw, kind):
    assert taxid.kind_of(raw) == kind


# ---------------------------------------------------------------- valid numbers
@pytest.mark.parametrize("raw", VALID_CPFS)
def test_valid_cpfs(raw):
    result = taxid.validate(raw)
    assert result == TaxId("cpf", taxid.compact(raw))
    assert taxid.validate_cpf(raw) == taxid.compact(raw)
    assert taxid.is_valid(raw)


@pytest.mark.parametrize("raw", VALID_CNPJS)
def test_valid_cnpjs(raw):
    result = taxid.validate(raw)
    assert result == TaxId("cnpj", taxid.compact(raw))
    assert taxid.validate_cnpj(raw) == taxid.compact(raw)


def test_alphanumeric_cnpj_generated_with_stdnum_check_digits():
    rng = random.Random(2026)
    alphabet = string.digits + string.ascii_uppercase
    for _ in range(50):
        base = "".join(rng.choice(alphabet) for _ in range(12))
        number = alphanumeric_cnpj(base)
        assert taxid.validate(number) == TaxId("cnpj", number)
        assert taxid.validate(number.lower()).compact == number
        # One changed check digit must be caught.
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        with pytest.raises(TaxIdError) as caught:
            taxid.validate(wrong)
        assert caught.value.reason == "checksum"


@settings(max_examples=200)
@given(base=st.text(alphabet=string.digits + string.ascii_uppercase, min_size=12, max_size=12))
def test_every_stdnum_valid_cnpj_is_accepted_or_refused_for_a_stated_reason(base):
    number = alphanumeric_cnpj(base)
    if len(set(number)) == 1 or base == "0" * 12:
        with pytest.raises(TaxIdError):
            taxid.validate(number)
    else:
        assert taxid.validate(number).formatted == stdnum_cnpj.format(number)


# ---------------------------------------------------------------- invalid numbers and messages
@pytest.mark.parametrize(
    ("raw", "kind", "reason", "sentence"),
    [
        ("123.456.789-00", "cpf", "checksum", "CPF check digits do not match"),
        ("111.111.111-11", "cpf", "repeated", "CPF cannot be one digit repeated"),
        ("00000000000", "cpf", "repeated", "CPF cannot be one digit repeated"),
        ("11.222.333/0001-80", "cnpj", "checksum", "CNPJ check digits do not match"),
        ("11.111.111/1111-11", "cnpj", "repeated", "CNPJ cannot be one digit repeated"),
        ("00.000.000/0000-00", "cnpj", "repeated", "CNPJ cannot be one digit repeated"),
        ("12.ABC.345/01DE-3X", "cnpj", "format", "CNPJ must end in two digits"),
        ("1234567890", None, "length", "A CPF has 11 digits and a CNPJ 14 characters"),
        ("123.456.789-0A", "cpf", "format", "CPF must contain only digits"),
        ("123456789012345", None, "length", "A CPF has 11 digits and a CNPJ 14 characters"),
        ("", None, "missing", "CPF or CNPJ is missing"),
        ("  ", None, "missing", "CPF or CNPJ is missing"),
    ],
)
def test_invalid_numbers_have_sentences(raw, kind, reason, sentence):
    with pytest.raises(TaxIdError) as caught:
        taxid.validate(raw)
    error = caught.value
    assert (error.kind, error.reason) == (kind, reason)
    assert error.sentence.startswith(sentence)
    assert str(error) == error.sentence
    assert isinstance(error, ValueError)
    assert not taxid.is_valid(raw)


@pytest.mark.parametrize(
    ("raw", "reason", "sentence"),
    [
        ("123.456.789", "length", "CPF must have 11 digits; this one has 9."),
        ("123.456.789-091", "length", "CPF must have 11 digits; this one has 12."),
        ("123.456.789-0A", "format", "CPF must contain only digits"),
        ("", "missing", "CPF is missing"),
    ],
)
def test_validate_cpf_messages(raw, reason, sentence):
    with pytest.raises(TaxIdError) as caught:
        taxid.validate_cpf(raw)
    assert caught.value.kind == "cpf"
    assert caught.value.reason == reason
    assert caught.value.sentence.startswith(sentence)


@pytest.mark.parametrize(
    ("raw", "reason", "sentence"),
    [
        ("11.222.333/0001", "length", "CNPJ must have 14 characters; this one has 12."),
        ("11.222.333/0001-8!", "format", "CNPJ must contain only digits and letters"),
        ("00.000.000/0000-19", "format", "CNPJ cannot have a base number of zeros"),
        ("12345678909", "length", "CNPJ must have 14 characters; this one has 11."),
    ],
)
def test_validate_cnpj_messages(raw, reason, sentence):
    with pytest.raises(TaxIdError) as caught:
        taxid.validate_cnpj(raw)
    assert caught.value.kind == "cnpj"
    assert caught.value.reason == reason
    assert caught.value.sentence.startswith(sentence)


def test_explicit_kind_overrides_the_guess():
    with pytest.raises(TaxIdError) as caught:
        taxid.validate("123.456.789-09", "cnpj")
    assert caught.value.kind == "cnpj"
    assert taxid.is_valid("123.456.789-09", "cpf")
    assert not taxid.is_valid("123.456.789-09", "cnpj")


def test_messages_never_repeat_the_number():
    for raw in ["123.456.789-00", "11.222.333/0001-80", "98765432100123456"]:
        with pytest.raises(TaxIdError) as caught:
            taxid.validate(raw)
        assert taxid.compact(raw) not in caught.value.sentence
        assert raw not in caught.value.sentence


@pytest.mark.parametrize(("digit"), list("0123456789"))
def test_every_repeated_digit_is_refused(digit):
    for number in (digit * 11, digit * 14):
        with pytest.raises(TaxIdError) as caught:
            taxid.validate(number)
        assert caught.value.reason == "repeated"


# ---------------------------------------------------------------- format
@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("12345678909", "123.456.789-09"),
        (" 123.456.789-09 ", "123.456.789-09"),
        ("11222333000181", "11.222.333/0001-81"),
        ("12abc34501de35", "12.ABC.345/01DE-35"),
    ],
)
def test_format(raw, shown):
    assert taxid.format(raw) == shown
    assert str(taxid.validate(raw)) == shown


def test_format_refuses_an_invalid_number():
    with pytest.raises(TaxIdError):
        taxid.format("123.456.789-00")


@settings(max_examples=200)
@given(digits=st.text(alphabet=string.digits, min_size=9, max_size=9))
def test_cpf_round_trip_through_format(digits):
    # Build a CPF with correct check digits the textbook way, independent of stdnum.
    d1 = (11 - sum((10 - i) * int(c) for i, c in enumerate(digits))) % 11 % 10
    d2 = (11 - (sum((11 - i) * int(c) for i, c in enumerate(digits)) + 2 * d1)) % 11 % 10
    number = f"{digits}{d1}{d2}"
    if len(set(number)) == 1:
        assert not taxid.is_valid(number)
        return
    shown = taxid.format(number)
    assert len(shown) == 14 and shown[3] == "." and shown[11] == "-"
    assert taxid.validate(shown) == TaxId("cpf", number)
