"""The Subscription area and the subscription's lifecycle in the admin's language (pt_BR, fr).

The figures, the footer keys at 80×24, the confirmations of a change of devices,
a plan switch and a cancellation, the guard that asks for a big number twice,
the billing details form, and the refusal while money is in flight.
"""

from __future__ import annotations

import pytest
from textual.dom import DOMNode

from mktui.core.i18n import N_
from mktui.tui.screens.billing_details import BillingDetailsModal
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.guard_dialogs import ConfirmOrPayFirstModal, TypeAgainModal
from mktui.tui.screens.subscription import SubscriptionScreen
from mktui.tui.services.money_in_flight import MoneyInFlight
from mktui.tui.widgets.field import LabelledField

from .conftest import footer_line, screen_text, settle
from .records_helpers import open_area, wait_for
from .test_device_guards import ask_for

# What each language shows: the figures' labels and values, the line saying what to do.
SUMMARY = {
    "pt_BR": [
        "Dispositivos 10 (cota) · 7 em uso",
        "Agendado     nenhuma alteração agendada",
        "Renovação    1 dez 2026 · mensal",
        "Pressione d para alterar o número de dispositivos, p para",
    ],
    "fr": [
        "Appareils    10 (quota) · 7 utilisés",
        "Prévu        aucune modification prévue",
        "Échéance     1 déc 2026 · mensuel",
        "Appuyez sur d pour modifier le nombre d'appareils, p pour",
    ],
}
# Every key a person presses in the area, then ^q: none is left out at 80 columns.
FOOTER = {
    "pt_BR": ["r Atualizar", "d Dispositivos", "x Cancelar assinatura", "p Plano", "^q Sair"],
    "fr": ["r Actualiser", "d Appareils", "x Résilier", "p Formule", "^q Quitter"],
}


def unwrapped(app) -> str:
    """The screen's text with its lines joined, so a wrapped sentence reads whole."""
    return " ".join(line.strip(" ▕█") for line in screen_text(app).splitlines())


@pytest.mark.parametrize("language", ["pt_BR", "fr"])
async def test_the_area_and_its_footer_speak_the_language_at_80_columns(make_app, speak, language):
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "u", SubscriptionScreen)
        text = screen_text(app)
        for line in SUMMARY[language]:
            assert line in text, text
        shown = footer_line(app)
        for hint in FOOTER[language]:
            assert hint in shown, shown


@pytest.mark.parametrize(
    ("language", "title", "sentence", "label", "in_use"),
    [
        (
            "pt_BR",
            "Confirmar menos dispositivos",
            "Nada é cobrado agora; a partir de 1 dez 2026 você terá 8 dispositivos.",
            "Agendar 8 dispositivos",
            "7 dispositivos estão em uso; remova alguns",
        ),
        (
            "fr",
            "Confirmer moins d'appareils",
            "Rien n'est débité maintenant ; à partir du 1 déc 2026, vous aurez 8 appareils.",
            "Prévoir 8 appareils",
            "7 appareils sont utilisés ; retirez-en",
        ),
    ],
)
async def test_a_change_of_devices_is_checked_and_confirmed_in_the_language(
    make_app, speak, language, title, sentence, label, in_use
):
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ask_for(pilot, "3")  # below the 7 in use: refused as typed
        await settle(pilot)
        field = screen.query_one("#subscription-new-devices-field", LabelledField)
        assert in_use in (field.error or "")
        field.control.value = "8"
        await settle(pilot)
        await pilot.press("ctrl+y")
        confirm = await wait_for(pilot, ConfirmModal)
        assert not isinstance(confirm, ConfirmOrPayFirstModal)
        assert confirm.title_text == title
        assert sentence in confirm.sentences
        assert label in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.status_text == {"pt_BR": "Nada mudou.", "fr": "Rien n'a changé."}[language]


@pytest.mark.parametrize(
    ("language", "overdue", "again", "why"),
    [
        (
            "pt_BR",
            "1 fatura está vencida (R$ 129,00)",
            "Digite o número de novo",
            "O valor mensal vai de R$ 129,00 para R$ 1.419,00, mais de 10 vezes o atual.",
        ),
        (
            "fr",
            "1 facture est en retard (R$ 129,00)",
            "Saisissez le nombre à nouveau",
            "Le montant mensuel passe de R$ 129,00 à R$ 1.419,00, plus de 10 fois l'actuel.",
        ),
    ],
)
async def test_the_guard_rails_of_more_devices_speak_the_language(
    make_app, speak, language, overdue, again, why
):
    speak(language)
    app = make_app("demo")  # past due, 10 devices at R$ 12,90 a month
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_for(pilot, "110")
        confirm = await wait_for(pilot, ConfirmOrPayFirstModal)
        assert overdue in confirm.sentences
        await pilot.press("y")
        modal = await wait_for(pilot, TypeAgainModal)
        assert modal.why == why
        assert again in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)


@pytest.mark.parametrize(
    ("language", "title", "sentence", "keep"),
    [
        (
            "pt_BR",
            "Cancelar a assinatura",
            "O crédito anual restante",
            "Manter",
        ),
        (
            "fr",
            "Résilier l'abonnement",
            "Le crédit annuel restant",
            "La garder",
        ),
    ],
)
async def test_cancelling_asks_in_the_language(make_app, speak, language, title, sentence, keep):
    speak(language)
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(pilot, "u", SubscriptionScreen)
        await pilot.press("x")
        confirm = await wait_for(pilot, ConfirmModal)
        assert confirm.title_text == title
        assert sentence in confirm.sentences
        assert keep in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.status_text in (
            "A assinatura continua como antes.",
            "L'abonnement continue comme avant.",
        )


@pytest.mark.parametrize(
    ("language", "panel", "title", "sentence"),
    [
        (
            "pt_BR",
            "Mudar para o plano mensal: preço calculado aqui",
            "Confirmar o plano mensal",
            "Nada é cobrado agora; a partir de 1 dez 2026 as renovações são mensais",
        ),
        (
            "fr",
            "Passer en mensuel : prix calculé ici",
            "Confirmer la formule mensuelle",
            "Rien n'est débité maintenant ; à partir du 1 déc 2026, les renouvellements",
        ),
    ],
)
async def test_a_plan_switch_is_priced_and_confirmed_in_the_language(
    make_app, speak, language, panel, title, sentence
):
    speak(language)
    app = make_app("annual")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(pilot, "u", SubscriptionScreen)
        await pilot.press("p")
        await settle(pilot)
        assert panel in unwrapped(app)
        await pilot.press("enter")
        confirm = await wait_for(pilot, ConfirmModal)
        assert confirm.title_text == title
        assert sentence in confirm.sentences
        await pilot.press("escape")
        await settle(pilot)


@pytest.mark.parametrize(
    ("language", "words", "cep"),
    [
        (
            "pt_BR",
            [
                "Razão social",
                "Logradouro",
                "Bairro",
                "ex.: Av. Paulista",
                "Enter ou ctrl+s: Salvar",
            ],
            "O CEP tem 8 dígitos, como 01310-100.",
        ),
        (
            "fr",
            [
                "Raison sociale",
                "Rue",
                "Quartier",
                "ex. : Av. Paulista",
                "Entrée ou ctrl+s : Enregistrer",
            ],
            "Le CEP compte 8 chiffres, comme 01310-100.",
        ),
    ],
)
async def test_the_billing_details_form_speaks_the_language(make_app, speak, language, words, cep):
    speak(language)
    app = make_app("demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        form = await wait_for(pilot, BillingDetailsModal)
        text = screen_text(app)
        for word in words:
            assert word in text, text
        field = form.query_one("#billing-postal_code")
        field.focus()
        field.value = "013101009"
        await pilot.pause()
        assert form.query_one("#billing-postal_code-field", LabelledField).error == cep
        await pilot.press("escape")


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "pt_BR",
            "Uma alteração de dispositivos aguarda a resposta do servidor; abra Faturas quando "
            "ela chegar (aparece aqui).",
        ),
        (
            "fr",
            "Une modification des appareils attend la réponse du serveur ; ouvrez Factures une "
            "fois celle-ci arrivée (elle s'affiche ici).",
        ),
    ],
)
def test_the_refusal_while_money_is_in_flight_names_it_in_the_language(speak, language, sentence):
    from mktui.core.i18n import _

    speak(language)
    money = MoneyInFlight(DOMNode())
    money.begin(DOMNode(), N_("a change of devices"))  # type: ignore[arg-type]
    assert money.refusal(_("open {area}").format(area=_("Invoices"))) == sentence
