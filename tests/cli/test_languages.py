"""The command line in pt_BR, es and fr: help, tables, confirmations, usage errors; JSON and CSV never translated."""

from __future__ import annotations

import argparse
import io

import pytest

from mktui.core import i18n

from .harness import run

LANGUAGES = ("en", "pt_BR", "es", "fr")


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use("en")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("pt_BR", ("uso: mktui invoices pay", "a fatura (veja `mktui invoices list`)", "opções")),
        ("es", ("uso: mktui invoices pay", "la factura (vea `mktui invoices list`)", "opciones")),
        ("fr", ("utilisation : mktui invoices pay", "la facture (voyez `mktui", "options")),
    ],
)
def test_the_help_of_a_subcommand_speaks_the_language(language, words):
    result = run("--lang", language, "invoices", "pay", "--help")
    assert result.code == 0, result.err
    for word in words:
        assert word in result.out
    assert "show this help message" not in result.out
    assert "--all-overdue" in result.out  # option names are never translated


@pytest.mark.parametrize(
    ("language", "headings", "status"),
    [
        ("pt_BR", ("Número", "Situação", "Vencimento", "Valor devido"), "em atraso"),
        ("es", ("Número", "Estado", "Vencimiento", "Importe adeudado"), "vencida"),
        ("fr", ("Numéro", "Statut", "Échéance", "Montant dû"), "en retard"),
    ],
)
def test_a_tables_headings_and_statuses_speak_the_language(served, language, headings, status):
    result = served.as_("demo", "--lang", language, "invoices", "list")
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    for heading in headings:
        assert heading in first
    assert status in result.out
    assert "MK-" in result.out  # invoice numbers as the server sends them


@pytest.mark.parametrize(
    ("language", "statement", "refusal"),
    [
        (
            "pt_BR",
            "Pagar 1 fatura em atraso, a mais antiga primeiro, R$ 129,00 no total, no Visa",
            "Não há terminal para confirmar, então nada foi feito; acrescente --yes",
        ),
        (
            "es",
            "Pagar 1 factura vencida, la más antigua primero, R$ 129,00 en total, a Visa",
            "No hay una terminal donde confirmar, así que no se hizo nada; añada --yes",
        ),
        (
            "fr",
            "Payer 1 facture en retard, la plus ancienne d'abord, R$ 129,00 au total, sur Visa",
            "Il n'y a pas de terminal pour confirmer, donc rien n'a été fait ; ajoutez --yes",
        ),
    ],
)
def test_a_payment_refused_without_yes_is_said_in_the_language(
    served, language, statement, refusal
):
    result = served.as_("demo", "--lang", language, "invoices", "pay", "--all-overdue")
    assert result.code == 1
    assert statement in result.err
    assert refusal in result.err
    after = served.as_("demo", "invoices", "list", "--status", "past_due", "--json").json()
    assert len(after) == 1  # nothing was paid


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("pt_BR", "argumento --status: escolha inválida: 'nope'"),
        ("es", "argumento --status: opción no válida: 'nope'"),
        ("fr", "argument --status : choix invalide : 'nope'"),
    ],
)
def test_a_usage_error_speaks_the_language_and_exits_1(language, sentence):
    result = run("--lang", language, "invoices", "list", "--status", "nope")
    assert result.code == 1
    assert sentence in result.err
    assert "{open,past_due,paid,void}" in result.err  # the choices stay as typed


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "pt_BR",
            "--devices deve ser um número inteiro de dispositivos, como 12 (recebido 'doze').",
        ),
        ("es", "--devices debe ser un número entero de dispositivos, como 12 (se recibió 'doze')."),
        ("fr", "--devices doit être un nombre entier d'appareils, comme 12 (reçu 'doze')."),
    ],
)
def test_a_refused_option_value_is_a_sentence_in_the_language(language, sentence):
    result = run("--lang", language, "--sandbox", "preview", "--devices", "doze")
    assert result.code == 1
    assert result.err.strip() == f"mktui: {sentence}"


@pytest.mark.parametrize(
    "command",
    [
        ("status",),
        ("invoices", "list", "--all"),
        ("history", "--all"),
        ("methods", "list"),
        ("contacts", "list"),
    ],
)
def test_json_and_csv_are_the_same_in_every_language(served, command):
    for fmt in ("--json", "--csv"):
        outputs = {}
        for language in LANGUAGES:
            result = served.as_("demo", "--lang", language, *command, fmt)
            assert result.code == 0, result.err
            outputs[language] = result.out
        assert len(set(outputs.values())) == 1, (command, fmt)


def test_a_confirmation_takes_the_languages_own_yes():
    from mktui.cli.output import Output
    from mktui.cli.runner import Context

    def context(answer: str) -> tuple[Context, io.StringIO]:
        err = io.StringIO()
        asked = []

        def ask(prompt: str) -> str:
            asked.append(prompt)
            return answer

        ctx = Context(argparse.Namespace(), Output("table", io.StringIO()), err, ask, True)
        return ctx, err

    i18n.use("pt_BR")
    ctx, err = context("sim\n")
    assert ctx.confirm(["Pagar a fatura."], "Pagar R$ 129,00?")
    ctx, err = context("n\n")
    assert not ctx.confirm([], "Pagar R$ 129,00?")
    assert "Não confirmado; nada foi feito." in err.getvalue()
    i18n.use("fr")
    ctx, _err = context("oui\n")
    assert ctx.confirm([], "Payer R$ 129,00 ?")
    i18n.use("en")
    ctx, _err = context("sim\n")
    assert not ctx.confirm([], "Pay R$ 129.00?")
    ctx, _err = context("y\n")
    assert ctx.confirm([], "Pay R$ 129.00?")


# What a confirmation says, with long but real values: each language fits 80
# columns wherever the English does.
_CONFIRMATIONS = [
    (
        "Pay invoice {number} ({start} to {end}, due {due}): {amount} to {card}.",
        {
            "number": "MK-000018",
            "start": "1 Dec 2026",
            "end": "31 Dec 2026",
            "due": "1 Dec 2026",
            "amount": "R$ 1.234,56",
            "card": "Visa •••• 0002",
        },
    ),
    (
        "Charge {amount} now to {card}, for {start} to {end}:",
        {
            "amount": "R$ 1.234,56",
            "card": "Visa •••• 0002",
            "start": "2 Dec 2026",
            "end": "31 Dec 2026",
        },
    ),
    ("Pay {amount}?", {"amount": "R$ 1.234,56"}),
    (
        "Remove {card} (exp {expiry}, {holder}).",
        {"card": "Visa •••• 0002", "expiry": "12/29", "holder": "Demo Networks"},
    ),
    (
        "{number}  due {due}  {amount}",
        {"number": "MK-000018", "due": "1 Dec 2026", "amount": "R$ 1.234,56"},
    ),
    ("Not confirmed; nothing was done.", {}),
    ("{number}: paid {amount}.", {"number": "MK-000018", "amount": "R$ 1.234,56"}),
]


@pytest.mark.parametrize(("msgid", "values"), _CONFIRMATIONS)
def test_a_confirmation_line_fits_80_columns_in_every_language_where_the_english_does(
    msgid, values
):
    english = msgid.format(**values)
    for language in LANGUAGES:
        i18n.use(language)
        line = i18n._(msgid).format(**values)
        if len(english) <= 80:
            assert len(line) <= 80, (language, line)
        else:
            assert len(line) <= len(english) + 12, (language, line)


def test_a_config_error_speaks_the_language():
    from mktui.config.profiles import ConfigError, validate_email

    i18n.use("es")
    with pytest.raises(ConfigError) as caught:
        validate_email("nope", field="--email")
    assert caught.value.message == "--email 'nope' no es una dirección de correo electrónico."


def test_a_subscription_change_is_stated_in_the_language_and_refused_without_yes(served):
    result = served.as_("demo", "--lang", "es", "subscription", "set-devices", "8")
    assert result.code == 1
    assert "Dispositivos 10 → 8 desde el 1 dic 2026; no se cobra ni se reembolsa nada ahora." in (
        result.err
    )
    assert "Hasta entonces conserva 10 dispositivos." in result.err
    shown = served.as_("demo", "--lang", "es", "subscription", "show")
    assert "Dispositivos  10" in shown.out and "Programado" not in shown.out
