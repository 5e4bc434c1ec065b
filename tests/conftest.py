"""Shared fixtures: nothing here touches the real keyring, config or network."""

from __future__ import annotations

import gc
import sys

import pytest


def pytest_collection_finish(session):
    """Move what collection built (modules, test items, fixtures) out of the collector's reach.

    Those objects live until the end of the run; without this every full
    collection of every test walks them again (``gc.freeze``: the permanent
    generation). The collector's thresholds stay as they are.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _textual_caches_cleared():
    """After a test that ran Textual, empty its render caches that keep finished apps alive.

    See :func:`mktui.tui.textual_shim.forget_render_caches`: without it the
    collector walks every earlier test's styles caches and colour filters.
    """
    yield
    if "textual" in sys.modules:
        from mktui.tui.textual_shim import forget_render_caches

        forget_render_caches()


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path, monkeypatch):
    """Point every platform dir and keyring at tmp_path so no test sees the user's files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("MKTUI_TOKEN", raising=False)
    yield


@pytest.fixture
def fast_kdf(monkeypatch):
    """A cheap Argon2id cost for encrypted credential files (the file does not record the cost).

    Use in tests that open ``EncryptedFileStore`` many times; one credentials
    test keeps the real cost.
    """
    from mktui.config.credentials.cryptfile import _MktuiCryptFile

    monkeypatch.setattr(_MktuiCryptFile, "time_cost", 1)
    monkeypatch.setattr(_MktuiCryptFile, "memory_cost", 1024)
    monkeypatch.setattr(_MktuiCryptFile, "parallelism", 1)
