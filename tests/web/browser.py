"""Headless Chromium driven over the DevTools protocol: load a page, read its text, screenshot it.

Debian's ``chromium`` package (``.ci/run`` installs it when missing). The
console renders in xterm.js, which draws on a canvas (WebGL, else 2D): to read
the terminal as text, :func:`page_text` turns canvases off for that page only, so
xterm.js falls back to its DOM renderer and every row is a ``div`` of text.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

NO_CANVAS = "HTMLCanvasElement.prototype.getContext = function () { return null; };"
ROWS = (
    "Array.from(document.querySelectorAll('.xterm-rows > div')).map(d => d.textContent).join('\\n')"
)


def chromium() -> str | None:
    """The Chromium binary, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    """One browser tab over the DevTools websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._id = 0

    async def call(self, method: str, **params: object) -> dict:
        self._id += 1
        await self._ws.send_json({"id": self._id, "method": method, "params": params})
        while True:
            message = await self._ws.receive_json()
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    async def evaluate(self, expression: str) -> object:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")


@contextlib.asynccontextmanager
async def open_page(size: tuple[int, int] = (1000, 640)) -> AsyncIterator[Page]:
    """A fresh headless Chromium (its own profile) with one blank tab."""
    # Chromium's helper processes may still write to the profile while it is removed:
    # a leftover file in /tmp must not fail the test.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        process = await asyncio.to_thread(_launch, profile, size)
        try:
            port = await asyncio.to_thread(_devtools_port, process)
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/json/list") as answer:
                    pages = [p for p in await answer.json() if p["type"] == "page"]
                async with session.ws_connect(
                    pages[0]["webSocketDebuggerUrl"], max_msg_size=0
                ) as ws:
                    page = Page(ws)
                    await page.call("Page.enable")
                    yield page
        finally:
            process.kill()
            await asyncio.to_thread(process.wait)


def _launch(profile: str, size: tuple[int, int]) -> subprocess.Popen:
    binary = chromium()
    assert binary, "Chromium is not installed (apt-get install -y chromium)"
    return subprocess.Popen(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _devtools_port(process: subprocess.Popen) -> int:
    assert process.stderr is not None
    for line in process.stderr:
        found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
        if found:
            return int(found.group(1))
    raise AssertionError("Chromium exited before its DevTools port was open")


WAIT = 30.0
"""Seconds a page may take to show the console (a process starts per tab)."""


async def page_text(page: Page, url: str, wanted: str) -> str:
    """Load ``url`` with xterm.js on its DOM renderer; the terminal's rows once ``wanted`` shows."""
    await page.call("Page.addScriptToEvaluateOnNewDocument", source=NO_CANVAS)
    await page.call("Page.navigate", url=url)
    text = ""
    for _ in range(int(WAIT / 0.25)):
        await asyncio.sleep(0.25)
        text = str(await page.evaluate(ROWS) or "")
        if wanted in text:
            break
    return text


async def screenshot(page: Page, url: str, path: Path, wanted: str) -> None:
    """Save a PNG of ``url`` once ``wanted`` shows (xterm.js's DOM renderer draws alike)."""
    text = await page_text(page, url, wanted)
    assert wanted in text, text
    await asyncio.sleep(1.0)  # the rest of the frame
    shot = await page.call("Page.captureScreenshot", format="png")
    await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
