"""Credentials: the refresh token in the OS keyring, with fallbacks that work over SSH.

- ``probe_keyring() -> KeyringProbe`` — is a secure keyring usable here (run it in a thread)?
- ``choose_store(probe, ...) -> StoreSelection`` — the store and the sentence explaining it.
- ``refresh_saver(store, profile)`` — ``TokenHolder(on_refresh=...)``: keep each rotated token.
- Stores (``get/set/delete(profile)``, ``description``): ``KeyringStore``,
  ``EncryptedFileStore(path, passphrase)``, ``MemoryStore``, ``PlainFileStore(path)``
  (``--insecure-storage`` only), ``EnvTokenStore`` (``MKTUI_TOKEN``, nothing stored).

Only the refresh token is ever stored, never the password or the passphrase;
no token, password or passphrase is put in a log line, a message or a repr.
"""

from mktui.config.credentials.choose import (
    StoreSelection,
    choose_store,
    default_data_dir,
    encrypted_file_path,
    plain_file_path,
    refresh_saver,
    token_from_env,
)
from mktui.config.credentials.cryptfile import EncryptedFileStore
from mktui.config.credentials.plainfile import PlainFileStore
from mktui.config.credentials.probe import (
    FALLBACK_FIX,
    SERVICE,
    KeyringProbe,
    ProbeReason,
    probe_keyring,
    secure_backend,
)
from mktui.config.credentials.stores import (
    ENV_TOKEN,
    CredentialError,
    CredentialStore,
    EnvTokenStore,
    ErrorKind,
    KeyringStore,
    MemoryStore,
    StorageKind,
)

__all__ = [
    "ENV_TOKEN",
    "FALLBACK_FIX",
    "SERVICE",
    "CredentialError",
    "CredentialStore",
    "EncryptedFileStore",
    "EnvTokenStore",
    "ErrorKind",
    "KeyringProbe",
    "KeyringStore",
    "MemoryStore",
    "PlainFileStore",
    "ProbeReason",
    "StorageKind",
    "StoreSelection",
    "choose_store",
    "default_data_dir",
    "encrypted_file_path",
    "plain_file_path",
    "probe_keyring",
    "refresh_saver",
    "secure_backend",
    "token_from_env",
]
