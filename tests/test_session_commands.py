"""`mktui login / logout / profiles` with a fake billing server, fake keyring and tmp dirs."""

from __future__ import annotations

import io
import json
import logging
import stat

import httpx
import pytest

from mktui.cli import main as cli
from mktui.cli.session_commands import Terminal, run_login, run_logout, run_profiles
from mktui.config.credentials import (
    EncryptedFileStore,
    PlainFileStore,
    encrypted_file_path,
    plain_file_path,
    probe_keyring,
)
from mktui.config.profiles import Config, Profile, default_config_path

EMAIL = "ops@example.com"
PASSWORD = "pw-Sup3r-Secret!"  # noqa: S105 - test secrets, grepped for below
REFRESH = "rt_fake_4242_REFRESH"  # noqa: S105
ACCESS = "at_fake_4242_ACCESS"  # noqa: S105
PASSPHRASE = "a long passphrase here"  # noqa: S105
API = "https://billing.example.com"


class FakeKeyring:
    priority = 5
    name = "FakeKeyring"

    def __init__(self):
        self.entries = {}

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class FakeServer:
    """POST /v1/auth/token on the contract's terms; counts what it was asked."""

    def __init__(self):
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method == "POST" and request.url.path == "/v1/auth/token":
            if json.loads(request.content) == {"email": EMAIL, "password": PASSWORD}:
                return httpx.Response(
                    200,
                    json={
                        "access_token": ACCESS,
                        "refresh_token": REFRESH,
                        "token_type": "bearer",
                        "expires_in": 900,
                    },
                )
            return httpx.Response(
                401,
                json={"error": {"code": "unauthenticated", "message": "Wrong.", "field": None}},
            )
        return httpx.Response(
            404, json={"error": {"code": "not_found", "message": "No.", "field": None}}
        )


class ScriptedTerminal(Terminal):
    def __init__(self, *, secrets=(), answers=(), interactive=True, stdin=""):
        super().__init__(
            out=io.StringIO(),
            err=io.StringIO(),
            stdin=io.StringIO(stdin),
            ask=self._ask,
            ask_secret=self._ask_secret,
            interactive=interactive,
        )
        self.secrets = list(secrets)
        self.answers = list(answers)
        self.prompts: list[str] = []

    def _ask(self, prompt):
        self.prompts.append(prompt)
        return self.answers.pop(0)

    def _ask_secret(self, prompt):
        self.prompts.append(prompt)
        return self.secrets.pop(0)

    @property
    def output(self) -> str:
        return self.out.getvalue() + self.err.getvalue()


@pytest.fixture(autouse=True)
def _cheap_kdf(fast_kdf):
    """Every test here opens encrypted files: use the cheap Argon2 cost."""


@pytest.fixture
def server():
    return FakeServer()


@pytest.fixture
def keyring_backend():
    return FakeKeyring()


def parse(*argv):
    return cli.build_parser().parse_args(list(argv))


def no_keyring():
    return probe_keyring(environ={"SSH_CONNECTION": "x"})


def login(argv, term, server, probe=no_keyring, **kwargs):
    return run_login(
        parse("login", *argv),
        term=term,
        transport=httpx.MockTransport(server),
        probe=probe,
        **kwargs,
    )


# ---------------------------------------------------------------- parsing
def test_the_commands_are_registered_and_the_global_flags_survive():
    args = parse("--profile", "work", "--insecure-storage", "login", "--email", EMAIL)
    assert args.command == "login" and args.profile == "work" and args.insecure_storage
    assert parse("login", "--profile", "home").profile == "home"
    assert parse("login", "--insecure-storage").insecure_storage
    assert parse("logout").profile is None
    assert parse("profiles", "--json").json


# ---------------------------------------------------------------- login
def test_login_keeps_the_refresh_token_in_the_keyring_and_saves_the_profile(
    server, keyring_backend
):
    term = ScriptedTerminal(secrets=[PASSWORD])
    probe = lambda: probe_keyring(backend=keyring_backend)  # noqa: E731
    code = login(
        ["--profile", "work", "--api-url", API + "/", "--email", EMAIL], term, server, probe
    )
    assert code == 0, term.output
    assert keyring_backend.entries == {("mktui", "work"): REFRESH}
    assert term.prompts == [f"Password for {EMAIL}: "]
    assert "Signed in as ops@example.com on profile 'work'" in term.output
    assert "system keyring" in term.output
    config = Config.load()
    assert config.profile("work") == Profile("work", API, EMAIL)
    assert config.default_profile == "work"  # the first profile signed in to
    assert stat.S_IMODE(default_config_path().stat().st_mode) == 0o600
    assert [r.url.path for r in server.requests] == ["/v1/auth/token"]


def test_login_without_a_keyring_asks_a_new_passphrase_twice_for_the_encrypted_file(server):
    term = ScriptedTerminal(secrets=[PASSWORD, PASSPHRASE, PASSPHRASE])
    assert login(["--email", EMAIL], term, server) == 0, term.output
    assert "No keyring is reachable over this SSH session (no D-Bus)." in term.output
    assert "encrypted file" in term.output
    assert EncryptedFileStore(encrypted_file_path(), PASSPHRASE).get("default") == REFRESH
    assert stat.S_IMODE(encrypted_file_path().stat().st_mode) == 0o600


def test_login_with_an_existing_encrypted_file_retries_a_wrong_passphrase(server):
    EncryptedFileStore(encrypted_file_path(), PASSPHRASE).set("other", "x")
    term = ScriptedTerminal(secrets=[PASSWORD, "wrong one", PASSPHRASE])
    assert login(["--email", EMAIL], term, server) == 0, term.output
    assert "passphrase does not open" in term.err.getvalue()
    assert EncryptedFileStore(encrypted_file_path(), PASSPHRASE).get("default") == REFRESH


def test_login_gives_up_after_three_wrong_passphrases_before_signing_in(server):
    EncryptedFileStore(encrypted_file_path(), PASSPHRASE).set("other", "x")
    term = ScriptedTerminal(secrets=[PASSWORD, "a", "b", "c"])
    assert login(["--email", EMAIL], term, server) == 1
    assert term.err.getvalue().count("passphrase does not open") == 3
    assert "Traceback" not in term.output
    assert server.requests == []  # no sign-in whose session could not be kept


def test_login_refuses_two_different_new_passphrases(server):
    term = ScriptedTerminal(secrets=[PASSWORD, PASSPHRASE, PASSPHRASE + "!"])
    assert login(["--email", EMAIL], term, server) == 1
    assert "differ" in term.output and not encrypted_file_path().exists()


def test_login_with_insecure_storage_writes_a_0600_plain_file(server):
    term = ScriptedTerminal(interactive=False, stdin=PASSWORD + "\n")
    argv = ["--insecure-storage", "--email", EMAIL, "--password-stdin"]
    assert login(argv, term, server) == 0, term.output
    path = plain_file_path()
    assert PlainFileStore(path).get("default") == REFRESH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "--insecure-storage" in term.output  # the standing warning


def test_login_without_a_terminal_or_keyring_says_what_to_do(server):
    term = ScriptedTerminal(interactive=False, stdin=PASSWORD + "\n")
    assert login(["--email", EMAIL, "--password-stdin"], term, server) == 1
    assert "No keyring is reachable over this SSH session (no D-Bus)." in term.err.getvalue()
    assert "--insecure-storage" in term.err.getvalue()
    assert server.requests == []


def test_asking_for_the_keyring_when_none_works_is_a_sentence(server):
    term = ScriptedTerminal(secrets=[PASSWORD])
    assert login(["--storage", "keyring", "--email", EMAIL], term, server) == 1
    assert "No keyring is reachable over this SSH session (no D-Bus)." in term.err.getvalue()
    assert server.requests == []


def test_plain_file_storage_needs_the_flag(server):
    term = ScriptedTerminal(secrets=[PASSWORD])
    assert login(["--storage", "plain-file", "--email", EMAIL], term, server) == 1
    assert "--insecure-storage" in term.err.getvalue()
    assert not plain_file_path().exists()


def test_a_wrong_password_is_the_clients_sentence_and_nothing_is_kept(server, keyring_backend):
    term = ScriptedTerminal(secrets=["not the password"])
    probe = lambda: probe_keyring(backend=keyring_backend)  # noqa: E731
    assert login(["--email", EMAIL], term, server, probe) == 1
    assert "email or password is not right" in term.err.getvalue()
    assert keyring_backend.entries == {}
    assert not default_config_path().exists()


def test_a_plain_http_api_url_is_refused_naming_the_flag(server):
    term = ScriptedTerminal(secrets=[PASSWORD])
    assert login(["--api-url", "http://billing.example.com", "--email", EMAIL], term, server) == 2
    assert "--api-url must start with https://" in term.err.getvalue()
    assert server.requests == [] and term.prompts == []


def test_a_later_profile_does_not_take_the_default(server, keyring_backend):
    probe = lambda: probe_keyring(backend=keyring_backend)  # noqa: E731
    for name in ("work", "home"):
        term = ScriptedTerminal(secrets=[PASSWORD])
        assert login(["--profile", name, "--email", EMAIL], term, server, probe) == 0
    assert Config.load().default_profile == "work"


def test_the_email_is_asked_when_missing_and_checked(server, keyring_backend):
    probe = lambda: probe_keyring(backend=keyring_backend)  # noqa: E731
    term = ScriptedTerminal(answers=["not-an-email"])
    assert login([], term, server, probe) == 2
    assert "not an email" in term.err.getvalue()
    term = ScriptedTerminal(answers=[EMAIL], secrets=[PASSWORD])
    assert login([], term, server, probe) == 0, term.output
    term = ScriptedTerminal(secrets=[PASSWORD])  # the profile remembers it now
    assert login([], term, server, probe) == 0 and term.prompts == [f"Password for {EMAIL}: "]


def test_login_on_a_malformed_config_is_a_sentence_and_keeps_the_file(server):
    path = default_config_path()
    path.parent.mkdir(parents=True)
    path.write_text("[profiles.default\n")
    term = ScriptedTerminal(secrets=[PASSWORD])
    assert login(["--email", EMAIL], term, server) == 2
    assert str(path) in term.err.getvalue() and "line 1" in term.err.getvalue()
    assert path.read_text() == "[profiles.default\n"


def test_no_password_token_or_passphrase_is_printed_or_logged(server, caplog):
    caplog.set_level(logging.DEBUG)
    term = ScriptedTerminal(secrets=[PASSWORD, PASSPHRASE, PASSPHRASE])
    assert login(["--email", EMAIL], term, server) == 0
    bad = ScriptedTerminal(secrets=["x" + PASSWORD, PASSPHRASE + "x"] * 3)
    login(["--email", EMAIL], bad, server)
    texts = [term.output, bad.output] + [r.getMessage() for r in caplog.records]
    for secret in (PASSWORD, REFRESH, ACCESS, PASSPHRASE):
        assert not [t for t in texts if secret in t], secret


# ---------------------------------------------------------------- logout
def test_logout_removes_the_session_from_every_store_without_a_passphrase(monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getpass", lambda *a, **k: pytest.fail("no prompt on logout"))
    backend = FakeKeyring()
    backend.set_password("mktui", "work", REFRESH)
    backend.set_password("mktui", "home", REFRESH)
    EncryptedFileStore(encrypted_file_path(), PASSPHRASE).set("work", REFRESH)
    PlainFileStore(plain_file_path()).set("work", REFRESH)

    term = ScriptedTerminal()
    probe = lambda: probe_keyring(backend=backend)  # noqa: E731
    assert run_logout(parse("logout", "--profile", "work"), term=term, probe=probe) == 0
    out = term.out.getvalue()
    assert "system keyring" in out and "encrypted file" in out and "plain file" in out
    assert backend.entries == {("mktui", "home"): REFRESH}
    assert EncryptedFileStore(encrypted_file_path(), PASSPHRASE).get("work") is None
    assert not plain_file_path().exists()

    again = ScriptedTerminal()
    assert run_logout(parse("logout", "--profile", "work"), term=again, probe=probe) == 0
    assert "nothing to remove" in again.out.getvalue()


def test_logout_uses_the_default_profile_through_the_cli(capsys):
    PlainFileStore(plain_file_path()).set("default", REFRESH)
    assert cli.main(["logout"]) == 0
    assert "Signed out of profile 'default'" in capsys.readouterr().out
    assert not plain_file_path().exists()


# ---------------------------------------------------------------- profiles
def test_profiles_lists_text_and_json(capsys):
    config = Config.load()
    config.set_profile(Profile("work", API, EMAIL, "en_US"), make_default=True)
    config.set_profile(Profile("local", "http://127.0.0.1:8000", sandbox=True))
    config.save()

    assert cli.main(["profiles", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["local", "work"]  # no built-in stand-in saved
    assert rows[1] == {
        "name": "work",
        "api_url": API,
        "email": EMAIL,
        "locale": "en_US",
        "sandbox": False,
        "default": True,
    }
    assert cli.main(["profiles"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("* work") and EMAIL in lines[1]
    assert "embedded sandbox" in lines[0]


def test_profiles_on_a_malformed_config_is_a_sentence():
    path = default_config_path()
    path.parent.mkdir(parents=True)
    path.write_text("default_profile = \n")
    term = ScriptedTerminal()
    assert run_profiles(parse("profiles"), term=term) == 2
    assert str(path) in term.err.getvalue()


# ---------------------------------------------------------------- against the real sandbox
SANDBOX_EMAIL = "demo@mkcontroller.test"
SANDBOX_PASSWORD = "sandbox"  # noqa: S105 - the documented demo password


@pytest.fixture(scope="module")
def sandbox_template(tmp_path_factory):
    """One seeded sandbox database for the module (seeding hashes passwords), copied per test."""
    import sqlite3

    from mktui.sandbox.app import create_app

    path = tmp_path_factory.mktemp("sandbox") / "db"
    create_app(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def sandbox_transport(tmp_path, sandbox_template):
    import shutil

    from mktui.sandbox.app import create_app

    db = tmp_path / "sandbox.db"
    shutil.copyfile(sandbox_template, db)
    return httpx.ASGITransport(app=create_app(db))


def test_login_against_the_sandbox_keeps_a_refresh_token_that_works(sandbox_transport):
    import asyncio

    from mktui.api.auth import TokenHolder
    from mktui.api.client import BillingClient

    backend = FakeKeyring()
    term = ScriptedTerminal(secrets=[SANDBOX_PASSWORD])
    argv = ["--profile", "local", "--api-url", "http://127.0.0.1:8000", "--email", SANDBOX_EMAIL]
    code = run_login(
        parse("login", *argv),
        term=term,
        transport=sandbox_transport,
        probe=lambda: probe_keyring(backend=backend),
    )
    assert code == 0, term.output
    stored = backend.entries[("mktui", "local")]

    async def use_stored_session():
        holder = TokenHolder(refresh_token=stored)
        async with BillingClient(
            "http://127.0.0.1:8000", transport=sandbox_transport, tokens=holder
        ) as client:
            await client.refresh()
            return await client.account()

    account = asyncio.run(use_stored_session())
    assert account.email == SANDBOX_EMAIL
    assert stored not in term.output


def test_a_wrong_sandbox_password_is_refused_with_a_sentence(sandbox_transport):
    backend = FakeKeyring()
    term = ScriptedTerminal(secrets=["not-the-password"])
    argv = ["--api-url", "http://localhost:8000", "--email", SANDBOX_EMAIL]
    code = run_login(
        parse("login", *argv),
        term=term,
        transport=sandbox_transport,
        probe=lambda: probe_keyring(backend=backend),
    )
    assert code == 1
    assert "email or password is not right" in term.err.getvalue()
    assert backend.entries == {}


def test_a_sandbox_profile_signs_in_to_the_embedded_sandbox(sandbox_template):
    """No transport injected: a sandbox profile uses sandbox_client on its own db."""
    import shutil

    from mktui.sandbox.paths import default_db_path

    default_db_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sandbox_template, default_db_path())  # under the isolated XDG data dir
    config = Config.load()
    config.set_profile(Profile("sb", "http://127.0.0.1:8000", SANDBOX_EMAIL, sandbox=True))
    config.save()
    term = ScriptedTerminal(interactive=False, stdin=SANDBOX_PASSWORD + "\n")
    argv = ["login", "--profile", "sb", "--password-stdin", "--insecure-storage"]
    assert run_login(parse(*argv), term=term, probe=no_keyring) == 0, term.output
    assert PlainFileStore(plain_file_path()).get("sb")
    assert Config.load().profile("sb").sandbox is True


def test_sandbox_flag_makes_a_new_profile_a_sandbox_profile(sandbox_template):
    import shutil

    from mktui.sandbox.paths import default_db_path

    default_db_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(sandbox_template, default_db_path())
    term = ScriptedTerminal(interactive=False, stdin=SANDBOX_PASSWORD + "\n")
    argv = ["--sandbox", "--insecure-storage", "login", "--profile", "sb", "--password-stdin"]
    argv += ["--email", SANDBOX_EMAIL, "--api-url", "http://localhost:1"]
    assert run_login(parse(*argv), term=term, probe=no_keyring) == 0, term.output
    assert Config.load().profile("sb").sandbox is True


def test_ctrl_c_at_the_password_prompt_is_a_word_not_a_traceback(monkeypatch, capsys):
    import getpass

    def interrupted(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr(getpass, "getpass", interrupted)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert cli.main(["login", "--email", EMAIL]) == 130
    assert "cancelled" in capsys.readouterr().err
    assert not default_config_path().exists()


@pytest.mark.parametrize("damage", ["directory", "binary"])
def test_logout_with_an_unusable_encrypted_file_is_a_sentence(damage):
    """The other stores are still cleared, and the file is named with what to do."""
    PlainFileStore(plain_file_path()).set("work", REFRESH)
    path = encrypted_file_path()
    if damage == "directory":
        path.mkdir(parents=True)
    else:
        path.write_bytes(b"\xff\xfe\x00garbage")
    term = ScriptedTerminal()
    code = run_logout(parse("logout", "--profile", "work"), term=term, probe=no_keyring)
    assert code == 1
    assert str(path) in term.err.getvalue()
    assert "plain file" in term.out.getvalue() and not plain_file_path().exists()


def test_a_profile_that_cannot_be_saved_after_signing_in_says_what_to_do(
    server, keyring_backend, monkeypatch
):
    import os

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)  # only the config file is written here
    term = ScriptedTerminal(secrets=[PASSWORD])
    probe = lambda: probe_keyring(backend=keyring_backend)  # noqa: E731
    code = login(["--profile", "work", "--email", EMAIL], term, server, probe)
    assert code == 1
    err = term.err.getvalue()
    assert str(default_config_path()) in err and "PermissionError" in err
    assert "mktui login --profile work" in err
    assert "Signed in" not in term.out.getvalue()


def test_the_encrypted_file_without_a_terminal_says_what_to_do(server):
    term = ScriptedTerminal(interactive=False, stdin=PASSWORD + "\n")
    argv = ["--storage", "encrypted-file", "--email", EMAIL, "--password-stdin"]
    assert login(argv, term, server) == 1
    err = term.err.getvalue()
    assert "passphrase" in err and "mktui login" in err and "--insecure-storage" in err
    assert server.requests == []


def test_an_empty_email_at_the_prompt_says_what_to_do(server, keyring_backend):
    term = ScriptedTerminal(answers=["  "])
    probe = lambda: probe_keyring(backend=keyring_backend)  # noqa: E731
    assert login([], term, server, probe) == 2
    assert "--email" in term.err.getvalue()


# ---------------------------------------------------------------- logout ends the session on the server
def test_logout_revokes_the_stored_session_on_the_server(monkeypatch):
    server = FakeServer()
    revoked: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/revoke":
            revoked.append(json.loads(request.content))
            return httpx.Response(204)
        return server(request)

    config = Config.load()
    config.set_profile(Profile("work", API, EMAIL, "en_US"), make_default=True)
    config.save()
    PlainFileStore(plain_file_path()).set("work", REFRESH)
    term = ScriptedTerminal()
    code = run_logout(
        parse("logout", "--profile", "work"),
        term=term,
        probe=lambda: probe_keyring(backend=FakeKeyring()),
        transport=httpx.MockTransport(answer),
    )
    assert code == 0
    assert revoked == [{"refresh_token": REFRESH}]
    assert not plain_file_path().exists()
    assert "could not be told" not in term.output


def test_logout_with_the_server_unreachable_still_forgets_the_session():
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    config = Config.load()
    config.set_profile(Profile("work", API, EMAIL, "en_US"), make_default=True)
    config.save()
    PlainFileStore(plain_file_path()).set("work", REFRESH)
    term = ScriptedTerminal()
    code = run_logout(
        parse("logout", "--profile", "work"),
        term=term,
        probe=lambda: probe_keyring(backend=FakeKeyring()),
        transport=httpx.MockTransport(down),
    )
    assert code == 0
    assert not plain_file_path().exists()
    assert "could not be told" in term.output


# ---------------------------------------------------------------- languages
def test_login_asks_and_answers_in_the_language_chosen(server):
    from mktui.core import i18n

    i18n.use("pt_BR")
    try:
        term = ScriptedTerminal(secrets=[PASSWORD, PASSPHRASE, PASSPHRASE + "!"])
        assert login(["--email", EMAIL], term, server) == 1
        path = encrypted_file_path()
        assert term.prompts == [
            f"Senha de {EMAIL}: ",
            "Nova frase-senha: ",
            "A mesma frase-senha de novo: ",
        ]
        assert "Nenhum chaveiro está acessível nesta sessão SSH (sem D-Bus)." in term.output
        assert f"Escolha uma frase-senha para o arquivo criptografado de acesso {path}." in (
            term.output
        )
        assert "As duas frases-senha são diferentes; execute `mktui login` de novo." in (
            term.output
        )
        term = ScriptedTerminal(secrets=[PASSWORD, PASSPHRASE, PASSPHRASE])
        assert login(["--email", EMAIL], term, server) == 0, term.output
        assert f"Conectado como {EMAIL} no perfil 'default'." in term.output
        assert "Seu acesso fica guardado num arquivo criptografado" in term.output
    finally:
        i18n.use("en")
