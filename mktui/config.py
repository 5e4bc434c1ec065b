"""Profiles: which billing API to talk to, as whom, in which locale.

The profiles live in one TOML file under ``platformdirs.user_config_dir("mktui")``::

    default_profile = "default"

    [profiles.default]
    api_url = "https://api.mkcontroller.com"
    email = "admin@example.com"
    locale = "pt_BR"
    sandbox = false

No secret is ever kept here (the refresh token lives in the credential store).
The file is still written 0600, atomically (a temporary file in the same
directory, fsync, ``os.replace``), and a file mktui cannot parse is never
overwritten: the admin gets a sentence naming the file and the line instead.
mktui writes the whole file back on save, so comments in it are not kept.

Pure: imports neither Textual nor httpx (an import-linter contract checks it).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

APP_NAME = "mktui"
DEFAULT_PROFILE = "default"
# The production endpoint; a profile's api_url overrides it.
DEFAULT_API_URL = "https://api.mkcontroller.com"
DEFAULT_LOCALE = "pt_BR"
CONFIG_FILENAME = "config.toml"

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PROFILE_KEYS = ("api_url", "email", "locale", "sandbox")


class ConfigError(ValueError):
    """A config problem, as one sentence for the admin.

    ``field`` names the offending setting (``api_url``, ``profiles.work.locale``…)
    when there is one; ``path`` and ``line`` locate it in the file when known.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        path: Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.path = path
        self.line = line


def default_config_path() -> Path:
    """Where the profiles file lives: ``user_config_dir("mktui")/config.toml``."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILENAME


# ---------------------------------------------------------------- validation
def validate_api_url(url: str, *, field: str = "api_url") -> str:
    """Return ``url`` without its trailing slash, or raise ``ConfigError`` naming ``field``.

    HTTPS is required; plain HTTP is accepted only for a loopback host (a local
    sandbox), because the API carries tokens and card numbers.
    """
    text = url.strip() if isinstance(url, str) else ""
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(
            f"{field} must be a full address such as https://api.example.com; {url!r} is not one.",
            field=field,
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            f"{field} must not contain a user name or password; sign in with `mktui login` instead.",
            field=field,
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"{field} must not have a ?query or #fragment.", field=field)
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError:
        raise ConfigError(
            f"{field} has a port that is not a number from 0 to 65535.", field=field
        ) from None
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(
            f"{field} must start with https:// (plain http:// is allowed only for "
            f"localhost, such as a local sandbox).",
            field=field,
        )
    return text.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_profile_name(name: str, *, field: str = "profile") -> str:
    """Return ``name`` or raise ``ConfigError``: letters, digits, ``-`` and ``_``, up to 64."""
    if not isinstance(name, str) or not _PROFILE_NAME.match(name):
        raise ConfigError(
            f"The {field} name {name!r} can only have letters, digits, '-' and '_' (up to 64).",
            field=field,
        )
    return name


def validate_email(email: str | None, *, field: str = "email") -> str | None:
    """Return the trimmed address (or None) or raise ``ConfigError`` naming ``field``."""
    if email is None:
        return None
    text = email.strip() if isinstance(email, str) else ""
    if not text:
        return None
    if not _EMAIL.match(text):
        raise ConfigError(f"{field} {email!r} is not an email address.", field=field)
    return text


def validate_locale(locale: str, *, field: str = "locale") -> str:
    """Return ``locale`` or raise ``ConfigError``: a code such as ``pt_BR`` or ``en_US``."""
    if not isinstance(locale, str) or not _LOCALE.match(locale):
        raise ConfigError(
            f"{field} {locale!r} is not a locale such as pt_BR or en_US.", field=field
        )
    return locale


# ---------------------------------------------------------------- the model
@dataclass(frozen=True)
class Profile:
    """One account on one billing API. ``sandbox`` profiles use the embedded sandbox."""

    name: str
    api_url: str = DEFAULT_API_URL
    email: str | None = None
    locale: str = DEFAULT_LOCALE
    sandbox: bool = False

    def __post_init__(self) -> None:
        validate_profile_name(self.name)
        object.__setattr__(self, "api_url", validate_api_url(self.api_url))
        object.__setattr__(self, "email", validate_email(self.email))
        validate_locale(self.locale)
        if not isinstance(self.sandbox, bool):
            raise ConfigError("sandbox must be true or false.", field="sandbox")


@dataclass
class Config:
    """All profiles and which one is the default; ``save()`` writes them back atomically."""

    path: Path = field(default_factory=default_config_path)
    profiles: dict[str, Profile] = field(default_factory=dict)
    default_profile: str = DEFAULT_PROFILE

    def __post_init__(self) -> None:
        if not self.profiles:
            self.profiles = {DEFAULT_PROFILE: Profile(DEFAULT_PROFILE)}
            self.default_profile = DEFAULT_PROFILE

    @classmethod
    def load(cls, path: Path | str | None = None) -> Config:
        """Read the profiles; a missing file gives the default profile (nothing is written).

        Raises ``ConfigError`` naming the file and line for a file that is not
        TOML or holds a bad value; the file is left as it is.
        """
        path = Path(path) if path is not None else default_config_path()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path=path)
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"The config file {path} could not be read ({exc.__class__.__name__}); "
                f"check that it is a text file you own.",
                path=path,
            ) from None
        profiles, default = parse_config(text, path)
        return cls(path=path, profiles=profiles, default_profile=default)

    def profile(self, name: str | None = None) -> Profile:
        """The named profile (the default one when ``name`` is None)."""
        name = name or self.default_profile
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise ConfigError(
                f"There is no profile {name!r} (known: {known}); create it with "
                f"`mktui login --profile {name} --api-url URL`.",
                field="profile",
            ) from None

    def set_profile(self, profile: Profile, *, make_default: bool = False) -> None:
        """Add or replace a profile."""
        self.profiles[profile.name] = profile
        if make_default or self.default_profile not in self.profiles:
            self.default_profile = profile.name

    def update_profile(self, name: str, **changes: object) -> Profile:
        """Replace some fields of a profile (validated) and return the new one."""
        profile = replace(self.profile(name), **changes)
        self.profiles[name] = profile
        return profile

    def remove_profile(self, name: str) -> None:
        """Remove a profile; the default moves to another one (or back to ``default``)."""
        self.profile(name)
        del self.profiles[name]
        if not self.profiles:
            self.profiles = {DEFAULT_PROFILE: Profile(DEFAULT_PROFILE)}
        if self.default_profile not in self.profiles:
            self.default_profile = sorted(self.profiles)[0]

    def save(self) -> None:
        """Write the profiles atomically with mode 0600.

        Refuses (``ConfigError``) to replace an existing file that mktui cannot
        parse, so a hand-edited file with a typo is never lost.
        """
        try:
            existing = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            existing = None
        except (OSError, UnicodeDecodeError):
            existing = "\0"  # unreadable: treat as unparsable, keep it
        if existing is not None:
            try:
                parse_config(existing, self.path)
            except ConfigError as exc:
                raise ConfigError(
                    f"mktui did not save the profiles, to keep a file it cannot read. {exc.message}",
                    field=exc.field,
                    path=self.path,
                    line=exc.line,
                ) from None
        text = dump_config(self.profiles, self.default_profile)
        write_private_file(self.path, text.encode("utf-8"))


# ---------------------------------------------------------------- TOML in and out
_TOML_ERROR_AT = re.compile(r"^(?P<reason>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


def parse_config(text: str, path: Path) -> tuple[dict[str, Profile], str]:
    """Parse the profiles file: ``(profiles, default_profile)`` or a ``ConfigError``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_ERROR_AT.match(str(exc))
        if match is None:  # pragma: no cover - every tomllib error names its place
            raise ConfigError(
                f"The config file {path} is not valid TOML ({exc}); fix it, mktui has not changed it.",
                path=path,
            ) from None
        line = int(match["line"])
        raise ConfigError(
            f"The config file {path} is not valid TOML at line {line}, column {match['col']} "
            f"({match['reason']}); fix that line, mktui has not changed the file.",
            path=path,
            line=line,
        ) from None

    def fail(problem: str, field: str, table: str | None, key: str | None) -> ConfigError:
        line = _line_of(text, table, key)
        where = f" at line {line}" if line else ""
        return ConfigError(
            f"The config file {path}{where}: {problem}", field=field, path=path, line=line
        )

    for key in data:
        if key not in ("default_profile", "profiles"):
            raise fail(
                f"the setting {key!r} is unknown (typo?); remove or rename it.", key, None, key
            )
    tables = data.get("profiles", {})
    if not isinstance(tables, dict):
        raise fail(
            "profiles must be a table of [profiles.NAME] sections.", "profiles", None, "profiles"
        )
    profiles: dict[str, Profile] = {}
    for name, values in tables.items():
        table = f"profiles.{name}"
        if not isinstance(values, dict):
            raise fail(f"{table} must be a [{table}] section.", table, "profiles", name)
        for key, value in values.items():
            expected = bool if key == "sandbox" else str
            if key not in _PROFILE_KEYS:
                raise fail(
                    f"{table}.{key} is not a profile setting (those are {', '.join(_PROFILE_KEYS)}).",
                    f"{table}.{key}",
                    table,
                    key,
                )
            if not isinstance(value, expected):
                kind = "true or false" if expected is bool else "a quoted string"
                raise fail(f"{table}.{key} must be {kind}.", f"{table}.{key}", table, key)
        for key, value in values.items():
            validator = _VALIDATORS.get(key)
            if validator is not None:
                try:
                    validator(value, field=f"{table}.{key}")
                except ConfigError as exc:
                    raise fail(exc.message, f"{table}.{key}", table, key) from None
        try:
            validate_profile_name(name)
        except ConfigError as exc:
            raise fail(exc.message, table, "profiles", name) from None
        profiles[name] = Profile(name=name, **values)
    fallback = DEFAULT_PROFILE if DEFAULT_PROFILE in profiles or not profiles else min(profiles)
    default = data.get("default_profile", fallback)
    if not isinstance(default, str):
        raise fail(
            "default_profile must be a quoted profile name.",
            "default_profile",
            None,
            "default_profile",
        )
    if profiles and default not in profiles:
        raise fail(
            f"default_profile {default!r} is not one of the profiles ({', '.join(sorted(profiles))}).",
            "default_profile",
            None,
            "default_profile",
        )
    return profiles, default


_VALIDATORS = {"api_url": validate_api_url, "email": validate_email, "locale": validate_locale}


def _line_of(text: str, table: str | None, key: str | None) -> int | None:
    """Best-effort line number of ``key`` in ``[table]`` (None: the top level)."""
    current: str | None = None
    wanted = _bare(table) if table is not None else None
    header_line = None
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(raw)
        if header:
            current = _bare(header.group(1))
            if current == wanted:
                header_line = number
            continue
        if current == wanted and key is not None:
            if re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", raw):
                return number
    if key is not None and table is not None:
        # the key may be the name of a sub-table: [profiles.NAME]
        target = f"{table}.{key}"
        for number, raw in enumerate(text.splitlines(), start=1):
            header = _TABLE_HEADER.match(raw)
            if header and _bare(header.group(1)) == _bare(target):
                return number
    return header_line


def _bare(header: str) -> str:
    # Compare table names without quotes or spaces: [profiles."a b"] ~ profiles.a b
    return re.sub(r"[\s\"']", "", header)


def dump_config(profiles: dict[str, Profile], default_profile: str) -> str:
    """The TOML text for ``profiles`` (strings escaped as TOML basic strings)."""
    lines = [
        "# mktui profiles, written by mktui. Secrets are never kept here.",
        f"default_profile = {_toml_str(default_profile)}",
    ]
    for name in sorted(profiles):
        profile = profiles[name]
        lines += ["", f"[profiles.{_toml_key(name)}]", f"api_url = {_toml_str(profile.api_url)}"]
        if profile.email is not None:
            lines.append(f"email = {_toml_str(profile.email)}")
        lines.append(f"locale = {_toml_str(profile.locale)}")
        lines.append(f"sandbox = {'true' if profile.sandbox else 'false'}")
    return "\n".join(lines) + "\n"


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_str(value: str) -> str:
    out = []
    for char in value:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _toml_str(name)


# ---------------------------------------------------------------- atomic private files
def write_private_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the file is 0600 from its creation.

    The bytes go to a temporary file in the same directory (``mkstemp`` creates
    it 0600), are fsynced, then ``os.replace`` swaps it in: a crash leaves
    either the old file or the new one, never a half-written one. The
    directory is created 0700 when missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp already creates 0600; fchmod makes it exact whatever the umask
        # (Windows has no fchmod before 3.13 and no POSIX modes to fix).
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        if fd != -1:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
