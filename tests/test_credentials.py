"""Credentials over SSH: the probe, every store, choose_store, and no secret leaking anywhere.

No test touches the real keyring: the conftest pins keyring to its fail backend,
the fakes below are plain objects (not KeyringBackend subclasses, which keyring
would register globally), and every file lives under tmp_path.
"""

from __future__ import annotations

import getpass
import logging
import stat
import threading
from pathlib import Path

import pytest
from keyring import errors as keyring_errors

from mktui.config.credentials import (
    FALLBACK_FIX,
    CredentialError,
    CredentialStore,
    EncryptedFileStore,
    EnvTokenStore,
    ErrorKind,
    KeyringProbe,
    KeyringStore,
    MemoryStore,
    PlainFileStore,
    ProbeReason,
    StorageKind,
    choose_store,
    encrypted_file_path,
    plain_file_path,
    probe_keyring,
)
from mktui.config.credentials import cryptfile as cryptfile_module

TOKEN = "rt_live_7f3a9c-SECRET-TOKEN"  # noqa: S105 - a test secret, grepped for below
PASSPHRASE = "correct horse battery staple"  # noqa: S105
NO_DBUS_OVER_SSH = {"SSH_CONNECTION": "10.0.0.9 50000 10.0.0.1 22", "HOME": "/home/x"}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _never_getpass(monkeypatch):
    """keyrings.cryptfile falls back to getpass; in a TUI that would freeze the screen."""

    def refuse(*args, **kwargs):
        raise AssertionError("getpass must never be called by the credential stores")

    monkeypatch.setattr(getpass, "getpass", refuse)


class FakeKeyring:
    """A duck-typed keyring backend: a dict, or an exception on a chosen operation."""

    priority = 5
    name = "FakeKeyring"

    def __init__(self, error: BaseException | None = None, fail_on: str = "set", lies=False):
        self.entries: dict[tuple[str, str], str] = {}
        self.error = error
        self.fail_on = fail_on
        self.lies = lies
        self.calls: list[str] = []

    def _maybe_fail(self, op: str) -> None:
        self.calls.append(op)
        if self.error is not None and op == self.fail_on:
            raise self.error

    def set_password(self, service, username, password):
        self._maybe_fail("set")
        self.entries[(service, username)] = password

    def get_password(self, service, username):
        self._maybe_fail("get")
        value = self.entries.get((service, username))
        return "something else" if self.lies and value is not None else value

    def delete_password(self, service, username):
        self._maybe_fail("delete")
        if (service, username) not in self.entries:
            raise keyring_errors.PasswordDeleteError("not found")
        del self.entries[(service, username)]


def assert_one_sentence(text: str) -> None:
    assert text.endswith(".")
    assert ". " not in text, text


# ---------------------------------------------------------------- the probe
def test_real_probe_under_the_fail_backend_says_no_keyring_in_one_sentence():
    probe = probe_keyring()  # keyring.get_keyring() is the conftest's fail backend
    assert not probe.ok
    assert probe.reason in (ProbeReason.NO_BACKEND, ProbeReason.NO_DBUS)
    assert_one_sentence(probe.sentence)
    assert probe.fix == FALLBACK_FIX
    assert probe.backend is None


def test_over_ssh_without_dbus_the_sentence_says_so():
    probe = probe_keyring(environ=NO_DBUS_OVER_SSH)
    assert probe.sentence == "No keyring is reachable over this SSH session (no D-Bus)."
    assert probe.reason is ProbeReason.NO_DBUS
    assert "encrypted file" in probe.fix and "--insecure-storage" in probe.fix
    assert probe.message == f"{probe.sentence} {probe.fix}"


def _dbus_error():
    from jeepney.wrappers import DBusErrorResponse

    exc = DBusErrorResponse.__new__(DBusErrorResponse)
    exc.name, exc.data = "org.freedesktop.DBus.Error.ServiceUnknown", ()
    return exc


def _secretstorage_locked():
    from secretstorage.exceptions import LockedException

    return LockedException("collection is locked")


@pytest.mark.parametrize(
    ("error", "reason", "words"),
    [
        (
            keyring_errors.KeyringLocked("Failed to unlock the collection!"),
            ProbeReason.LOCKED,
            "locked",
        ),
        (keyring_errors.NoKeyringError("no backend"), ProbeReason.NO_DBUS, "SSH session"),
        (
            keyring_errors.InitError("Failed to create the collection"),
            ProbeReason.NO_DBUS,
            "SSH session",
        ),
        (_dbus_error(), ProbeReason.NO_DBUS, "SSH session"),
        (_secretstorage_locked(), ProbeReason.LOCKED, "locked"),
        (RuntimeError("boom"), ProbeReason.FAILED, "RuntimeError"),
    ],
    ids=[
        "KeyringLocked",
        "NoKeyringError",
        "InitError",
        "DBusErrorResponse",
        "LockedException",
        "other",
    ],
)
@pytest.mark.parametrize("fail_on", ["set", "get", "delete"])
def test_a_backend_that_raises_is_a_sentence_not_a_traceback(error, reason, words, fail_on):
    probe = probe_keyring(backend=FakeKeyring(error, fail_on), environ=NO_DBUS_OVER_SSH)
    assert not probe.ok
    assert probe.reason is reason
    assert words in probe.sentence
    assert_one_sentence(probe.sentence)
    assert probe.fix


def test_the_real_secret_service_backend_without_a_bus_says_no_dbus(tmp_path, monkeypatch):
    """keyring's own Secret Service backend, its bus pointed at a socket that cannot exist."""
    pytest.importorskip("secretstorage")
    from keyring.backends import SecretService

    bus = f"unix:path={tmp_path}/no-such-bus"
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
    probe = probe_keyring(
        backend=SecretService.Keyring(),
        environ={**NO_DBUS_OVER_SSH, "DBUS_SESSION_BUS_ADDRESS": bus},
    )
    assert not probe.ok
    assert probe.reason is ProbeReason.NO_DBUS
    assert probe.sentence == "No keyring is reachable over this SSH session (no D-Bus)."


def test_an_unreachable_bus_during_the_round_trip_is_no_dbus():
    class SecretServiceLike(FakeKeyring):
        pass

    SecretServiceLike.__module__ = "keyring.backends.SecretService"
    over_ssh = probe_keyring(
        backend=SecretServiceLike(ConnectionRefusedError()), environ=NO_DBUS_OVER_SSH
    )
    assert over_ssh.reason is ProbeReason.NO_DBUS
    assert over_ssh.sentence == "No keyring is reachable over this SSH session (no D-Bus)."
    on_desktop = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"}
    probe = probe_keyring(backend=SecretServiceLike(ConnectionRefusedError()), environ=on_desktop)
    assert probe.reason is ProbeReason.NO_DBUS
    assert "does not answer" in probe.sentence
    assert_one_sentence(probe.sentence)


def test_a_locked_keyring_says_to_unlock_it():
    probe = probe_keyring(backend=FakeKeyring(keyring_errors.KeyringLocked("x")), environ={})
    assert "Unlock the keyring" in probe.fix


def test_a_working_backend_passes_and_the_probe_entry_is_removed():
    backend = FakeKeyring()
    probe = probe_keyring(backend=backend)
    assert probe.ok and probe.reason is ProbeReason.OK
    assert probe.backend is backend
    assert backend.calls == ["set", "get", "delete"]
    assert backend.entries == {}
    assert "FakeKeyring" in probe.sentence


def test_a_backend_that_gives_back_another_value_fails():
    probe = probe_keyring(backend=FakeKeyring(lies=True))
    assert not probe.ok and probe.reason is ProbeReason.FAILED


def test_a_backend_that_hangs_is_given_up():
    release = threading.Event()

    class Hanging(FakeKeyring):
        def set_password(self, service, username, password):
            release.wait(10)

    try:
        probe = probe_keyring(backend=Hanging(), timeout=0.05)
    finally:
        release.set()
    assert not probe.ok and probe.reason is ProbeReason.TIMEOUT
    assert_one_sentence(probe.sentence)


def test_file_backends_and_the_chainer_are_not_keyrings_and_never_prompt(monkeypatch, tmp_path):
    """keyring's chainer picks keyrings.cryptfile here, which would getpass on the terminal."""
    from keyring.backends import chainer, fail
    from keyrings.cryptfile.cryptfile import CryptFileKeyring

    crypt = CryptFileKeyring()
    crypt.file_path = str(tmp_path / "never.cfg")
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [crypt, fail.Keyring()])
    for backend in (chainer.ChainerBackend(), crypt, fail.Keyring()):
        probe = probe_keyring(backend=backend, environ={})
        assert not probe.ok and probe.reason is not ProbeReason.FAILED
    assert not (tmp_path / "never.cfg").exists()


def test_a_broken_keyring_install_is_a_verdict(monkeypatch):
    import keyring

    def broken():
        raise keyring_errors.InitError("cannot load")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    probe = probe_keyring(environ={})
    assert not probe.ok and probe.reason is ProbeReason.NO_DBUS


# ---------------------------------------------------------------- the stores
def test_every_store_is_a_credential_store(tmp_path, fast_kdf):
    stores = [
        MemoryStore(),
        KeyringStore(FakeKeyring()),
        PlainFileStore(tmp_path / "p.json"),
        EncryptedFileStore(tmp_path / "e.cfg", PASSPHRASE),
        EnvTokenStore("at"),
    ]
    for store in stores:
        assert isinstance(store, CredentialStore)
        assert_one_sentence(store.description)


@pytest.mark.parametrize("make", ["memory", "keyring", "plain", "encrypted"])
def test_stores_round_trip_per_profile(tmp_path, fast_kdf, make):
    store = {
        "memory": MemoryStore,
        "keyring": lambda: KeyringStore(FakeKeyring()),
        "plain": lambda: PlainFileStore(tmp_path / "p.json"),
        "encrypted": lambda: EncryptedFileStore(tmp_path / "e.cfg", PASSPHRASE),
    }[make]()
    assert store.get("work") is None
    store.set("work", TOKEN)
    store.set("home", "other-token")
    assert store.get("work") == TOKEN
    store.delete("work")
    store.delete("work")  # deleting twice is fine
    assert store.get("work") is None
    assert store.get("home") == "other-token"


def test_the_keyring_store_uses_service_mktui_and_the_profile_name():
    backend = FakeKeyring()
    KeyringStore(backend).set("work", TOKEN)
    assert backend.entries == {("mktui", "work"): TOKEN}


def test_the_keyring_store_without_a_keyring_is_a_sentence():
    with pytest.raises(CredentialError) as caught:
        KeyringStore()  # the conftest's fail backend
    assert caught.value.kind is ErrorKind.UNAVAILABLE


@pytest.mark.parametrize("op", ["set", "get", "delete"])
def test_keyring_failures_are_sentences_without_the_token(op):
    store = KeyringStore(FakeKeyring(RuntimeError(f"could not store {TOKEN}"), fail_on=op))
    with pytest.raises(CredentialError) as caught:
        if op == "set":
            store.set("work", TOKEN)
        elif op == "get":
            store.get("work")
        else:
            store.delete("work")
    assert "'work'" in caught.value.message
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)


def test_encrypted_file_round_trips_with_the_real_argon2_cost(tmp_path):
    path = tmp_path / "data" / "credentials.cfg"
    EncryptedFileStore(path, PASSPHRASE).set("default", TOKEN)
    reopened = EncryptedFileStore(path, PASSPHRASE)
    assert reopened.get("default") == TOKEN
    text = path.read_text()
    assert "[Argon2] AES128.GCM" in text
    assert TOKEN not in text and PASSPHRASE not in text


def test_a_wrong_passphrase_is_refused_with_a_sentence(tmp_path, fast_kdf):
    path = tmp_path / "credentials.cfg"
    EncryptedFileStore(path, PASSPHRASE).set("default", TOKEN)
    before = path.read_bytes()
    with pytest.raises(CredentialError) as caught:
        EncryptedFileStore(path, "not the passphrase")
    error = caught.value
    assert error.kind is ErrorKind.WRONG_PASSPHRASE
    assert "passphrase does not open" in error.message and str(path) in error.message
    # No chained exception: the setter's frame that raised it holds the passphrase.
    assert error.__cause__ is None and error.__context__ is None
    assert path.read_bytes() == before  # a failed unlock changes nothing
    assert EncryptedFileStore(path, PASSPHRASE).get("default") == TOKEN


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_passphrase_is_refused(tmp_path, blank):
    with pytest.raises(CredentialError) as caught:
        EncryptedFileStore(tmp_path / "c.cfg", blank)
    assert caught.value.kind is ErrorKind.BLANK_PASSPHRASE
    assert not (tmp_path / "c.cfg").exists()


def test_a_passphrase_the_terminal_could_not_decode_is_a_sentence(tmp_path):
    with pytest.raises(CredentialError) as caught:
        EncryptedFileStore(tmp_path / "c.cfg", "abc\udcff")
    assert caught.value.kind is ErrorKind.UNUSABLE_PASSPHRASE


def test_the_encrypted_file_is_0600_in_a_0700_dir_even_with_umask_0(tmp_path, fast_kdf):
    import os

    path = tmp_path / "data" / "credentials.cfg"
    old = os.umask(0)
    try:
        store = EncryptedFileStore(path, PASSPHRASE)
        store.set("default", TOKEN)
        store.delete("default")
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    # no temp file left; the sidecar lock file is empty
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "credentials.cfg",
        "credentials.cfg.lock",
    ]


def test_a_damaged_encrypted_file_is_a_sentence_and_is_kept(tmp_path):
    path = tmp_path / "credentials.cfg"
    path.write_text("[keyring_2Dsetting]\npassword_20reference = not-base64-json\n")
    with pytest.raises(CredentialError) as caught:
        EncryptedFileStore(path, PASSPHRASE)
    assert caught.value.kind is ErrorKind.DAMAGED
    assert "move it away" in caught.value.message
    assert path.read_text().startswith("[keyring_2Dsetting]")


@pytest.mark.parametrize(
    "damage",
    [
        ("[Argon2] AES128.GCM", "[PBKDF2] AES256.CFB"),  # another scheme
        ("scheme = [Argon2] AES128.GCM", "scheme = something else"),
    ],
    ids=["other-scheme", "unknown-scheme"],
)
def test_a_file_of_another_scheme_is_damaged_not_a_wrong_passphrase(tmp_path, fast_kdf, damage):
    path = tmp_path / "credentials.cfg"
    EncryptedFileStore(path, PASSPHRASE).set("default", TOKEN)
    path.write_text(path.read_text().replace(*damage))
    with pytest.raises(CredentialError) as caught:
        EncryptedFileStore(path, PASSPHRASE)
    assert caught.value.kind is ErrorKind.DAMAGED


_B64_16 = "QUJDREVGR0hJSktMTU5PUA=="  # 16 bytes


@pytest.mark.parametrize(
    "fields",
    [
        {"data": "***"},  # not base64
        {"salt": "QUJD"},  # 3 bytes: Argon2 refuses a salt under 8
        {"mac": "QUJD"},  # not a 16-byte tag
        {"nonce": ""},
        {"extra": "QUJD"},
    ],
    ids=["data-not-base64", "short-salt", "short-mac", "no-nonce", "extra-field"],
)
def test_a_reference_entry_with_a_bad_field_is_damaged_not_a_wrong_passphrase(
    tmp_path, fast_kdf, fields
):
    import base64
    import json

    payload = {"salt": _B64_16, "data": _B64_16, "mac": _B64_16, "nonce": _B64_16} | fields
    path = tmp_path / "credentials.cfg"
    path.write_text(
        "[keyring_2Dsetting]\npassword_20reference = "
        + base64.b64encode(json.dumps(payload).encode()).decode()
        + "\nscheme = [Argon2] AES128.GCM\nversion = 1.3.9\n"
    )
    with pytest.raises(CredentialError) as caught:
        EncryptedFileStore(path, PASSPHRASE)
    assert caught.value.kind is ErrorKind.DAMAGED


def test_a_token_entry_with_a_short_salt_is_damaged_not_a_crash(tmp_path, fast_kdf):
    import base64
    import json

    path = tmp_path / "credentials.cfg"
    store = EncryptedFileStore(path, PASSPHRASE)
    payload = {"salt": "QUJD", "data": _B64_16, "mac": _B64_16, "nonce": _B64_16}
    entry = base64.b64encode(json.dumps(payload).encode()).decode()
    path.write_text(path.read_text() + f"\n[mktui]\ndefault = {entry}\n")
    with pytest.raises(CredentialError) as caught:
        store.get("default")
    assert caught.value.kind is ErrorKind.DAMAGED


def test_a_tampered_token_is_reported_damaged(tmp_path, fast_kdf):
    path = tmp_path / "credentials.cfg"
    store = EncryptedFileStore(path, PASSPHRASE)
    store.set("default", TOKEN)
    other = tmp_path / "other.cfg"
    EncryptedFileStore(other, "another passphrase").set("default", "x" * 20)
    # Swap in the entry encrypted under another key: the GCM tag cannot verify.
    foreign = other.read_text().split("[mktui]")[1]
    path.write_text(path.read_text().split("[mktui]")[0] + "[mktui]" + foreign)
    with pytest.raises(CredentialError) as caught:
        store.get("default")
    assert caught.value.kind is ErrorKind.DAMAGED and "'default'" in caught.value.message


def test_logout_can_forget_an_encrypted_entry_without_the_passphrase(tmp_path, fast_kdf):
    path = tmp_path / "credentials.cfg"
    store = EncryptedFileStore(path, PASSPHRASE)
    store.set("default", TOKEN)
    store.set("work", "other")
    assert EncryptedFileStore.forget(path, "default") is True
    assert EncryptedFileStore.forget(path, "default") is False
    assert EncryptedFileStore.forget(tmp_path / "missing.cfg", "default") is False
    reopened = EncryptedFileStore(path, PASSPHRASE)
    assert reopened.get("default") is None and reopened.get("work") == "other"
    assert mode(path) == 0o600


def test_holds_tells_which_profiles_the_file_keeps_without_the_passphrase(tmp_path, fast_kdf):
    path = tmp_path / "credentials.cfg"
    assert EncryptedFileStore.holds(path, "work") is False  # no file yet: no error either
    assert EncryptedFileStore.holds(tmp_path / "no-dir" / "credentials.cfg", "work") is False
    store = EncryptedFileStore(path, PASSPHRASE)
    assert EncryptedFileStore.holds(path, "work") is False  # the file exists, the entry not
    store.set("work", TOKEN)
    store.set("billing team/ç", "other")  # escaped in the INI like every name
    assert EncryptedFileStore.holds(path, "work") is True
    assert EncryptedFileStore.holds(str(path), "billing team/ç") is True
    assert EncryptedFileStore.holds(path, "default") is False
    # Only the entry names are read: neither the KDF's reference entry nor another section counts.
    assert EncryptedFileStore.holds(path, "password reference") is False
    assert EncryptedFileStore.holds(path, "keyring-setting") is False
    store.delete("work")
    assert EncryptedFileStore.holds(path, "work") is False
    assert EncryptedFileStore.holds(path, "billing team/ç") is True


@pytest.mark.parametrize(
    "content",
    [b"not an ini file at all\n", b"[mktui]\nwork = \xff\xfe\n", b"[mktui]\n[mktui]\n"],
    ids=["no-section", "not-utf8", "duplicate-section"],
)
def test_holds_is_false_and_logged_for_a_damaged_file(tmp_path, caplog, content):
    path = tmp_path / "credentials.cfg"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="mktui.config.credentials.cryptfile"):
        assert EncryptedFileStore.holds(path, "work") is False
    assert "damaged" in caplog.text and str(path) in caplog.text
    assert path.read_bytes() == content  # looked at, never touched


def test_holds_is_false_and_logged_for_an_unreadable_file(tmp_path, fast_kdf, monkeypatch, caplog):
    import builtins
    import io

    path = tmp_path / "credentials.cfg"
    EncryptedFileStore(path, PASSPHRASE).set("work", TOKEN)
    real_open = builtins.open

    def denied(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    with monkeypatch.context() as patch, caplog.at_level(logging.WARNING):
        patch.setattr(builtins, "open", denied)
        patch.setattr(io, "open", denied)
        assert EncryptedFileStore.holds(path, "work") is False
        assert EncryptedFileStore.holds(tmp_path, "work") is False  # a directory
    assert "PermissionError" in caplog.text and "IsADirectoryError" in caplog.text
    assert EncryptedFileStore.holds(path, "work") is True


def test_the_plain_file_is_0600_and_tightened_if_loosened(tmp_path):
    import os

    path = tmp_path / "data" / "p.json"
    store = PlainFileStore(path)
    old = os.umask(0)
    try:
        store.set("default", TOKEN)
    finally:
        os.umask(old)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    path.chmod(0o644)
    assert store.get("default") == TOKEN
    assert mode(path) == 0o600
    store.delete("default")
    assert not path.exists()  # the last token gone, the file goes too


def test_a_damaged_plain_file_is_a_sentence(tmp_path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    path.chmod(0o600)
    with pytest.raises(CredentialError) as caught:
        PlainFileStore(path).get("default")
    assert caught.value.kind is ErrorKind.DAMAGED and str(path) in caught.value.message


def test_the_env_token_is_used_as_is_and_nothing_is_stored():
    store = EnvTokenStore("at_from_env")
    store.set("default", TOKEN)
    assert store.get("default") is None
    assert store.access_token == "at_from_env"
    assert "at_from_env" not in repr(store)


# ---------------------------------------------------------------- choose_store
def failed_probe() -> KeyringProbe:
    return probe_keyring(environ=NO_DBUS_OVER_SSH)


def test_paths_are_under_the_isolated_data_dir(tmp_path):
    data = tmp_path / "home" / ".local" / "share"
    assert encrypted_file_path().is_relative_to(data)
    assert plain_file_path().is_relative_to(data)


def test_mktui_token_wins_and_stores_nothing(tmp_path):
    data = tmp_path / "data"
    selection = choose_store(failed_probe(), environ={"MKTUI_TOKEN": " at_123 "}, data_dir=data)
    store, sentence = selection
    assert isinstance(store, EnvTokenStore) and store.access_token == "at_123"
    assert "MKTUI_TOKEN" in sentence
    store.set("default", TOKEN)
    assert not data.exists()


def test_a_working_keyring_is_chosen_without_asking(tmp_path):
    backend = FakeKeyring()
    store, sentence = choose_store(probe_keyring(backend=backend), environ={}, data_dir=tmp_path)
    assert isinstance(store, KeyringStore)
    store.set("default", TOKEN)
    assert backend.entries == {("mktui", "default"): TOKEN}
    assert "system keyring" in sentence


def test_without_a_keyring_the_admin_is_asked(tmp_path):
    selection = choose_store(failed_probe(), environ={}, data_dir=tmp_path)
    assert selection.needs_choice and selection.store is None
    assert selection.sentence == "No keyring is reachable over this SSH session (no D-Bus)."
    assert selection.choices == (StorageKind.ENCRYPTED_FILE, StorageKind.MEMORY)
    assert not selection.encrypted_file_exists
    with_flag = choose_store(failed_probe(), insecure_storage=True, environ={}, data_dir=tmp_path)
    assert StorageKind.PLAIN_FILE in with_flag.choices


def test_choosing_the_encrypted_file_creates_it_and_reopens_it(tmp_path, fast_kdf):
    probe = failed_probe()
    store, sentence = choose_store(
        probe, choice="encrypted-file", passphrase=PASSPHRASE, environ={}, data_dir=tmp_path
    )
    store.set("default", TOKEN)
    assert "encrypted file" in sentence
    again = choose_store(probe, environ={}, data_dir=tmp_path)
    assert again.needs_choice and again.encrypted_file_exists
    assert "passphrase of your encrypted sign-in file" in again.fix
    store, _ = choose_store(probe, passphrase=PASSPHRASE, environ={}, data_dir=tmp_path)
    assert store.get("default") == TOKEN
    with pytest.raises(CredentialError) as caught:
        choose_store(probe, passphrase="wrong", environ={}, data_dir=tmp_path)
    assert caught.value.kind is ErrorKind.WRONG_PASSPHRASE


def test_the_encrypted_choice_needs_a_passphrase(tmp_path):
    with pytest.raises(CredentialError) as caught:
        choose_store(
            failed_probe(), choice=StorageKind.ENCRYPTED_FILE, environ={}, data_dir=tmp_path
        )
    assert caught.value.kind is ErrorKind.BLANK_PASSPHRASE


def test_memory_is_for_this_session_only(tmp_path):
    store, sentence = choose_store(failed_probe(), choice="memory", environ={}, data_dir=tmp_path)
    assert isinstance(store, MemoryStore) and "this session only" in sentence


def test_the_plain_file_needs_the_flag_and_carries_a_warning(tmp_path):
    probe = failed_probe()
    with pytest.raises(CredentialError) as caught:
        choose_store(probe, choice="plain-file", environ={}, data_dir=tmp_path)
    assert (
        caught.value.kind is ErrorKind.NOT_ALLOWED and "--insecure-storage" in caught.value.message
    )
    selection = choose_store(
        probe, choice="plain-file", insecure_storage=True, environ={}, data_dir=tmp_path
    )
    assert isinstance(selection.store, PlainFileStore) and selection.warning
    selection.store.set("default", TOKEN)
    # Next start with the flag: the existing plain file is used without asking.
    again = choose_store(probe, insecure_storage=True, environ={}, data_dir=tmp_path)
    assert isinstance(again.store, PlainFileStore) and again.store.get("default") == TOKEN
    # Without the flag, it is not used.
    assert choose_store(probe, environ={}, data_dir=tmp_path).needs_choice


def test_choosing_the_keyring_when_the_probe_failed_is_a_sentence(tmp_path):
    probe = failed_probe()
    with pytest.raises(CredentialError) as caught:
        choose_store(probe, choice="keyring", environ={}, data_dir=tmp_path)
    assert caught.value.message == probe.message


# ---------------------------------------------------------------- no secret anywhere
def test_no_token_password_or_passphrase_in_logs_messages_or_reprs(tmp_path, fast_kdf, caplog):
    caplog.set_level(logging.DEBUG)
    seen: list[object] = []
    probe = failed_probe()
    selection = choose_store(
        probe, choice="encrypted-file", passphrase=PASSPHRASE, environ={}, data_dir=tmp_path
    )
    selection.store.set("default", TOKEN)
    seen += [probe, selection, selection.store, selection.store._file]
    for attempt in (
        lambda: choose_store(probe, passphrase=PASSPHRASE + "x", environ={}, data_dir=tmp_path),
        lambda: KeyringStore(FakeKeyring(RuntimeError(TOKEN))).set("default", TOKEN),
        lambda: KeyringStore(FakeKeyring(RuntimeError(TOKEN), "get")).get("default"),
        lambda: EncryptedFileStore(tmp_path / "x.cfg", " "),
    ):
        with pytest.raises(CredentialError) as caught:
            attempt()
        seen.append(caught.value)
    plain = PlainFileStore(tmp_path / "p.json")
    plain.set("default", TOKEN)
    env = choose_store(probe, environ={"MKTUI_TOKEN": TOKEN}, data_dir=tmp_path)
    memory = MemoryStore()
    memory.set("default", TOKEN)
    seen += [plain, env, env.store, memory, probe_keyring(backend=FakeKeyring())]

    texts = [repr(x) for x in seen] + [str(x) for x in seen]
    texts += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the stores log what they do (without secrets)"
    for secret in (TOKEN, PASSPHRASE):
        leaks = [text for text in texts if secret in text]
        assert not leaks, leaks


def test_refresh_saver_keeps_each_rotated_token_through_the_clients_holder():
    import asyncio

    from pydantic import SecretStr

    from mktui.api.auth import TokenHolder
    from mktui.api.models import TokenResponse
    from mktui.config.credentials import refresh_saver

    store = MemoryStore()
    holder = TokenHolder(refresh_token="old", on_refresh=refresh_saver(store, "work"))
    for n in (1, 2):
        pair = TokenResponse(
            access_token=SecretStr(f"at{n}"),
            refresh_token=SecretStr(f"{TOKEN}-{n}"),
            token_type="bearer",
            expires_in=900,
        )
        asyncio.run(holder.store(pair))
        assert store.get("work") == f"{TOKEN}-{n}"


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
def test_writes_hold_an_interprocess_lock(tmp_path, fast_kdf, monkeypatch, kind):
    """Another process (here: another open file description) cannot write meanwhile."""
    import fcntl
    import os

    from mktui.config.credentials import plainfile

    path = tmp_path / "store"
    store = PlainFileStore(path) if kind == "plain" else EncryptedFileStore(path, PASSPHRASE)
    module = plainfile if kind == "plain" else cryptfile_module
    real_write = module.write_private_file
    blocked = []

    def write_while_probing(target, data):
        fd = os.open(str(path) + ".lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            blocked.append(True)
        else:
            blocked.append(False)
        finally:
            os.close(fd)
        real_write(target, data)

    monkeypatch.setattr(module, "write_private_file", write_while_probing)
    store.set("work", TOKEN)
    store.delete("work")
    assert blocked and all(blocked)


def test_an_unreadable_encrypted_file_is_a_sentence_and_never_replaced(
    tmp_path, fast_kdf, monkeypatch
):
    """configparser skips files it cannot open; the store must not take that for 'no file'.

    Otherwise the passphrase typed to open the file would silently start a new
    one over it, losing every profile's session (e.g. a file left owned by root
    by `sudo mktui login`). The tests run as root, so the refusal is simulated.
    """
    import builtins
    import io

    path = tmp_path / "credentials.cfg"
    EncryptedFileStore(path, PASSPHRASE).set("work", TOKEN)
    before = path.read_bytes()
    real_open = builtins.open

    def denied(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    with monkeypatch.context() as patch, pytest.raises(CredentialError) as caught:
        patch.setattr(builtins, "open", denied)
        patch.setattr(io, "open", denied)
        EncryptedFileStore(path, PASSPHRASE)
    assert caught.value.kind is ErrorKind.IO
    assert str(path) in caught.value.message and "own" in caught.value.message
    assert path.read_bytes() == before
    assert EncryptedFileStore(path, PASSPHRASE).get("work") == TOKEN


@pytest.mark.parametrize("op", ["set", "get", "delete"])
def test_a_keyring_failure_keeps_no_reference_to_the_backends_exception(op):
    """`from None` only hides the original from printing; it stays reachable as __context__
    (with its message and its frames' locals) for any tool that walks the chain."""
    store = KeyringStore(FakeKeyring(RuntimeError(f"could not store {TOKEN}"), fail_on=op))
    with pytest.raises(CredentialError) as caught:
        {"set": lambda: store.set("work", TOKEN), "get": lambda: store.get("work")}.get(
            op, lambda: store.delete("work")
        )()
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_a_damaged_plain_file_keeps_no_reference_to_its_contents(tmp_path):
    """json's error carries the whole document (.doc): every token in the file."""
    path = tmp_path / "p.json"
    path.write_text('{"version": 1, "tokens": {"work": "' + TOKEN + '"}')  # cut short
    path.chmod(0o600)
    with pytest.raises(CredentialError) as caught:
        PlainFileStore(path).get("work")
    assert caught.value.kind is ErrorKind.DAMAGED
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_encrypted_store_failures_keep_no_reference_to_the_frames_holding_the_token(
    tmp_path, fast_kdf, monkeypatch
):
    """A failed write raised from inside keyrings' set_password(…, password=token) frame."""
    store = EncryptedFileStore(tmp_path / "c.cfg", PASSPHRASE)
    store.set("home", "other-token")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cryptfile_module, "write_private_file", full)
    for attempt in (lambda: store.set("work", TOKEN), lambda: store.delete("home")):
        with pytest.raises(CredentialError) as caught:
            attempt()
        assert caught.value.kind is ErrorKind.IO
        assert caught.value.__context__ is None and caught.value.__cause__ is None


def _crash_screen(error: BaseException) -> str:
    """The traceback as Textual's crash screen prints it: every frame's locals included."""
    import io

    import rich
    from rich.console import Console
    from rich.traceback import Traceback

    out = io.StringIO()
    trace = Traceback.from_exception(
        type(error),
        error,
        error.__traceback__.tb_next,  # from the call on: not this test's own frame
        show_locals=True,
        width=200,
        locals_max_length=5,
        suppress=[rich],
    )
    Console(file=out, width=200, color_system=None).print(trace)
    return out.getvalue()


@pytest.mark.parametrize(
    "case",
    [
        "wrong passphrase",
        "undecodable passphrase",
        "encrypted write",
        "keyring",
        "plain write",
        "plain damaged",
    ],
)
def test_a_store_error_on_the_crash_screen_shows_no_secret(tmp_path, fast_kdf, monkeypatch, case):
    """Textual renders an unhandled error with show_locals=True; a store's own frames
    must not hold the token, the passphrase or the file's contents when it raises."""
    from mktui.config.credentials import plainfile

    path = tmp_path / "c.cfg"
    EncryptedFileStore(path, PASSPHRASE).set("home", "other-token")
    encrypted = EncryptedFileStore(path, PASSPHRASE)
    plain = PlainFileStore(tmp_path / "p.json")
    plain.set("home", TOKEN + "-home")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cryptfile_module, "write_private_file", full)
    monkeypatch.setattr(plainfile, "write_private_file", full)
    if case == "plain damaged":  # valid JSON, but a token that is not a string
        plain.path.write_text('{"tokens": {"home": "' + TOKEN + '", "work": 1}}')
    attempt = {
        "wrong passphrase": lambda: EncryptedFileStore(path, PASSPHRASE + " wrong"),
        "undecodable passphrase": lambda: EncryptedFileStore(path, PASSPHRASE + "\udcff"),
        "encrypted write": lambda: encrypted.set("work", TOKEN),
        "keyring": lambda: KeyringStore(FakeKeyring(RuntimeError("x"))).set("work", TOKEN),
        "plain write": lambda: plain.set("work", TOKEN),
        "plain damaged": lambda: plain.get("home"),
    }[case]
    with pytest.raises(CredentialError) as caught:
        attempt()
    screen = _crash_screen(caught.value)
    assert "CredentialError" in screen and "self = " in screen  # locals are shown
    assert TOKEN not in screen, screen
    assert PASSPHRASE not in screen, screen


def test_a_failing_refresh_saver_on_the_crash_screen_shows_no_token():
    """The saver runs in a thread; neither its frame nor asyncio's holds the plain token."""
    import asyncio

    from pydantic import SecretStr

    from mktui.api.models import TokenResponse
    from mktui.config.credentials import refresh_saver

    save = refresh_saver(KeyringStore(FakeKeyring(RuntimeError("locked"))), "work")
    pair = TokenResponse(
        access_token=SecretStr("at"),
        refresh_token=SecretStr(TOKEN),
        token_type="bearer",
        expires_in=900,
    )
    with pytest.raises(CredentialError) as caught:
        asyncio.run(save(pair))
    screen = _crash_screen(caught.value)
    assert "refresh_saver" in screen or "save" in screen
    assert TOKEN not in screen, screen


# Made once with the real cost by EncryptedFileStore("golden passphrase").set("work", ...).
GOLDEN_FILE = "[keyring_2Dsetting]\npassword_20reference = \n\teyJzYWx0IjogIlQ0WE44NVIvSmNISi95TTJUVWFVYnc9PSIsICJkYXRhIjogImdNak0zekk5RzEy\n\tWVUranVLVGsyNTdkbXB1Q3BWNmVQIiwgIm1hYyI6ICJWckpkRDNGS2U2TXVCangwa3RJb1pBPT0i\n\tLCAibm9uY2UiOiAiMGpMT25CZmlGZitDYXU3MG1iWWVxUT09In0=\nscheme = [Argon2] AES128.GCM\nversion = 1.3.9\n\n[mktui]\nwork = \n\teyJzYWx0IjogImd0ejFSK0tXeWVrYXp4RjRUL201cWc9PSIsICJkYXRhIjogIlYzZVNzdytqTlVL\n\td0JNSVVpa0E1IiwgIm1hYyI6ICJYdk9RSnhDdFNlNEFZZHRoWmxhcnJ3PT0iLCAibm9uY2UiOiAi\n\tYmVJdTRCTEFjM1NNd0hHZmU0OXM0Zz09In0=\n\t\n\n"


def test_a_file_written_by_this_version_still_opens(tmp_path):
    """The file does not record the Argon2 cost: mktui pins it, so a keyrings.cryptfile
    release with other defaults cannot turn every passphrase into a 'wrong' one."""
    assert {"time_cost", "memory_cost", "parallelism", "aesmode"} <= set(
        vars(cryptfile_module._MktuiCryptFile)
    )
    path = tmp_path / "credentials.cfg"
    path.write_text(GOLDEN_FILE)
    path.chmod(0o600)
    assert EncryptedFileStore(path, "golden passphrase").get("work") == "rt_golden_token"
