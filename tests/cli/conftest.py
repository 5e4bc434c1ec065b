"""``mktui`` commands against ``mktui sandbox serve`` over real HTTP.

Each test gets its own sandbox database (clock pinned at 26 Nov 2026) served
on a free loopback port, and its own config and data dirs (the autouse
fixture of tests/conftest.py), so nothing touches the user's files.

The server is always its own process. The commands of ``served.as_`` run in
this interpreter (``harness.run_here``: ``main(args)`` with the same
environment and pipes, ~0.05 s of CPU instead of ~0.7 s for a new
interpreter each); ``run`` starts the installed ``mktui`` as a subprocess,
for what only a real process shows (file descriptors, the environment at
start-up, the entry point itself: test_sessions.py, the help and usage
errors in test_languages.py, tests/test_cli.py).
"""

from __future__ import annotations

import pytest

from .harness import add_card, run, run_here, serve_sandbox

__all__ = ["add_card", "run"]


@pytest.fixture
def served(tmp_path):
    with serve_sandbox(tmp_path, runner=run_here) as served:
        yield served
