"""Where a scripted command's session comes from: the encrypted file via --passphrase-fd, MKTUI_TOKEN."""

from __future__ import annotations

import asyncio
import os
import subprocess

from mktui.api.client import BillingClient
from mktui.config.credentials import EncryptedFileStore, encrypted_file_path
from mktui.config.profiles import Config, Profile

from .harness import PASSWORD, mktui_command, run

PASSPHRASE = "correct horse battery staple"  # noqa: S105 - a test passphrase


def _tokens(url: str):
    async def go():
        async with BillingClient(url) as client:
            return await client.sign_in("demo@mkcontroller.test", PASSWORD)

    return asyncio.run(go())


def _profile(name: str, url: str) -> None:
    config = Config.load()
    config.set_profile(Profile(name, url, "demo@mkcontroller.test", "en_US", False))
    config.save()


def test_the_encrypted_file_opens_with_a_passphrase_from_a_file_descriptor(served):
    _profile("enc", served.url)
    tokens = _tokens(served.url)
    store = EncryptedFileStore(encrypted_file_path(), PASSPHRASE)
    store.set("enc", tokens.refresh_token.get_secret_value())

    # Without a terminal and without the descriptor: sign-in needed, saying how.
    refused = run("status", "--profile", "enc")
    assert refused.code == 2 and "--passphrase-fd" in refused.err

    read, write = os.pipe()
    os.write(write, (PASSPHRASE + "\n").encode())
    os.close(write)
    try:
        done = subprocess.run(
            [
                *mktui_command(),
                "status",
                "--profile",
                "enc",
                "--passphrase-fd",
                str(read),
                "--json",
            ],
            pass_fds=(read,),
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=120,
        )
    finally:
        os.close(read)
    assert done.returncode == 0, done.stderr
    assert '"demo@mkcontroller.test"' in done.stdout
    # The rotated refresh token replaced the kept one: the old one is spent, the file's works.
    kept = EncryptedFileStore(encrypted_file_path(), PASSPHRASE).get("enc")
    assert kept and kept != tokens.refresh_token.get_secret_value()


def test_mktui_token_serves_a_script_without_any_kept_session(served):
    _profile("tok", served.url)
    token = _tokens(served.url).access_token.get_secret_value()
    done = run("invoices", "list", "--profile", "tok", "--json", env={"MKTUI_TOKEN": token})
    assert done.code == 0, done.err
    assert done.out.startswith("[")
    assert token not in done.out + done.err
