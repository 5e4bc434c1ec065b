"""`mktui web`: the console in a browser, on loopback unless --public, then behind one-time tokens."""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# textual-serve (a dependency since `mktui web`) brings aiohttp; a venv made before lacks it.
pytest.importorskip("textual_serve", reason="pip install -e '.[test]' again: mktui web needs it")
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from mktui.cli import web
from mktui.cli.main import main

from .browser import chromium, open_page, page_text, screenshot

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.0.10", False),
        ("billing.example.com", False),
    ],
)
def test_loopback_addresses(host, loopback):
    assert web.is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.0.10", "::"])
def test_an_address_beyond_loopback_is_refused_without_public(host, capsys, monkeypatch):
    monkeypatch.setattr(web, "make_server", lambda *a, **k: pytest.fail("nothing may be served"))
    assert main(["web", "--sandbox", "--host", host]) == 2
    said = capsys.readouterr().err
    assert said.startswith("mktui web: ") and host in said and "--public" in said
    assert said.count("\n") == 1


def test_a_token_is_spent_once_and_the_next_one_is_announced():
    announced: list[str] = []
    guard = web.TokenGuard(announced.append)
    first = announced[-1]
    assert guard.spend("") is None and guard.spend("wrong") is None
    session = guard.spend(f" {first} ")
    assert session and guard.admits(session)
    assert len(announced) == 2 and announced[-1] != first
    assert guard.spend(first) is None  # one-time: spent
    assert not guard.admits("made-up") and not guard.admits(None)
    assert guard.admits(session)  # the session stays


def command(*extra: str) -> argparse.Namespace:
    return argparse.Namespace(sandbox=True, sandbox_account="new", profile=None, lang="pt_BR")


def test_the_token_page_speaks_the_language_and_says_which():
    from mktui.core import i18n

    try:
        i18n.use("pt_BR")
        page = web.ask_page()
    finally:
        i18n.use("en")
    assert '<html lang="pt-BR">' in page and "Abrir o console" in page
    assert '<html lang="en">' in web.ask_page()


def test_each_tab_runs_the_console_with_the_options_given():
    line = web.console_command(command())
    assert line.split()[1:] == ["-m", "mktui", "--sandbox", "--as", "new", "--lang", "pt_BR"]


async def client_for(guard):
    server = web.make_server("true", host="127.0.0.1", port=0, guard=guard)
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


async def test_on_loopback_the_page_answers_only_a_loopback_host_and_its_own_origin():
    client = await client_for(None)
    try:
        page = await client.get("/")
        assert page.status == 200 and "textual-terminal" in await page.text()
        assert page.headers["X-Frame-Options"] == "DENY"
        rebound = await client.get("/", headers={"Host": "attacker.example:8000"})
        assert rebound.status == 421
        ws = await client.get("/ws", headers={"Origin": "https://attacker.example"})
        assert ws.status == 403  # another site's page cannot drive the console
        ws = await client.get(
            "/ws", headers={"Host": "attacker.example", "Origin": "http://attacker.example"}
        )
        assert ws.status == 421
    finally:
        await client.close()


async def test_public_asks_for_the_one_time_token_before_the_page_the_websocket_and_downloads():
    announced: list[str] = []
    client = await client_for(web.TokenGuard(announced.append))
    try:
        ask = await client.get("/")
        assert ask.status == 401
        body = await ask.text()
        assert "one-time token" in body and "textual-terminal" not in body
        assert (await client.get("/ws")).status == 401
        assert (await client.get("/download/abc")).status == 401
        wrong = await client.post("/", data={"token": "guess"}, allow_redirects=False)
        assert wrong.status == 401 and "not right" in await wrong.text()
        token = announced[-1]
        right = await client.post("/", data={"token": token}, allow_redirects=False)
        assert right.status == 303 and right.headers["Location"] == "/"
        cookie = right.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token not in cookie
        page = await client.get("/")  # the client keeps the session cookie
        assert page.status == 200 and "textual-terminal" in await page.text()
        client.session.cookie_jar.clear()
        again = await client.post("/", data={"token": token}, allow_redirects=False)
        assert again.status == 401  # spent
        assert (await client.get("/")).status == 401
    finally:
        await client.close()


@pytest.fixture
def served(tmp_path):
    """``mktui web --sandbox`` in a subprocess on a free loopback port; Ctrl+C stops it."""
    port = free_port()
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mktui", "web", "--sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    first = process.stdout.readline()
    assert f"http://127.0.0.1:{port}/" in first, first
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/", process
    if process.poll() is None:
        process.send_signal(2)
        process.wait(timeout=10)


def _need_chromium():
    if chromium() is None:
        if os.environ.get("MKTUI_REQUIRE_CHROMIUM"):
            pytest.fail(
                "Chromium is required here (.ci/run installs it): apt-get install -y chromium"
            )
        pytest.skip("Chromium is not installed (apt-get install -y chromium; .ci/run does it)")


async def test_the_browser_shows_the_console_of_the_sandbox(served):
    _need_chromium()
    url, process = served
    async with open_page() as page:
        text = await page_text(page, url, "Demo Networks Ltda")
    assert "Demo Networks Ltda" in text, text
    assert re.search(r"Overdue\s+R\$ 129,00", text), text
    process.send_signal(2)  # Ctrl+C
    out, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert out.strip().splitlines() == ["mktui web: stopped."], out


@pytest.mark.skipif(not os.environ.get("MKTUI_WEB_SCREENSHOT"), reason="regenerates docs/web.png")
async def test_regenerate_the_readme_screenshot(served):  # pragma: no cover - run by hand
    url, _ = served
    async with open_page(size=(1040, 660)) as page:
        await screenshot(page, url, ROOT / "docs" / "web.png", "R$ 129,00 · 1 invoice")
