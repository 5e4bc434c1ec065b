"""The keyrings.cryptfile internals mktui relies on (cryptfile_shim) still exist and behave so.

Each test fails by name when a keyrings.cryptfile release changes what the
shim overrides: then change the shim, or adopt the public hook asked for in
docs/upstream.md ("keyrings.cryptfile: ...").
"""

from __future__ import annotations

import getpass
import json
from base64 import decodebytes
from importlib.metadata import version

import pytest
from keyrings.cryptfile.cryptfile import CryptFileKeyring
from keyrings.cryptfile.file import EncryptedKeyring

from mktui.config.credentials.cryptfile_shim import NoPromptCryptFile

PASSPHRASE = "correct horse battery staple"  # noqa: S105


class _Recording(NoPromptCryptFile):
    """Records the writes instead of making them; a cheap KDF."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1

    def __init__(self, path) -> None:
        super().__init__()
        self.file_path = str(path)
        self.writes: list[tuple[str, str, str]] = []

    def write_entry(self, service: str, key: str, value: str) -> None:
        self.writes.append((service, key, value))


@pytest.fixture(autouse=True)
def _never_getpass(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("getpass must never be called")

    monkeypatch.setattr(getpass, "getpass", refuse)


def test_the_pinned_version_is_installed():
    assert version("keyrings.cryptfile") == "1.3.9"


def test_the_overridden_internals_exist_upstream():
    assert callable(EncryptedKeyring._get_new_password)
    assert callable(CryptFileKeyring._write_config_value)


def test_creating_a_file_writes_only_through_the_hook(tmp_path):
    path = tmp_path / "c.cfg"
    keyring = _Recording(path)
    keyring.keyring_key = PASSPHRASE  # a new file: the reference entry, scheme and version
    assert [(service, key) for service, key, _ in keyring.writes] == [
        ("keyring-setting", "password reference"),
        ("keyring-setting", "scheme"),
        ("keyring-setting", "version"),
    ]
    assert keyring.writes[1][2] == "[Argon2] AES128.GCM" and keyring.writes[2][2] == "1.3.9"
    # The reference entry has the form cryptfile.py checks before unlocking.
    payload = json.loads(decodebytes(keyring.writes[0][2].encode()).decode())
    assert set(payload) == {"salt", "data", "mac", "nonce"}
    assert not path.exists()  # upstream wrote nothing itself


def test_set_password_writes_only_through_the_hook(tmp_path):
    keyring = _Recording(tmp_path / "c.cfg")
    keyring.keyring_key = PASSPHRASE
    keyring.writes.clear()
    keyring.set_password("mktui", "work", "rt_token")
    assert [(service, key) for service, key, _ in keyring.writes] == [("mktui", "work")]
    assert "rt_token" not in keyring.writes[0][2]
    assert not (tmp_path / "c.cfg").exists()


def test_a_new_file_without_a_passphrase_asks_the_hook_never_getpass(tmp_path):
    keyring = _Recording(tmp_path / "c.cfg")
    with pytest.raises(RuntimeError, match="passphrase must be set"):
        keyring.keyring_key  # noqa: B018 - the getter opens (here: would create) the file


def test_a_wrong_passphrase_raises_value_error_from_the_setter(tmp_path):
    """cryptfile.py reads a ValueError from the setter as 'wrong passphrase' (the form is checked first)."""
    from mktui.config.credentials.cryptfile import _MktuiCryptFile

    class Cheap(_MktuiCryptFile):
        time_cost = 1
        memory_cost = 1024
        parallelism = 1

    path = tmp_path / "c.cfg"
    Cheap(path).keyring_key = PASSPHRASE
    with pytest.raises(ValueError):
        Cheap(path).keyring_key = "another passphrase"
