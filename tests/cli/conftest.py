"""The installed ``mktui`` entry point, run as a subprocess against ``mktui sandbox serve``.

Each test gets its own sandbox database (clock pinned at 26 Nov 2026) served
on a free loopback port, and its own config and data dirs (the autouse
fixture of tests/conftest.py), so nothing touches the user's files.
"""

from __future__ import annotations

import pytest

from .harness import add_card, run, serve_sandbox

__all__ = ["add_card", "run"]


@pytest.fixture
def served(tmp_path):
    with serve_sandbox(tmp_path) as served:
        yield served
