"""BR Code: the Banco Central's published examples decode field by field, and CRCs match."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mktui.core import brcode

# The static example of the "Manual de Padrões para Iniciação do Pix" (random key, no amount).
MANUAL_STATIC = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
# The manual's dynamic example: a location (field 26-25) instead of a key, one-time (01 = 12).
MANUAL_DYNAMIC = (
    "00020101021226700014br.gov.bcb.pix2548pix.example.com/8b3da2f39a4140d1a91abd93113bd441"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***630464E4"
)


def test_crc16_of_the_manual_example():
    assert brcode.crc16(MANUAL_STATIC[:-4]) == "1D3D"


def test_the_manual_static_example_decodes_field_by_field():
    decoded = brcode.parse(MANUAL_STATIC)
    assert [(f.id, f.value) for f in decoded.fields] == [
        ("00", "01"),
        ("26", "0014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"),
        ("52", "0000"),
        ("53", "986"),
        ("58", "BR"),
        ("59", "Fulano de Tal"),
        ("60", "BRASILIA"),
        ("62", "0503***"),
        ("63", "1D3D"),
    ]
    account = decoded.field("26")
    assert [(c.id, c.value) for c in account.children] == [
        ("00", "br.gov.bcb.pix"),
        ("01", "123e4567-e12b-12d1-a456-426655440000"),
    ]
    assert decoded.key == "123e4567-e12b-12d1-a456-426655440000"
    assert decoded.amount is None
    assert decoded.merchant_name == "Fulano de Tal"
    assert decoded.merchant_city == "BRASILIA"
    assert decoded.txid == "***"
    assert decoded.one_time is False
    assert decoded.crc == "1D3D"


def test_crc16_of_the_manual_dynamic_example():
    assert brcode.crc16(MANUAL_DYNAMIC[:-4]) == "64E4"


def test_the_manual_dynamic_example_carries_a_location():
    decoded = brcode.parse(MANUAL_DYNAMIC)
    assert [(f.id, f.value) for f in decoded.fields][:3] == [
        ("00", "01"),
        ("01", "12"),
        ("26", "0014br.gov.bcb.pix2548pix.example.com/8b3da2f39a4140d1a91abd93113bd441"),
    ]
    assert decoded.url == "pix.example.com/8b3da2f39a4140d1a91abd93113bd441"
    assert decoded.key is None
    assert decoded.one_time is True
    assert decoded.merchant_name == "Fulano de Tal"
    assert decoded.crc == "64E4"


@pytest.mark.parametrize("payload", [MANUAL_STATIC, MANUAL_DYNAMIC])
def test_rebuilding_the_fields_gives_the_same_payload(payload):
    decoded = brcode.parse(payload)
    body = "".join(brcode.tlv(f.id, f.value) for f in decoded.fields[:-1]) + "6304"
    assert body + brcode.crc16(body) == payload


def test_a_built_charge_decodes_to_what_was_asked():
    payload = brcode.build_pix(
        key="pix@mkcontroller.test",
        amount_minor=12900,
        merchant_name="MKController Tecnologia",
        merchant_city="São Paulo",
        txid="MK0123456789ABCDEF012345",
    )
    decoded = brcode.parse(payload)
    assert decoded.key == "pix@mkcontroller.test"
    assert decoded.amount == Decimal("129.00")
    assert decoded.merchant_name == "MKCONTROLLER TECNOLOGIA"
    assert decoded.merchant_city == "SAO PAULO"
    assert decoded.txid == "MK0123456789ABCDEF012345"
    assert decoded.one_time is True
    assert payload.endswith("6304" + brcode.crc16(payload[:-4]))


@pytest.mark.parametrize(
    ("broken", "says"),
    [
        (MANUAL_STATIC[:-4] + "1D3E", "CRC is 1D3E"),
        (MANUAL_STATIC.replace("Fulano", "Fulana"), "CRC"),
        ("000201" + "6304ABCD", "CRC"),
        ("123", "starts with 000201"),
        (MANUAL_STATIC[:-8], "ends with its CRC"),
    ],
)
def test_broken_payloads_are_refused_with_a_reason(broken, says):
    with pytest.raises(brcode.BrCodeError, match=says):
        brcode.parse(broken)


def test_a_length_that_lies_is_refused():
    body = "00020126580014br.gov.bcb.pix0199abc" + "6304"
    with pytest.raises(brcode.BrCodeError, match="Field 26 .* says 58"):
        brcode.parse(body + brcode.crc16(body))


def test_a_payload_without_pix_account_is_refused():
    body = "000201" + brcode.tlv("26", brcode.tlv("00", "com.example")) + "5303986" + "6304"
    with pytest.raises(brcode.BrCodeError, match="br.gov.bcb.pix"):
        brcode.parse(body + brcode.crc16(body))


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"amount_minor": 0}, "above zero"),
        ({"amount_minor": 10**12}, "at most 13"),
        ({"txid": "has space"}, "txid"),
        ({"txid": "A" * 26}, "txid"),
        ({"key": ""}, "key"),
    ],
)
def test_build_refuses_what_a_bank_would_refuse(kwargs, says):
    args = {
        "key": "k",
        "amount_minor": 100,
        "merchant_name": "M",
        "merchant_city": "C",
        "txid": "T1",
        **kwargs,
    }
    with pytest.raises(brcode.BrCodeError, match=says):
        brcode.build_pix(**args)


@given(
    amount=st.integers(min_value=1, max_value=10**12 - 1),
    txid=st.text(alphabet="ABCDEFabcdef0123456789", min_size=1, max_size=25),
    name=st.text(min_size=0, max_size=40),
)
def test_any_charge_round_trips(amount, txid, name):
    payload = brcode.build_pix(
        key="11222333000181",
        amount_minor=amount,
        merchant_name=name,
        merchant_city="Rio",
        txid=txid,
    )
    decoded = brcode.parse(payload)
    assert decoded.amount == Decimal(amount) / 100
    assert decoded.txid == txid
