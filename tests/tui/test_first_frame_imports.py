"""The first screen needs only Textual: the heavy parts load later, in a worker; and a console
whose profile points at a server never loads the sandbox at all."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "fpdf",
    "httpx",
    "pydantic",
    "babel",
    "stdnum",
    "mktui.sandbox.app",
)

SANDBOX_ONLY = ("fastapi", "starlette", "uvicorn", "sqlite3", "mktui.sandbox")
"""What only the in-process sandbox (``--sandbox``) needs: ~11 MiB a served console never holds."""


def loaded(code: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` are imported after ``code`` runs in a fresh interpreter."""
    code += f"\nimport sys\nprint(','.join(m for m in {names!r} if m in sys.modules))\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return [name for name in result.stdout.strip().split(",") if name]


def test_the_app_and_its_first_screens_import_nothing_heavy():
    code = "import mktui.cli.main, mktui.tui.app, mktui.tui.screens.financial, mktui.tui.screens.signin"
    assert loaded(code, HEAVY) == []


def test_a_console_against_a_server_never_loads_the_sandbox():
    # Every module of the console (each area's screen, its services and widgets), and the
    # client the console builds for a server's URL.
    code = """
import importlib, pkgutil
import mktui.cli.main, mktui.tui.app
from mktui.tui import screens, services, widgets
from mktui.tui.services.session import default_client_factory
for package in (screens, services, widgets):
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
client = default_client_factory("https://billing.example.test")
"""
    assert loaded(code, SANDBOX_ONLY) == []
    # The check can fail: the in-process sandbox's client loads them (uvicorn only serves).
    sandbox = "import mktui.sandbox.embedded"
    assert loaded(sandbox, SANDBOX_ONLY) == ["fastapi", "starlette", "sqlite3", "mktui.sandbox"]
