"""Proof: no secret in any file the app, the CLI and the sandbox write.

One session does what an admin does — ``mktui login`` with a password (the
refresh token kept in the encrypted file), the console adding a card typed
in full, paying an overdue invoice with it, adding a contact, saving a
receipt, signing out, and ``mktui logout`` — against the sandbox on its own
SQLite file. Every token the server issued is recorded. Then every file under
the test's folder (home, config, data, the database with its WAL, the
receipts) is read as bytes and searched for the password, the passphrase,
the card number (whole and grouped), the CVC next to its name, and every
access and refresh token.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from mktui.cli.session_commands import run_login, run_logout
from mktui.config import downloads as receipt_files
from mktui.config.credentials import probe_keyring
from mktui.sandbox import auth
from mktui.tui.screens.contacts import AddContactModal, ContactsScreen
from mktui.tui.screens.dialogs import ConfirmModal
from mktui.tui.screens.invoices import InvoicesScreen
from mktui.tui.screens.payment_methods import AddCardModal, PaymentMethodsScreen
from tests.proofs import figures
from tests.test_session_commands import ScriptedTerminal, parse

from .conftest import settle
from .records_helpers import fill_card, open_area, wait_for, wait_for_text
from .test_invoice_actions import select
from .test_subscribe import type_into

PASSWORD = "Pw-Scan-7f3a9c-LEAKCHECK"
PASSPHRASE = "Passphrase-Scan-91be-LEAKCHECK"
CARD = "5105105105105100"
CVC = "913"


def _read_all(folder: Path) -> dict[Path, bytes]:
    """Every file under ``folder``, as bytes (after the app has stopped writing)."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _needles(tokens: list[str]) -> dict[str, bytes]:
    grouped = " ".join(CARD[i : i + 4] for i in range(0, 16, 4))
    needles = {
        "password": PASSWORD.encode(),
        "passphrase": PASSPHRASE.encode(),
        "card number": CARD.encode(),
        "card number (grouped)": grouped.encode(),
        "card number (utf-16)": CARD.encode("utf-16-le"),
        "cvc": f'"cvc":"{CVC}"'.encode(),
        "cvc (spaced)": f'"cvc": "{CVC}"'.encode(),
    }
    for n, token in enumerate(tokens):
        needles[f"token {n}"] = token.encode()
    return needles


async def test_no_secret_in_any_file_written(
    make_app, sandbox_app, tmp_path, monkeypatch, fast_kdf
):
    issued: list[str] = []
    real_issue = auth.issue_tokens

    def recording(*args, **kwargs):
        pair = real_issue(*args, **kwargs)
        issued.extend([pair["access_token"], pair["refresh_token"]])
        return pair

    monkeypatch.setattr(auth, "issue_tokens", recording)
    with sandbox_app.state.store.write() as conn:
        conn.execute(
            "UPDATE accounts SET password_hash = ? WHERE email = 'annual@mkcontroller.test'",
            (auth.hash_password(PASSWORD),),
        )
    receipts = tmp_path / "receipts"
    receipts.mkdir()
    monkeypatch.setattr(receipt_files, "default_download_dir", lambda: receipts)

    # The CLI: sign in (the token goes to the encrypted file), then log out.
    transport = httpx.ASGITransport(app=sandbox_app)
    no_keyring = lambda: probe_keyring(environ={"SSH_CONNECTION": "x"})  # noqa: E731
    term = ScriptedTerminal(secrets=[PASSWORD, PASSPHRASE, PASSPHRASE])
    args = parse(
        "login",
        "--profile",
        "work",
        "--api-url",
        "http://127.0.0.1:9",
        "--email",
        "annual@mkcontroller.test",
    )
    # The CLI runs its own event loop: in a thread, as from a shell.
    code = await asyncio.to_thread(
        run_login, args, term=term, transport=transport, probe=no_keyring
    )
    assert code == 0, term.output

    # The console: a card typed in full, a payment, a contact, a receipt, sign-out.
    app = make_app("demo")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_area(pilot, "m", PaymentMethodsScreen)
        await pilot.press("a")
        await wait_for(pilot, AddCardModal)
        await fill_card(pilot, CARD, cvc=CVC)
        await pilot.press("ctrl+s")
        # The list is reloaded by a worker the dialog's closing starts: waited for, not
        # assumed done after one settle (seen once in CI under load).
        await wait_for_text(pilot, "•••• 5100")
        screen = await open_area(pilot, "i", InvoicesScreen)
        await select(pilot, screen, "past_due")
        await pilot.press("r")
        await wait_for(pilot, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        await select(pilot, screen, "paid")
        await pilot.press("d")
        await settle(pilot)
        await open_area(pilot, "c", ContactsScreen)
        await pilot.press("a")
        await wait_for(pilot, AddContactModal)
        await type_into(pilot, "#contact-name", "Scan Contact")
        await type_into(pilot, "#contact-email", "scan@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        issued.extend(app.session.client.tokens.secrets())
        await app.sign_out()
        await settle(pilot)
    assert list(receipts.glob("*.pdf")), "no receipt was saved"
    # Scanned while the CLI's session is still stored (the encrypted file), and after logout.
    snapshots = _read_all(tmp_path)

    term = ScriptedTerminal()
    args = parse("logout", "--profile", "work")
    code = await asyncio.to_thread(
        run_logout, args, term=term, probe=no_keyring, transport=transport
    )
    assert code == 0, term.output
    assert "could not be told" not in term.output  # the session was revoked on the server

    needles = _needles(sorted(set(issued)))
    after = _read_all(tmp_path)
    files = sorted(set(snapshots) | set(after))
    scanned = 0
    found = []
    for path, data in [*snapshots.items(), *after.items()]:
        scanned += len(data)
        found += [
            f"{name} in {path.relative_to(tmp_path)}"
            for name, needle in needles.items()
            if needle in data
        ]
    figures.report(
        f"secrets scan: {len(files)} files ({scanned // 1024} KiB) written by the CLI, the console "
        f"and the sandbox, searched for {len(needles)} secrets ({len(issued)} tokens issued, the "
        f"password, the passphrase, the card number and CVC); secrets found: {len(found)}"
    )
    names = {p.name for p in files}
    assert {"sandbox.sqlite", "credentials.enc"} <= names or len(files) >= 4, names
    assert issued
    assert found == [], json.dumps(found, indent=1)
