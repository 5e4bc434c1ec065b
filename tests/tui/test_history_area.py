"""History: the annual account's ledger, its running balance, the remaining credit, more pages."""

from __future__ import annotations

from mktui.tui.screens.history import HistoryScreen, ledger_amount, signed
from mktui.tui.widgets.money import MoneyDisplay, format_minor

from .conftest import screen_text, settle
from .records_helpers import cells, open_area

CREDIT_KINDS = {"credit_grant", "credit_use"}


async def test_the_ledger_newest_first_with_a_running_balance(make_app, api):
    client = await api("annual")
    account = await client.account()
    ledger = (await client.ledger(limit=200)).data
    assert len(ledger) == 9 and account.credit_balance == 38700
    app = make_app("annual")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        assert list(screen.entries) == [e.id for e in ledger]
        # Oldest first, the balance after each row is the running sum of credit moves.
        running = 0
        shown_after = list(reversed(cells(screen, 3)))
        shown_amount = list(reversed(cells(screen, 2)))
        for entry, after, amount in zip(reversed(ledger), shown_after, shown_amount, strict=True):
            if entry.kind in CREDIT_KINDS:
                running += entry.amount
            assert entry.balance_after == running, entry
            assert after == format_minor(running, "BRL")
            assert amount == ledger_amount(entry.kind, entry.amount, "BRL")
        remaining = screen.query_one("#history-remaining", MoneyDisplay)
        assert remaining.value is not None and remaining.value.minor == account.credit_balance
        assert running == account.credit_balance
        text = screen_text(app)
        assert "Remaining credit  R$ 387,00" in text
        assert "credit granted" in text and "+R$ 774,00" in text and "−R$ 64,50" in text
        # Dates in the billing time zone: midnight in São Paulo, not 03:00 UTC.
        assert cells(screen, 0)[0] == "1 Nov 2026\n00:00"


async def test_pages_load_with_the_key_and_at_the_end(make_app, monkeypatch, sandbox_app):
    monkeypatch.setattr(HistoryScreen, "PAGE_SIZE", 4)
    monkeypatch.setattr(HistoryScreen, "MORE_PAGE_SIZE", 4)
    # A wider amount on the last page (a charge does not move the credit balance).
    with sandbox_app.state.store.write() as conn:
        conn.execute("UPDATE ledger SET amount = 6450000 WHERE kind = 'charge' AND amount = 64500")
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        assert len(cells(screen, 0)) == 4 and screen.next_cursor
        assert [n for n, _, _ in screen.palette_commands()][0] == "history: Load more"
        await pilot.press("l")
        await settle(pilot)
        assert len(cells(screen, 0)) == 8
        await pilot.press(*["down"] * 7)  # reaching the last row loads the rest
        await settle(pilot)
        assert len(cells(screen, 0)) == 9 and screen.next_cursor is None
        assert len(set(screen.entries)) == 9
        await pilot.press("down")  # the oldest row, the one the last page brought
        await settle(pilot)
        text = screen_text(app)
        assert "All 9 entries" in text
        # The first page held only −R$ 64,50; the wider amounts of later pages are not cut.
        assert "R$ 64.500,00" in text and "+R$ 774,00" in text, text
        assert screen.check_action("load_more", ()) is False  # gone from the footer
        assert "history: Load more" not in [n for n, _, _ in screen.palette_commands()]
        await pilot.press("l")  # nothing more: nothing happens
        await settle(pilot)
        assert len(cells(screen, 0)) == 9


async def test_an_account_without_history(make_app):
    app = make_app("new")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "h", HistoryScreen)
        assert cells(screen, 0) == []
        assert "No credit history yet" in screen_text(app)


def test_only_credit_moves_carry_a_sign():
    assert ledger_amount("credit_grant", 77400, "BRL") == "+R$ 774,00"
    assert ledger_amount("credit_use", -6450, "BRL") == "−R$ 64,50"
    assert ledger_amount("charge", 12900, "BRL") == "R$ 129,00"  # a card amount, not credit
    assert ledger_amount("payment", 12900, "BRL") == "R$ 129,00"


def test_signed_amounts():
    assert signed(77400, "BRL") == "+R$ 774,00"
    assert signed(-6450, "BRL") == "−R$ 64,50"
    assert signed(0, "USD") == "$0.00"


def test_bindings_have_ids():
    for binding in HistoryScreen.BINDINGS:
        assert binding.id and binding.description


def test_snapshot_history(snap_compare, make_app):
    async def ready(pilot):
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(make_app("annual"), terminal_size=(80, 24), run_before=ready)
