"""Sandbox password hashes: salted scrypt whose parameters travel with each hash."""

from __future__ import annotations

import base64
import hashlib

from mktui.sandbox import auth


def _old_style_hash(password: str, n: int) -> str:
    """A hash as databases seeded before the cost was lowered hold them (n = 2**14)."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, dklen=32)
    return "$".join(
        [
            "scrypt",
            str(n),
            "8",
            "1",
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )


def test_a_hash_names_its_cost_and_verifies_only_its_password():
    stored = auth.hash_password("sandbox")
    scheme, n, r, p, _salt, _digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", auth.SANDBOX_SCRYPT_N, 8, 1)
    assert "sandbox" not in stored
    assert auth.verify_password("sandbox", stored)
    assert not auth.verify_password("Sandbox", stored)


def test_hashes_made_with_an_older_higher_cost_still_verify():
    stored = _old_style_hash("sandbox", 2**14)
    assert auth.verify_password("sandbox", stored)
    assert not auth.verify_password("sandbox ", stored)


def test_a_damaged_or_foreign_hash_never_verifies():
    good = auth.hash_password("sandbox")
    assert not auth.verify_password("sandbox", good.replace("scrypt", "plain", 1))
    assert not auth.verify_password("sandbox", "scrypt$x$8$1$AA==$AA==")
    assert not auth.verify_password("sandbox", "sandbox")


def test_an_unknown_email_costs_the_same_scrypt_as_a_seeded_account(store):
    with store.read() as conn:
        seeded = {
            row[0].split("$")[1] for row in conn.execute("SELECT password_hash FROM accounts")
        }
    assert seeded == {auth._DUMMY_HASH.split("$")[1]} == {str(auth.SANDBOX_SCRYPT_N)}
    assert not auth.verify_password("sandbox", auth._DUMMY_HASH)
