"""The billing core stays light: importing it pulls in neither the TUI, httpx nor Babel."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["mktui.money", "mktui.taxid", "mktui.pricing"]
# stdnum is here too: its util module imports pydoc and ssl, so taxid imports it lazily.
HEAVY = ["textual", "rich", "httpx", "babel", "stdnum"]

PROBE = """
import json, sys
for name in {modules!r}:
    __import__(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})))
"""


def _loaded_after_importing(modules: list[str]) -> list[str]:
    code = PROBE.format(modules=modules, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_core_modules_import_nothing_heavy():
    assert _loaded_after_importing(CORE) == []


@pytest.mark.parametrize("module", CORE)
def test_each_core_module_alone_imports_nothing_heavy(module):
    assert _loaded_after_importing([module]) == []


def test_the_probe_can_see_a_heavy_import():
    # Guards the test above against passing vacuously (e.g. a probe that never looks).
    assert "babel" in _loaded_after_importing(["babel.numbers"])
