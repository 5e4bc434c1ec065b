"""GET /v1/invoices: q, from, to and status served by indexes, walked by cursor; the account summary.

The demo account gets 120 older invoices (``seed(history=120)``), so pages,
prefixes and date ranges have something to cut; every answer is checked
against a recount in Python over the whole table.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import httpx
import pytest

from mktui.sandbox.app import create_app
from mktui.sandbox.routes_invoices import invoice_query
from mktui.sandbox.store import Store
from tests.sandbox.helpers import T0, add_card, assert_error, key, sign_in


@pytest.fixture(scope="module")
def big_template(tmp_path_factory):
    from mktui.sandbox import seed

    path = tmp_path_factory.mktemp("big") / "db"
    seed.ensure_seeded(Store(path), T0, history=120)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
async def big(tmp_path, big_template):
    import shutil

    path = tmp_path / "db"
    shutil.copyfile(big_template, path)
    app = create_app(path)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as c:
        yield c, await sign_in(c, "demo"), app.state.store


async def _walk(client, headers, query: str, limit: int = 7) -> list[dict]:
    seen, cursor = [], None
    while True:
        url = f"/v1/invoices?limit={limit}&{query}" + (f"&cursor={cursor}" if cursor else "")
        r = await client.get(url, headers=headers)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["data"]) <= limit
        seen += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def _recount(store, keep) -> list[str]:
    """Every invoice of the demo account that ``keep`` accepts, newest first (numbers)."""
    with store.read() as conn:
        rows = conn.execute(
            "SELECT i.* FROM invoices i JOIN accounts a ON a.id = i.account_id "
            "WHERE a.email = 'demo@mkcontroller.test' ORDER BY i.seq DESC"
        ).fetchall()
    return [row["number"] for row in rows if keep(row)]


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("q=MK-00005", lambda r: r["number"].startswith("MK-00005")),
        ("q=mk-0001", lambda r: r["number"].startswith("MK-0001")),
        ("q=XX", lambda r: False),
        ("from=2025-10-28", lambda r: r["issued_at"][:10] >= "2025-10-28"),
        ("to=2025-10-25", lambda r: r["issued_at"][:10] <= "2025-10-25"),
        (
            "from=2025-10-25&to=2025-10-26",
            lambda r: "2025-10-25" <= r["issued_at"][:10] <= "2025-10-26",
        ),
        ("status=void", lambda r: r["status"] == "void"),
        (
            "status=paid&from=2025-10-25&q=MK-0000",
            lambda r: (
                r["status"] == "paid"
                and r["issued_at"][:10] >= "2025-10-25"
                and r["number"].startswith("MK-0000")
            ),
        ),
        ("status=past_due&q=MK", lambda r: r["status"] == "past_due"),
    ],
)
@pytest.mark.parametrize("broad_from", [2000, 5], ids=["narrow-ranges", "broad-ranges"])
async def test_filters_walked_by_cursor_match_a_recount(big, query, keep, broad_from, monkeypatch):
    # A range of BROAD invoices or more is walked in list order: both ways give the same pages.
    from mktui.sandbox import routes_invoices

    monkeypatch.setattr(routes_invoices, "BROAD", broad_from)
    client, demo, store = big
    seen = await _walk(client, demo, query)
    assert [i["number"] for i in seen] == _recount(store, keep)
    assert len({i["id"] for i in seen}) == len(seen)


async def test_the_ranges_are_inclusive_and_checked(big):
    client, demo, store = big
    one_day = _recount(store, lambda r: r["issued_at"][:10] == "2025-10-25")
    assert one_day  # the fixture spreads 120 invoices two hours apart over ten days of October 2025
    seen = await _walk(client, demo, "from=2025-10-25&to=2025-10-25")
    assert [i["number"] for i in seen] == one_day
    r = await client.get("/v1/invoices?from=2025-10-02&to=2025-10-01", headers=demo)
    assert_error(r, 422, "validation_error", "from")
    for bad in ("from=yesterday", "from=0", "to=2025-02-30"):
        r = await client.get(f"/v1/invoices?{bad}", headers=demo)
        assert_error(r, 422, "validation_error", bad.split("=")[0])
    r = await client.get("/v1/invoices?q=" + "9" * 41, headers=demo)
    assert_error(r, 422, "validation_error", "q")


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": "paid"},
        {"q": "MK-0001"},
        {"q": "MK-0001", "status": "open"},
        {"from_": date(2025, 1, 1)},
        {"to": date(2025, 1, 1), "status": "paid"},
        {"from_": date(2025, 1, 1), "to": date(2025, 2, 1), "q": "MK"},
    ],
)
@pytest.mark.parametrize("broad", [False, True])
def test_every_filter_is_served_by_an_index(big_template, filters, broad):
    """The query plan never scans the invoices table: a page costs the same at any size."""
    conn = sqlite3.connect(big_template)
    try:
        sql, args = invoice_query("acct_x", after=500, broad=broad, **filters)
        plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, args))
    finally:
        conn.close()
    assert "SCAN invoices" not in plan.replace("USING COVERING INDEX", "")
    assert "USING" in plan and "INDEX" in plan, plan


async def _summary_by_hand(client, headers) -> dict:
    every = await _walk(client, headers, "", limit=200)
    out = {}
    for name, status in (("open", "open"), ("overdue", "past_due")):
        mine = [i for i in every if i["status"] == status]
        out[name] = {"count": len(mine), "total": sum(i["amount_due"] for i in mine)}
    return out


async def test_the_account_summary_matches_a_recount(big):
    client, demo, _ = big
    account = (await client.get("/v1/account", headers=demo)).json()
    assert account["overdue"]["count"] == 1
    assert {k: account[k] for k in ("open", "overdue")} == await _summary_by_hand(client, demo)


async def test_each_seeded_account_summary_matches_a_recount(client):
    for who in ("demo", "annual", "new"):
        headers = await sign_in(client, who)
        account = (await client.get("/v1/account", headers=headers)).json()
        assert {k: account[k] for k in ("open", "overdue")} == await _summary_by_hand(
            client, headers
        )


async def test_the_summary_follows_a_payment(big):
    client, demo, _ = big
    await add_card(client, demo)
    late = (await client.get("/v1/invoices?status=past_due", headers=demo)).json()["data"][0]
    r = await client.post(f"/v1/invoices/{late['id']}/pay", headers={**demo, **key()})
    assert r.status_code == 200, r.text
    account = (await client.get("/v1/account", headers=demo)).json()
    assert account["overdue"] == {"count": 0, "total": 0}
    assert account["open"] == (await _summary_by_hand(client, demo))["open"]
