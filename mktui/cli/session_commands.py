"""``mktui login``, ``mktui logout`` and ``mktui profiles``: sessions from the command line.

``login`` asks the password with ``getpass`` (this is the shell, not the
console), signs in, and keeps only the refresh token: in the system keyring,
or — where none works, as over SSH — in an encrypted file with a passphrase
asked here too, or in a 0600 plain file with ``--insecure-storage``. The
billing client and the keyring load only when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from mktui.cli.login_steps import (
    PASSPHRASE_ATTEMPTS,
    NoSandbox,
    Terminal,
    open_store,
    read_password,
    revoke,
    sign_in,
)
from mktui.config.profiles import (
    DEFAULT_API_URL,
    DEFAULT_LOCALE,
    Config,
    ConfigError,
    Profile,
    validate_api_url,
    validate_email,
    validate_locale,
    validate_profile_name,
)
from mktui.core.i18n import _, environment_locale

__all__ = [
    "PASSPHRASE_ATTEMPTS",
    "Terminal",
    "add_commands",
    "run_login",
    "run_logout",
    "run_profiles",
]


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``login``, ``logout`` and ``profiles``."""
    # SUPPRESS keeps `mktui --profile work login` working: the subcommand's
    # own default would otherwise overwrite the main parser's value.
    profile_help = _("the profile (default: the config's default profile)")
    login = subparsers.add_parser(
        "login",
        help=_("sign in and keep the session for a profile"),
    )
    login.add_argument("--profile", default=argparse.SUPPRESS, help=profile_help)
    login.add_argument(
        "--api-url",
        help=_("the billing API of this profile (default {url})").format(url=DEFAULT_API_URL),
    )
    login.add_argument("--email", help=_("the account's email (asked when missing)"))
    login.add_argument(
        "--locale",
        help=_(
            "the profile's locale (money, dates, language), e.g. pt_BR, es_AR, fr_FR, en_US; "
            "a new profile takes the terminal's (LANG), else pt_BR"
        ),
    )
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from the first line of standard input (for scripts)"),
    )
    login.add_argument(
        "--storage",
        choices=("keyring", "encrypted-file", "plain-file"),
        help=_("where to keep the session (default: the keyring when one works)"),
    )
    login.add_argument(
        "--insecure-storage",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("allow a 0600 plain file when no keyring works"),
    )
    login.set_defaults(handler=_interruptible(run_login))

    logout = subparsers.add_parser(
        "logout",
        help=_("forget the stored session of a profile"),
    )
    logout.add_argument("--profile", default=argparse.SUPPRESS, help=profile_help)
    logout.set_defaults(handler=_interruptible(run_logout))

    profiles = subparsers.add_parser("profiles", help=_("list the profiles"))
    profiles.add_argument("--json", action="store_true", help=_("print JSON for scripts"))
    profiles.set_defaults(handler=_interruptible(run_profiles))


def _interruptible(command: Callable[..., int]) -> Callable[[argparse.Namespace], int]:
    """Ctrl-C or a closed input at a prompt ends the command with a word, not a traceback."""

    def handler(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (KeyboardInterrupt, EOFError):
            print("\nmktui: " + _("cancelled; nothing was changed."), file=sys.stderr)
            return 130

    return handler


# ---------------------------------------------------------------- login
def run_login(
    args: argparse.Namespace,
    *,
    term: Terminal | None = None,
    transport: object | None = None,
    probe: Callable[[], object] | None = None,
    config_path: Path | None = None,
    data_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Sign in for a profile and keep its refresh token; returns the exit code.

    ``transport`` (an httpx transport), ``probe``, ``config_path``, ``data_dir``
    and ``environ`` are injected by tests; by default the real ones are used.
    """
    import os

    from mktui.config.credentials import CredentialError, token_from_env

    term = term or Terminal()
    environ = os.environ if environ is None else environ
    try:
        config = Config.load(config_path)
        name = validate_profile_name(getattr(args, "profile", None) or config.default_profile)
        existing = config.profiles.get(name)
        if args.api_url:
            api_url = validate_api_url(args.api_url, field="--api-url")
        else:
            api_url = existing.api_url if existing else DEFAULT_API_URL
        email = validate_email(args.email, field="--email") or (existing and existing.email)
        if not email:
            if not term.interactive:
                return term.fail(_("Give the account's email with --email."), 2)
            email = validate_email(term.ask(_("Email: ")), field="email")
            if not email:
                return term.fail(
                    _("An email is needed to sign in; type it, or give it with --email."), 2
                )
        if getattr(args, "locale", None):
            locale = validate_locale(args.locale, field="--locale")
        elif existing:
            locale = existing.locale
        else:
            # A new profile speaks the terminal's language; pt_BR when it says none.
            locale = environment_locale(environ) or DEFAULT_LOCALE
    except ConfigError as exc:
        return term.fail(exc.message, 2)
    profile = Profile(
        name,
        api_url,
        email,
        locale,
        bool(getattr(args, "sandbox", False)) or (existing.sandbox if existing else False),
    )

    password = read_password(args, term, email)
    if password is None:
        return 2
    try:
        store = open_store(args, term, probe, data_dir)
    except CredentialError as exc:
        return term.fail(exc.message)
    if store is None:
        return 1

    from mktui.api.errors import ApiError

    try:
        tokens = sign_in(profile, email, password, transport)
    except ApiError as exc:
        return term.fail(exc.message)
    except NoSandbox:
        return term.fail(
            _("This build of mktui has no embedded sandbox; use a profile with an API URL.")
        )
    try:
        store.set(name, tokens.refresh_token.get_secret_value())
    except CredentialError as exc:
        return term.fail(exc.message)
    # The first profile signed in to becomes the default (the built-in one has no email yet).
    config.set_profile(profile, make_default=config.profile().email is None)
    try:
        config.save()
    except ConfigError as exc:
        return term.fail(
            _("You are signed in, but the profile was not saved: {problem}").format(
                problem=exc.message
            )
        )
    except OSError as exc:
        return term.fail(
            _(
                "You are signed in, but the profile could not be saved in {path} "
                "({error}); check that you own that folder, then run "
                "`mktui login --profile {name}` again."
            ).format(path=config.path, error=type(exc).__name__, name=name)
        )
    term.say(
        _("Signed in as {email} on profile {name}.").format(email=email, name=repr(name))
        + " "
        + store.description
    )
    if token_from_env(environ):
        term.say(_("Note: MKTUI_TOKEN is set, so mktui uses it instead until you unset it."))
    return 0


# ---------------------------------------------------------------- logout
def run_logout(
    args: argparse.Namespace,
    *,
    term: Terminal | None = None,
    probe: Callable[[], object] | None = None,
    config_path: Path | None = None,
    data_dir: Path | None = None,
    transport: object | None = None,
) -> int:
    """End a profile's session on the server and forget its refresh token wherever kept.

    The token read from the keyring or the plain file is revoked on the server
    first (POST /v1/auth/revoke); the encrypted file needs no passphrase to be
    forgotten, so its token is deleted without being read (it then expires on
    the server by itself).
    """
    from mktui.config.credentials import (
        CredentialError,
        EncryptedFileStore,
        KeyringStore,
        PlainFileStore,
        encrypted_file_path,
        plain_file_path,
        probe_keyring,
    )

    term = term or Terminal()
    name = getattr(args, "profile", None)
    try:
        config = Config.load(config_path)
        name = validate_profile_name(name or config.default_profile)
    except ConfigError as exc:
        return term.fail(exc.message, 2)
    profile = config.profiles.get(name)
    revoked: list[bool] = []

    def end_on_server(token: str | None) -> None:
        if token is not None and profile is not None:
            revoked.append(revoke(profile, token, transport))

    removed: list[str] = []
    problems: list[str] = []
    verdict = (probe or probe_keyring)()
    if verdict.ok:
        keyring = KeyringStore(verdict.backend)
        try:
            token = keyring.get(name)
            if token is not None:
                end_on_server(token)
                keyring.delete(name)
                removed.append(_("the system keyring"))
        except CredentialError as exc:
            problems.append(exc.message)
    encrypted = encrypted_file_path(data_dir)
    try:
        if EncryptedFileStore.forget(encrypted, name):
            removed.append(_("the encrypted file {path}").format(path=encrypted))
    except CredentialError as exc:
        problems.append(exc.message)
    plain = PlainFileStore(plain_file_path(data_dir))
    try:
        token = plain.get(name)
        if token is not None:
            end_on_server(token)
            plain.delete(name)
            removed.append(_("the plain file {path}").format(path=plain.path))
    except CredentialError as exc:
        problems.append(exc.message)

    for problem in problems:
        term.fail(problem)
    if removed:
        term.say(
            _("Signed out of profile {name}: removed its session from {places}.").format(
                name=repr(name), places=_(" and ").join(removed)
            )
        )
        if revoked and not any(revoked):
            term.say(
                _(
                    "The server could not be told (unreachable?); the session there ends "
                    "when its token expires."
                )
            )
    elif not problems:
        term.say(
            _("Profile {name} had no stored session; nothing to remove.").format(name=repr(name))
        )
    return 1 if problems else 0


# ---------------------------------------------------------------- profiles
def run_profiles(
    args: argparse.Namespace, *, term: Terminal | None = None, config_path: Path | None = None
) -> int:
    """List the profiles, the default one marked; ``--json`` for scripts."""
    term = term or Terminal()
    try:
        config = Config.load(config_path)
    except ConfigError as exc:
        return term.fail(exc.message, 2)
    rows = [
        {
            "name": p.name,
            "api_url": p.api_url,
            "email": p.email,
            "locale": p.locale,
            "sandbox": p.sandbox,
            "default": p.name == config.default_profile,
        }
        for p in sorted(config.profiles.values(), key=lambda p: p.name)
    ]
    if args.json:
        term.say(json.dumps(rows, indent=2))
        return 0
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        mark = "*" if row["default"] else " "
        where = _("embedded sandbox") if row["sandbox"] else row["api_url"]
        term.say(f"{mark} {row['name']:<{width}}  {where}  {row['email'] or '-'}  {row['locale']}")
    return 0
