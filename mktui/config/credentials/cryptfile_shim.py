"""Every use of a keyrings.cryptfile internal, in one place.

``CryptFileKeyring`` (pinned in pyproject.toml) has a public face — the
``keyring_key`` property (setting it opens or creates the file), ``file_path``
(overridable per instance), ``get_password`` / ``set_password`` /
``delete_password`` and the cost attributes — but two things mktui needs have
no public hook, so they are overridden here and nowhere else:

- it never prompts: upstream asks for a new file's passphrase with ``getpass``
  (``_get_new_password``), which in a Textual app would freeze the screen;
- every write is atomic and 0600: upstream rewrites the file in place
  (``_write_config_value``, called by ``set_password`` and when a file is
  created), so a crash mid-write would lose every token.

``tests/test_cryptfile_shim.py`` checks that both internals still exist and are
still the only paths upstream takes; ``docs/upstream.md`` holds the issue text
asking for the public hooks that would retire them.
"""

from __future__ import annotations

from keyrings.cryptfile.cryptfile import CryptFileKeyring


class NoPromptCryptFile(CryptFileKeyring):
    """A ``CryptFileKeyring`` that never prompts and hands every write of an entry to :meth:`write_entry`."""

    def write_entry(self, service: str, key: str, value: str) -> None:
        """Keep ``value`` (already encrypted) under ``[service] key``; subclasses write the file."""
        raise NotImplementedError

    def _get_new_password(self) -> str:
        # Upstream asks twice with getpass here; mktui always sets keyring_key first.
        raise RuntimeError("the passphrase must be set before the file is used")

    def _write_config_value(self, service: str, key: str, value: str) -> None:
        self.write_entry(service, key, value)
