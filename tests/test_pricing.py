"""Pricing: worked examples of api.md's billing rules, and the errors bad input gets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from mktui.api import models
from mktui.core.money import Money
from mktui.core.pricing import (
    MAX_DEVICES,
    SANDBOX_PRICES,
    PricingError,
    billing_today,
    check_tax_id_for_currency,
    month_end,
    next_first,
    preview_activation,
    preview_change,
    preview_decrease,
    preview_increase,
    preview_renewal,
    price_table,
    remaining_days,
)

CNPJ = "11.222.333/0001-81"
SAO_PAULO = "America/Sao_Paulo"


def brl(amount: str) -> Money:
    return Money(amount, "BRL")


def usd(amount: str) -> Money:
    return Money(amount, "USD")


# ---------------------------------------------------------------- dates
def test_billing_today_uses_the_billing_zone_not_utc():
    now = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    assert billing_today(now, SAO_PAULO) == date(2026, 11, 30)
    assert billing_today(now, "UTC") == date(2026, 12, 1)
    assert billing_today(now, "Asia/Tokyo") == date(2026, 12, 1)


def test_billing_today_refuses_a_naive_datetime():
    with pytest.raises(PricingError) as caught:
        billing_today(datetime(2026, 12, 1, 1, 30), SAO_PAULO)
    assert caught.value.field == "now"
    assert "time zone" in str(caught.value)


def test_billing_today_refuses_an_unknown_zone():
    with pytest.raises(PricingError) as caught:
        billing_today(datetime(2026, 12, 1, tzinfo=UTC), "Mars/Olympus_Mons")
    assert caught.value.field == "timezone"


@pytest.mark.parametrize(
    ("today", "r", "d"),
    [
        (date(2026, 11, 26), 5, 30),
        (date(2026, 12, 1), 31, 31),
        (date(2026, 11, 30), 1, 30),
        (date(2028, 2, 29), 1, 29),
        (date(2027, 2, 1), 28, 28),
    ],
)
def test_remaining_days_counts_today(today, r, d):
    assert remaining_days(today) == (r, d)


def test_calendar_helpers():
    assert next_first(date(2026, 12, 15)) == date(2027, 1, 1)
    assert next_first(date(2026, 12, 1)) == date(2027, 1, 1)
    assert next_first(date(2028, 2, 29)) == date(2028, 3, 1)
    assert month_end(date(2028, 2, 3)) == date(2028, 2, 29)


def test_a_datetime_is_not_accepted_as_today():
    with pytest.raises(PricingError) as caught:
        remaining_days(datetime(2026, 11, 26, 12, tzinfo=UTC))
    assert caught.value.field == "today"


# ---------------------------------------------------------------- activation, worked examples
def test_activation_on_the_26th_of_november():
    p = preview_activation(
        currency="BRL", plan="monthly", devices=10, today=date(2026, 11, 26), tax_id=CNPJ
    )
    (line,) = p.lines
    assert (line.quantity, line.unit_amount, line.days, line.days_in_period) == (
        10,
        brl("12.90"),
        5,
        30,
    )
    assert line.amount == brl("21.50")
    assert line.formula("pt_BR") == "10 devices × R$ 12,90 × 5/30 days = R$ 21,50"
    assert line.description == "Monthly plan, 26–30 Nov 2026"
    assert (p.subtotal, p.credit_applied, p.credit_granted, p.total) == (
        brl("21.50"),
        brl("0"),
        brl("0"),
        brl("21.50"),
    )
    assert (p.period_start, p.period_end, p.effective) == (
        date(2026, 11, 26),
        date(2026, 11, 30),
        date(2026, 11, 26),
    )
    assert p.next_renewal_date == date(2026, 12, 1)
    assert p.next_renewal_amount == brl("129.00")


def test_activation_on_the_1st_bills_a_whole_month():
    p = preview_activation(
        currency="BRL", plan="monthly", devices=10, today=date(2026, 12, 1), tax_id=CNPJ
    )
    assert p.total == brl("129.00")
    assert p.lines[0].formula("pt_BR") == "10 devices × R$ 12,90 = R$ 129,00"
    assert p.period_end == date(2026, 12, 31)
    assert p.next_renewal_date == date(2027, 1, 1)


def test_activation_on_a_leap_day_in_usd():
    p = preview_activation(currency="USD", plan="monthly", devices=3, today=date(2028, 2, 29))
    assert p.total == usd("0.30")  # 3 × 2.90 × 1/29 = 0.30 exactly
    assert p.lines[0].formula("en_US") == "3 devices × $2.90 × 1/29 days = $0.30"
    assert p.lines[0].formula("pt_BR") == "3 devices × US$ 2,90 × 1/29 days = US$ 0,30"


def test_activation_late_at_night_utc_is_still_the_30th_in_sao_paulo():
    today = billing_today(datetime(2026, 12, 1, 1, 30, tzinfo=UTC), SAO_PAULO)
    p = preview_activation(currency="BRL", plan="monthly", devices=10, today=today, tax_id=CNPJ)
    assert (p.lines[0].days, p.lines[0].days_in_period) == (1, 30)
    assert p.total == brl("4.30")  # 129.00 / 30
    assert p.next_renewal_date == date(2026, 12, 1)


def test_each_line_rounds_half_up():
    # 1 × 12.90 × 3/31 = 1.24838… → 1.25. An exact half needs a custom price:
    # 1 × 0.15 × 15/30 = 0.075 → 0.08 (half-even rounding would give 0.07).
    assert preview_activation(
        currency="BRL", plan="monthly", devices=1, today=date(2026, 12, 29), tax_id=CNPJ
    ).total == brl("1.25")
    prices = {("USD", "monthly"): usd("0.15"), ("USD", "annual"): usd("1.50")}
    half = preview_activation(
        currency="USD", plan="monthly", devices=1, today=date(2026, 11, 16), prices=prices
    )
    assert half.lines[0].days == 15 and half.total == usd(
        "0.08"
    )  # 0.075 → 0.08, not 0.07 (half-even)


def test_single_device_reads_singular():
    p = preview_activation(currency="USD", plan="monthly", devices=1, today=date(2026, 12, 1))
    assert p.lines[0].formula("en_US") == "1 device × $2.90 = $2.90"


# ---------------------------------------------------------------- annual
def test_annual_purchase_charges_the_year_grants_credit_and_draws_the_first_month():
    p = preview_activation(
        currency="BRL", plan="annual", devices=10, today=date(2026, 11, 26), tax_id=CNPJ
    )
    purchase, first_month = p.lines
    assert purchase.amount == brl("1290.00") and purchase.days is None
    assert purchase.formula("pt_BR") == "10 devices × R$ 129,00 = R$ 1.290,00"
    assert first_month.amount == brl("21.50")
    assert purchase.description == "Annual plan (grants 12 months of credit)"
    assert first_month.description == "First month (from credit), 26–30 Nov 2026"
    assert p.credit_granted == brl("1548.00")  # 12 × 12.90 × 10
    assert p.subtotal == brl("1311.50")
    assert p.credit_applied == brl("21.50")  # the first month, from the new credit
    assert p.total == brl("1290.00")  # the card pays the purchase only
    assert p.credit_remaining == brl("1526.50")
    assert p.next_renewal_amount == brl("0.00")  # covered by credit


def test_a_line_computed_here_is_shown_in_the_language_in_use_and_sent_in_english():
    from mktui.core import i18n

    p = preview_activation(
        currency="BRL", plan="annual", devices=10, today=date(2026, 11, 26), tax_id=CNPJ
    )
    purchase, first_month = p.lines
    try:
        i18n.use("pt_BR")
        assert purchase.text() == "Plano anual (gera 12 meses de crédito)"
        assert first_month.text() == "Primeiro mês (do crédito), 26–30 nov 2026"
        # The wire (what the sandbox sends) keeps the server's English wording.
        assert (
            first_month.to_wire_dict()["description"] == "First month (from credit), 26–30 Nov 2026"
        )
        # A server's line (no label) is shown as the server sent it.
        server = models.Preview.model_validate(p.to_wire_dict()).priced()
        assert [line.text() for line in server.lines] == [line.description for line in p.lines]
    finally:
        i18n.use("en")
    assert first_month.text() == first_month.description


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        ("en", "Currency 'EUR' is not offered; choose BRL or USD."),
        ("pt_BR", "A moeda 'EUR' não é oferecida; escolha BRL ou USD."),
        ("es", "La moneda 'EUR' no se ofrece; elija BRL o USD."),
        ("fr", "La devise 'EUR' n'est pas proposée ; choisissez BRL ou USD."),
    ],
)
def test_a_currency_refusal_lists_the_choices_in_the_language_in_use(language, refusal):
    from mktui.core import i18n

    try:
        i18n.use(language)
        with pytest.raises(PricingError) as caught:
            preview_activation(currency="EUR", plan="monthly", devices=1, today=date(2027, 1, 1))
    finally:
        i18n.use("en")
    assert (caught.value.field, caught.value.sentence) == ("currency", refusal)


def test_annual_purchase_on_the_1st():
    p = preview_activation(currency="USD", plan="annual", devices=2, today=date(2027, 1, 1))
    assert [line.amount for line in p.lines] == [usd("58.00"), usd("5.80")]
    assert p.credit_applied == usd("5.80") and p.total == usd("58.00")
    assert p.credit_remaining == usd("63.80")  # 69.60 − 5.80


# ---------------------------------------------------------------- changes
def test_increase_mid_month_charges_the_added_devices_pro_rata():
    p = preview_change(currency="BRL", current_devices=10, new_devices=15, today=date(2026, 12, 20))
    (line,) = p.lines
    assert (line.quantity, line.days, line.days_in_period) == (5, 12, 31)
    assert line.amount == brl("24.97")  # 5 × 12.90 × 12/31 = 24.967…
    assert line.formula("pt_BR") == "5 devices × R$ 12,90 × 12/31 days = R$ 24,97"
    assert line.description == "Added devices, 20–31 Dec 2026"
    assert p.total == brl("24.97") and p.effective == date(2026, 12, 20)
    assert p.next_renewal_date == date(2027, 1, 1)
    assert p.next_renewal_amount == brl("193.50")  # 15 × 12.90


def test_increase_draws_on_credit_first():
    p = preview_increase(
        currency="BRL",
        current_devices=10,
        new_devices=15,
        today=date(2026, 12, 20),
        credit_available=brl("10.00"),
    )
    assert p.credit_applied == brl("10.00") and p.total == brl("14.97")
    assert p.credit_remaining == brl("0.00")
    assert p.next_renewal_amount == brl("193.50")


def test_decrease_charges_nothing_and_takes_effect_on_the_next_1st():
    p = preview_change(currency="BRL", current_devices=10, new_devices=4, today=date(2026, 12, 20))
    assert p.lines == ()
    assert p.total == p.subtotal == p.credit_applied == brl("0")
    assert p.effective == date(2027, 1, 1)
    assert (p.period_start, p.period_end) == (date(2027, 1, 1), date(2027, 1, 31))
    assert p.next_renewal_date == date(2027, 1, 1)
    assert p.next_renewal_amount == brl("51.60")  # 4 × 12.90


def test_decrease_with_credit_lowers_the_next_renewal():
    p = preview_decrease(
        currency="USD",
        current_devices=10,
        new_devices=4,
        today=date(2026, 12, 20),
        credit_available=usd("5.00"),
    )
    assert p.next_renewal_amount == usd("6.60")  # 4 × 2.90 − 5.00
    assert p.credit_applied == usd("0") and p.credit_remaining == usd("5.00")


def test_decrease_on_the_1st_waits_for_the_following_month():
    p = preview_decrease(currency="BRL", current_devices=10, new_devices=4, today=date(2026, 12, 1))
    assert p.effective == date(2027, 1, 1)


# ---------------------------------------------------------------- renewal
def test_renewal_with_partial_credit():
    p = preview_renewal(
        currency="BRL", devices=10, period_start=date(2027, 1, 1), credit_available=brl("50.00")
    )
    (line,) = p.lines
    assert (line.days, line.days_in_period, line.amount) == (31, 31, brl("129.00"))
    assert line.formula("pt_BR") == "10 devices × R$ 12,90 = R$ 129,00"
    assert p.subtotal == brl("129.00")
    assert p.credit_applied == brl("50.00")
    assert p.total == brl("79.00")
    assert p.credit_remaining == brl("0.00")
    assert (p.period_start, p.period_end) == (date(2027, 1, 1), date(2027, 1, 31))
    assert p.next_renewal_date == date(2027, 2, 1)
    assert p.next_renewal_amount == brl("129.00")


def test_renewal_with_more_credit_than_the_month():
    p = preview_renewal(
        currency="BRL", devices=10, period_start=date(2027, 2, 1), credit_available=brl("1526.50")
    )
    assert p.credit_applied == brl("129.00") and p.total == brl("0.00")
    assert p.credit_remaining == brl("1397.50")
    assert p.next_renewal_amount == brl("0.00")


def test_renewal_must_start_on_a_1st():
    with pytest.raises(PricingError) as caught:
        preview_renewal(currency="BRL", devices=10, period_start=date(2027, 1, 2))
    assert caught.value.field == "period_start"


# ---------------------------------------------------------------- the wire
def test_to_wire_dict_matches_the_contract_model():
    p = preview_activation(
        currency="BRL", plan="annual", devices=10, today=date(2026, 11, 26), tax_id=CNPJ
    )
    wire = p.to_wire_dict()
    # ``quote`` is the server's fingerprint of this very dict: it adds it when answering.
    assert set(wire) == set(models.Preview.model_fields) - {"quote"}
    assert set(wire["lines"][0]) == set(models.Line.model_fields)
    parsed = models.Preview.model_validate(wire)
    assert parsed.total == 129000 and parsed.credit_granted == 154800
    assert parsed.credit_applied == 2150 and parsed.subtotal == 131150
    assert parsed.lines[0].days is None and parsed.lines[1].days == 5
    assert wire["period_start"] == "2026-11-26" and wire["next_renewal_date"] == "2026-12-01"
    assert all(
        type(wire[k]) is int for k in ("subtotal", "credit_applied", "total", "next_renewal_amount")
    )


# ---------------------------------------------------------------- bad input
def _activate(**overrides):
    args = {
        "currency": "BRL",
        "plan": "monthly",
        "devices": 10,
        "today": date(2026, 11, 26),
        "tax_id": CNPJ,
    }
    args.update(overrides)
    return preview_activation(**args)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"devices": 0}, "devices", "at least 1"),
        ({"devices": -3}, "devices", "at least 1"),
        ({"devices": MAX_DEVICES + 1}, "devices", "100,000"),
        ({"devices": 10.0}, "devices", "whole number"),
        ({"devices": True}, "devices", "whole number"),
        ({"devices": "10"}, "devices", "whole number"),
        ({"currency": "EUR"}, "currency", "BRL or USD"),
        ({"currency": None}, "currency", "BRL or USD"),
        ({"plan": "weekly"}, "plan", "monthly or annual"),
        ({"tax_id": None}, "tax_id", "required for BRL"),
        ({"tax_id": "   "}, "tax_id", "required for BRL"),
        ({"tax_id": "11.222.333/0001-80"}, "tax_id", "CNPJ check digits do not match"),
        ({"tax_id": "111.111.111-11"}, "tax_id", "CPF cannot be one digit repeated"),
        ({"currency": "USD", "tax_id": CNPJ}, "tax_id", "does not apply to USD"),
        ({"tax_id": 11222333000181}, "tax_id", "as text"),
        ({"today": datetime(2026, 11, 26, tzinfo=UTC)}, "today", "calendar date"),
        ({"credit_available": Money("5", "USD")}, "credit_available", "BRL amount"),
        ({"credit_available": brl("-1")}, "credit_available", "zero or more"),
        ({"credit_available": brl("0.001")}, "credit_available", "whole cents"),
        ({"prices": {("BRL", "monthly"): brl("12.90")}, "plan": "annual"}, "plan", "no annual"),
    ],
)
def test_bad_activation_input_is_a_clear_error(overrides, field, words):
    with pytest.raises(PricingError) as caught:
        _activate(**overrides)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_the_maximum_is_allowed():
    assert _activate(devices=MAX_DEVICES).total == brl("215000.00")  # 100 000 × 12.90 × 5/30


def test_usd_accepts_a_blank_tax_id():
    assert _activate(currency="USD", tax_id="").total == usd("4.83")  # 10 × 2.90 × 5/30
    assert check_tax_id_for_currency("USD", None) is None


def test_check_tax_id_returns_the_compact_number():
    assert check_tax_id_for_currency("BRL", CNPJ) == "11222333000181"
    assert check_tax_id_for_currency("BRL", "123.456.789-09") == "12345678909"


@pytest.mark.parametrize(
    ("call", "current", "new", "field", "words"),
    [
        (preview_change, 10, 10, "devices", "already has 10 devices"),
        (preview_decrease, 10, 10, "devices", "must go below the current 10"),
        (preview_decrease, 10, 12, "devices", "must go below the current 10"),
        (preview_increase, 10, 10, "devices", "must go above the current 10"),
        (preview_increase, 10, 3, "devices", "must go above the current 10"),
        (preview_change, 1, 1, "devices", "already has 1 device;"),
        (preview_decrease, 1, 1, "devices", "below the current 1 device;"),
        (preview_increase, 1, 1, "devices", "above the current 1 device;"),
        (preview_change, 0, 3, "current_devices", "at least 1"),
        (preview_change, 10, 0, "devices", "at least 1"),
        (preview_change, 10, MAX_DEVICES + 1, "devices", "more than"),
    ],
)
def test_bad_change_input_is_a_clear_error(call, current, new, field, words):
    with pytest.raises(PricingError) as caught:
        call(currency="BRL", current_devices=current, new_devices=new, today=date(2026, 12, 20))
    assert caught.value.field == field
    assert words in caught.value.sentence


def test_sandbox_prices_are_the_documented_ones():
    assert SANDBOX_PRICES[("BRL", "monthly")] == brl("12.90")
    assert SANDBOX_PRICES[("BRL", "annual")] == brl("129.00")
    assert SANDBOX_PRICES[("USD", "monthly")] == usd("2.90")
    assert SANDBOX_PRICES[("USD", "annual")] == usd("29.00")
    with pytest.raises(TypeError):
        SANDBOX_PRICES[("BRL", "monthly")] = brl("0")  # type: ignore[index]


def test_every_day_of_a_year_bills_between_nothing_and_a_whole_month():
    day = date(2027, 1, 1)
    while day.year == 2027:
        p = preview_activation(currency="USD", plan="monthly", devices=7, today=day)
        assert usd("0") < p.total <= usd("20.30")
        assert (p.total == usd("20.30")) == (day.day == 1)
        day += timedelta(days=1)


def test_price_table_from_wire_rows():
    table = price_table(
        [("BRL", "monthly", 1290), ("BRL", "annual", 12900), ("USD", "monthly", 290)]
    )
    assert table[("BRL", "monthly")] == brl("12.90")
    assert table[("BRL", "annual")] == brl("129.00")
    p = preview_activation(
        currency="BRL",
        plan="monthly",
        devices=10,
        today=date(2026, 11, 26),
        prices=table,
        tax_id=CNPJ,
    )
    assert p.total == brl("21.50")
    with pytest.raises(PricingError) as caught:
        preview_activation(
            currency="USD", plan="annual", devices=1, today=date(2026, 11, 26), prices=table
        )
    assert caught.value.field == "plan"
    with pytest.raises(TypeError):
        price_table([("BRL", "monthly", 12.9)])
    with pytest.raises(PricingError):
        price_table([("EUR", "monthly", 1290)])


def test_a_server_preview_reads_back_with_the_same_formulas():
    local = preview_activation(
        currency="BRL", plan="annual", devices=10, today=date(2026, 11, 26), tax_id=CNPJ
    )
    served = models.Preview.model_validate(local.to_wire_dict() | {"quote": "q1_abc"})
    back = served.priced()
    assert back.to_wire_dict() == local.to_wire_dict()
    assert back.formulas("pt_BR") == local.formulas("pt_BR")
    assert back.quote == "q1_abc" and local.quote is None
    assert back.total == brl("1290.00")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"quantity": 10.7}, "integer"),
        ({"quantity": True}, "integer"),
        ({"days": "5"}, "integer"),
        ({"total": 1290.0}, "integer"),
        ({"total": -5}, "greater than or equal"),
    ],
)
def test_a_server_preview_with_a_malformed_field_is_refused_by_the_contract(change, words):
    wire = preview_activation(
        currency="BRL", plan="annual", devices=10, today=date(2026, 11, 26), tax_id=CNPJ
    ).to_wire_dict()
    for key, value in change.items():
        if key in {"quantity", "days"}:
            wire["lines"][1][key] = value
        else:
            wire[key] = value
    with pytest.raises(ValidationError) as caught:
        models.Preview.model_validate(wire)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "change",
    [
        {"total": 128000},  # subtotal − credit ≠ total
        {"subtotal": 131100},  # the lines do not sum to it
        {"credit_applied": 131200, "total": 0},  # more credit than the subtotal
        {"line_amount": 1},  # one line off by a centavo: the lines no longer sum
    ],
)
def test_a_server_preview_that_does_not_add_up_is_refused(change):
    """The console shows the server's lines and charges its total: they must agree."""
    local = preview_activation(
        currency="BRL", plan="annual", devices=10, today=date(2026, 11, 26), tax_id=CNPJ
    )
    wire = local.to_wire_dict()
    for key, value in change.items():
        if key == "line_amount":
            wire["lines"][1]["amount"] += value
        else:
            wire[key] = value
    served = models.Preview.model_validate(wire)
    with pytest.raises(PricingError) as caught:
        served.priced()
    assert caught.value.field == "preview"
    assert "does not add up" in caught.value.sentence
    assert "nothing was shown or charged" in caught.value.sentence
    assert "fetch the preview again" in caught.value.sentence


@pytest.mark.parametrize("plan", ["monthly", "annual"])
@pytest.mark.parametrize("credit", [0, 500, 200_000])
def test_every_local_preview_adds_up(plan, credit):
    """The check refuses only what is wrong: the console's own previews all pass it."""
    today = date(2026, 11, 26)
    for devices in (1, 7, 10, 99):
        p = preview_activation(currency="BRL", plan=plan, devices=devices, today=today, tax_id=CNPJ)
        assert p.check_adds_up() is p
        for new in {devices + 3, max(1, devices - 1)} - {devices}:
            change = preview_change(
                currency="BRL",
                current_devices=devices,
                new_devices=new,
                today=today,
                credit_available=Money.from_minor(credit, "BRL"),
            )
            assert change.check_adds_up() is change
