"""One date style for people: ``1 Jan 2027``, in the billing time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mktui.core import dates


def test_a_date_reads_day_month_year_whatever_the_machine_locale(monkeypatch):
    monkeypatch.setenv("LC_TIME", "pt_BR.UTF-8")
    assert dates.format_date(date(2027, 1, 1)) == "1 Jan 2027"
    assert dates.format_date(date(2026, 12, 31)) == "31 Dec 2026"
    assert dates.format_month(date(2026, 11, 26)) == "Nov 2026"


def test_a_moment_is_not_a_date():
    with pytest.raises(TypeError):
        dates.format_date(datetime(2027, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (date(2026, 11, 26), date(2026, 11, 30), "26–30 Nov 2026"),
        (date(2026, 11, 26), date(2026, 12, 3), "26 Nov – 3 Dec 2026"),
        (date(2026, 12, 1), date(2027, 11, 30), "1 Dec 2026 – 30 Nov 2027"),
        (date(2026, 12, 1), date(2026, 12, 1), "1 Dec 2026"),
    ],
)
def test_a_period_shares_what_its_ends_share(start, end, shown):
    assert dates.format_period(start, end) == shown


def test_a_moment_is_read_in_the_billing_time_zone():
    # 02:30 UTC on the 1st is still the last day of the month in São Paulo (UTC−3).
    at = datetime(2027, 1, 1, 2, 30, tzinfo=UTC)
    assert dates.format_day_of(at, "America/Sao_Paulo") == "31 Dec 2026"
    assert dates.format_moment(at, "America/Sao_Paulo") == "31 Dec 2026 23:30"
    assert dates.format_day_of(at, "UTC") == "1 Jan 2027"
    assert dates.format_day_of(at) == "31 Dec 2026"  # no zone named: the billing default
    assert dates.format_day_of(at, "Not/AZone") == "31 Dec 2026"
