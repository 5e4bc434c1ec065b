"""The Invoices area in the admin's language (issue #16): the list, an opened invoice, paying, Pix.

Each test opens the real console on the sandbox in Portuguese, Spanish or French and
reads what a person sees at 80×24: column titles, status words, the footer's keys,
the dialogs' sentences. Server text (line descriptions, failure messages) stays as sent.
"""

from __future__ import annotations

from datetime import date

import pytest

from mktui.core import i18n
from mktui.core.i18n import _
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.invoice_detail import InvoiceDetailModal
from mktui.tui.screens.invoice_pay import PayWithModal
from mktui.tui.screens.pix_pay import PixPayModal
from mktui.tui.services.invoice_search import InvoiceSearch

from .conftest import footer_line, screen_text, settle
from .test_invoice_actions import open_invoices, said, select, wait_for

# language: (column titles, overdue word, paid word, keys in the footer, the list's title)
LISTS = {
    "pt_BR": (
        ["Número", "Vencimento", "Situação", "Total", "A pagar"],
        "EM ATRASO",
        "paga",
        ["Retentar", "Pagar com…", "PDF da fatura", "Pix", "Pagar atrasadas"],
        "Faturas, mais recentes primeiro",
    ),
    "es": (
        ["Número", "Vencimiento", "Estado", "Total", "A pagar"],
        "VENCIDA",
        "pagada",
        ["Reintentar", "Pagar con…", "Factura PDF", "Pix", "Pagar vencidas"],
        "Facturas, las más recientes primero",
    ),
    "fr": (
        ["Numéro", "Échéance", "Statut", "Total", "À payer"],
        "EN RETARD",
        "payée",
        ["Réessayer", "Payer avec…", "Facture PDF", "Pix", "Payer les retards"],
        "Factures, les plus récentes d'abord",
    ),
}


@pytest.mark.parametrize("language", sorted(LISTS))
async def test_the_invoices_list_speaks_the_language(make_app, speak, language):
    columns, overdue, paid, keys, title = LISTS[language]
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        table = screen.query_one("#invoices-table")
        assert [str(column.label) for column in table.columns.values()] == columns
        text = screen_text(app)
        assert title in text
        assert overdue in text and f" {paid} " in text
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert set(keys) <= descriptions
        # At 80 columns the longest labels still leave whole keys, Quit and the palette's key:
        # the footer leaves out the last hints (the invoice PDF) rather than cutting one,
        # the keys that pay or Quit; what it leaves out is in the palette.
        line = footer_line(app)
        assert line.rstrip().endswith("^p " + _("palette")), line
        assert f"^q {_('Quit')}" in line, line
        for key, description in zip("rpPxa", keys, strict=True):
            if key != "P":
                assert f"{key} {description}" in line, line


async def test_the_invoices_detail_line_filter_and_search_in_portuguese(make_app, speak):
    speak("pt_BR")
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        detail = str(screen.query_one("#invoices-detail").render())
        assert "emitida em 1 nov 2026" in detail and "período 1–30 nov 2026" in detail
        assert "1 tentativa" in detail
        assert "Todas as 13 faturas; Enter abre uma." in screen_text(app)

        await pilot.press("s")  # all → overdue
        await settle(pilot)
        assert "só em atraso (s: filtro)" in str(screen.query_one("#invoices-title").render())

        await pilot.press("slash")
        await pilot.press(*"2026-01-01..2026-03-31")
        await pilot.press("enter")
        await settle(pilot)
        title = str(screen.query_one("#invoices-title").render())
        assert "emitidas de 1 jan 2026 a 31 mar 2026 (/: busca)" in title

        await pilot.press("slash")  # the search line again (the list took the focus back)
        screen.query_one("#invoices-search").value = "x!y"
        await pilot.press("enter")
        await pilot.pause()
        assert "não é um número de fatura" in screen.status_text


@pytest.mark.parametrize(
    ("language", "words", "hint_end"),
    [
        (
            "pt_BR",
            ["Fatura MK-", "Situação", "EM ATRASO", "Valor devido", "Tentativas"],
            "Esc fecha",
        ),
        ("es", ["Factura MK-", "Estado", "VENCIDA", "Importe adeudado", "Intentos"], "Esc cierra"),
    ],
)
async def test_an_opened_invoice_speaks_the_language(make_app, speak, language, words, hint_end):
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        await pilot.press("enter")
        await wait_for(pilot, InvoiceDetailModal)
        await settle(pilot)
        text = screen_text(app)
        for word in words:
            assert word in text, text
        # The server's failure message stays as it was sent.
        assert "insufficient funds" in text
        # The keys' hint is whole at 80×24 (the lines above scroll instead).
        assert hint_end in text, text


async def test_paying_an_invoice_in_portuguese(make_app, speak):
    speak("pt_BR")
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        number = screen.selected.number

        await pilot.press("p")
        dialog = await wait_for(pilot, PayWithModal)
        await settle(pilot)
        text = screen_text(app)
        assert f"Pagar a fatura {number} com" in text
        assert "Continuar" in text and "Cancelar" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not dialog.is_attached

        await pilot.press("r")
        modal = await wait_for(pilot, ConfirmModal)
        assert f"Cobrar R$ 129,00 agora no Visa •••• 4242 pela fatura {number}." in said(modal)
        assert "Pressione y para pagar; Esc cancela e não cobra nada." in said(modal)
        assert "Confirmar pagamento" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.status_text == "Nada foi cobrado."

        await pilot.press("r")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert f"A fatura {number} está paga: R$ 129,00 com Visa •••• 4242." in screen.status_text
        assert " paga " in screen_text(app)


@pytest.mark.parametrize(
    ("language", "words", "keys"),
    [
        ("pt_BR", ["Pagar com Pix", ", fatura MK-", "Vence em", "Aguardando o pagamento…"], ["Copiar código", "Fechar"]),
        ("fr", ["Payer par Pix", ", facture MK-", "Expire dans", "En attente du paiement…"], ["Copier le code", "Fermer"]),
    ],
)  # fmt: skip
async def test_the_pix_page_speaks_the_language(make_app, speak, language, words, keys):
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        await select(pilot, screen, "past_due")
        await pilot.press("x")
        pix = await wait_for(pilot, PixPayModal)
        await settle(pilot)
        text = screen_text(app)
        for word in words:
            assert word in text, text
        descriptions = {b.binding.description for b in pix.active_bindings.values()}
        assert set(keys) <= descriptions
        for key in keys:
            assert key in footer_line(app)


def test_dates_and_searches_read_in_the_language(speak):
    speak("pt_BR")
    assert i18n.format_period(date(2026, 11, 26), date(2026, 12, 3)) == "26 nov – 3 dez 2026"
    assert i18n.format_period(date(2026, 11, 1), date(2026, 11, 30)) == "1–30 nov 2026"
    search = InvoiceSearch.parse("mk-00 2026-01-01..")
    assert search.describe() == "números MK-00… emitidas desde 1 jan 2026"
    speak("en")
    assert i18n.format_period(date(2026, 11, 1), date(2026, 11, 30)) == "1–30 Nov 2026"
    assert search.describe() == "numbers MK-00… issued from 1 Jan 2026"
