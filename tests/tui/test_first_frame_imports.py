"""The first screen needs only Textual: the heavy parts load later, in a worker."""

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
    "mktui.sandbox.app",
)


def test_the_app_and_its_first_screens_import_nothing_heavy():
    code = (
        "import sys\n"
        "import mktui.cli.main, mktui.tui.app, mktui.tui.screens.financial, mktui.tui.screens.signin\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
