"""A real crash mid-payment or mid-sign-in prints nothing typed, writes nothing typed, and says what to do.

A defect is put into a handler the keys reach (not a worker: those end in an
error dialog), the keys are pressed, and Textual's own exception path runs:
``App._handle_exception`` → ``MkApp.report_crash`` → the report printed to
stderr on the way out. The control run uses Textual's own crash report on the
same crash and shows the secrets, so the checks here can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App

from mktui.tui.app import MkApp
from mktui.tui.crash_report import crash_report, crash_sentence
from mktui.tui.screens.signin import SignInScreen
from mktui.tui.widgets.card_form import CardForm

from .conftest import settle
from .test_subscribe import go_to_payment, open_subscribe, type_card, type_into

NUMBER = "3782 822463 10005"  # Amex: a 4-digit CVC
CVC = "9183"
PASSWORD = "s3cret-Horse-Battery"  # noqa: S105 - typed into the form by the test


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch) -> Path:
    """Every file the console may write (config, data, cache, state) lands under tmp_path."""
    home = tmp_path / "home"
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = home / name.lower()
        path.mkdir(parents=True)
        monkeypatch.setenv(name, str(path))
    return tmp_path


def _flat(text: str) -> str:
    """The text without spaces, line breaks or panel borders (a wrapped number joins up)."""
    return re.sub(r"[\s│╭╮╰╯─]", "", text)


def _leaks(text: str) -> list[str]:
    flat = _flat(text)
    secrets = {
        "card number": _flat(NUMBER),
        "CVC": f"'{CVC}'",
        "password": PASSWORD,
    }
    return [name for name, secret in secrets.items() if secret in flat]


def _files_holding_secrets(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            digits = re.sub(rb"\D", b"", data)
            if _flat(NUMBER).encode() in digits or PASSWORD.encode() in data:
                found.append(str(path))
            elif f"'{CVC}'".encode() in data or f'"{CVC}"'.encode() in data:
                found.append(str(path))
    return found


def _broken_describe(self: CardForm) -> str:
    """A defect in describing the card for the confirmation, holding what was typed."""
    number = self.query_one("#card-number").value  # grouped on leaving the field
    cvc = self.query_one("#card-cvc").value  # noqa: F841 - a local a default traceback prints
    return f"card ending {int(number) % 10_000:04d}"  # int() of the grouped number raises


def _broken_sign_in(self: SignInScreen, api_url, email, password) -> None:
    """A defect on the way to the sign-in worker, holding the password."""
    raise ValueError(f"cannot sign in {email} with {password!r}")


async def _crash_while_paying(app: MkApp, monkeypatch) -> None:
    monkeypatch.setattr(CardForm, "describe", _broken_describe)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_subscribe(pilot, devices="3")
        payment = await go_to_payment(pilot)
        assert payment.chosen == "new-card"
        await type_card(pilot, NUMBER, cvc=CVC)
        await pilot.press("ctrl+y")  # Pay: the key reaches the handler, which raises
        await settle(pilot)


async def _crash_while_signing_in(app: MkApp, monkeypatch) -> None:
    monkeypatch.setattr(SignInScreen, "_sign_in", _broken_sign_in)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.click("#signin-sandbox")
        await type_into(pilot, "#signin-email", "demo@mkcontroller.test")
        await type_into(pilot, "#signin-password", PASSWORD)
        await pilot.press("enter")
        await settle(pilot)


CRASHES = {
    "paying": ("new", _crash_while_paying),
    "signing in": (None, _crash_while_signing_in),
}


@pytest.mark.parametrize("moment", CRASHES)
async def test_a_crash_prints_where_it_failed_and_a_sentence_but_nothing_typed(
    moment, make_app, monkeypatch, capsys, private_dirs
):
    account, crash = CRASHES[moment]
    app = make_app(account)
    with pytest.raises(ValueError):  # run_test re-raises what ended the app
        await crash(app, monkeypatch)
    assert app.return_code == 1
    printed = capsys.readouterr()
    report = printed.err + printed.out
    assert "Traceback" in report and "ValueError" in report
    assert "_broken_describe" in report or "_broken_sign_in" in report  # where it failed
    assert " ".join(crash_sentence("ValueError").split()) in " ".join(report.split())
    assert _leaks(report) == []
    assert _files_holding_secrets(private_dirs) == []


@pytest.mark.parametrize("moment", CRASHES)
async def test_textual_own_report_of_the_same_crash_would_print_the_secrets(
    moment, make_app, monkeypatch, capsys
):
    """The control: without mktui's report the same checks find the secrets.

    If this starts failing, Textual's report no longer shows locals or the
    message, and the hook in mktui.tui.textual_shim may be retired.
    """
    account, crash = CRASHES[moment]
    monkeypatch.setattr(MkApp, "_fatal_error", App._fatal_error)
    app = make_app(account)
    with pytest.raises(ValueError):
        await crash(app, monkeypatch)
    report = capsys.readouterr().err
    expected = ["card number", "CVC"] if moment == "paying" else ["password"]
    assert set(expected) <= set(_leaks(report))


def test_the_report_withholds_the_message_of_chained_exceptions_and_groups():
    try:
        try:
            int(NUMBER)  # the source line is shown: the number is not in it
        except ValueError as inner:
            raise ExceptionGroup("many", [KeyError(PASSWORD), inner]) from inner
    except ExceptionGroup:
        renderable = crash_report()
    from rich.console import Console

    console = Console(width=100, record=True, file=None, color_system=None)
    with console.capture() as captured:
        console.print(renderable)
    text = captured.get()
    assert "ExceptionGroup" in text and "KeyError" in text
    assert _leaks(text) == []
    assert "may hold what was typed" in text
