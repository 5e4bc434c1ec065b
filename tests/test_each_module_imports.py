"""Every module imports alone, in a fresh interpreter: no import order hides a cycle.

An import cycle between two modules works when a third happened to load one of
them first, and breaks the day that third module changes. Importing each module
first thing in its own interpreter finds such a cycle now.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# __main__ runs the console when imported.
SKIP = {"mktui.__main__"}


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "mktui").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name not in SKIP:
            names.append(name)
    return names


MODULES = _modules()


def test_the_package_tree_is_found():
    assert "mktui.core.money" in MODULES
    assert "mktui.tui.app" in MODULES
    assert len(MODULES) > 100


@pytest.mark.parametrize("module", MODULES)
def test_imports_alone(module):
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, f"import {module} failed alone:\n{done.stderr[-2000:]}"
