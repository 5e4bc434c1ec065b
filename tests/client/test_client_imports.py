"""The client loads httpx without httpx's command-line client (click, rich.progress, pygments)."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


def test_importing_the_client_leaves_out_httpx_command_line_client():
    out = _run(
        "import sys\n"
        "import mktui.api.client\n"
        "print(sorted(m for m in ('click', 'pygments.lexers', 'rich.progress') if m in sys.modules),"
        " sys.modules.get('httpx._main', 'absent'))\n"
    )
    assert out == "[] None"


def test_httpx_already_loaded_elsewhere_is_left_as_it_is():
    # Only a first import of httpx is trimmed: an httpx someone loaded before keeps its CLI.
    out = _run(
        "import sys, httpx\n"
        "import mktui.api.client\n"
        "print(sys.modules.get('httpx._main') is not None)\n"
    )
    assert out == "True"
