"""The profiles file as TOML: parsed with :mod:`tomllib`, written by hand.

:func:`parse_config` checks every table, key and value and names the file and
the line of the first problem; :func:`dump_config` writes every string as a
TOML basic string with each quote, backslash and control character escaped, so
no profile name, email or URL can add or change a setting. Import from
:mod:`mktui.config.profiles`, which re-exports both.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from mktui.config.profile import (
    DEFAULT_PROFILE,
    ConfigError,
    Profile,
    validate_api_url,
    validate_email,
    validate_locale,
    validate_profile_name,
)
from mktui.core.i18n import _

_PROFILE_KEYS = ("api_url", "email", "locale", "sandbox")
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
                _(
                    "The config file {path} is not valid TOML ({reason}); "
                    "fix it, mktui has not changed it."
                ).format(path=path, reason=exc),
                path=path,
            ) from None
        line = int(match["line"])
        raise ConfigError(
            _(
                "The config file {path} is not valid TOML at line {line}, column {column} "
                "({reason}); fix that line, mktui has not changed the file."
            ).format(path=path, line=line, column=match["col"], reason=match["reason"]),
            path=path,
            line=line,
        ) from None

    def fail(problem: str, field: str, table: str | None, key: str | None) -> ConfigError:
        line = _line_of(text, table, key)
        if line:
            sentence = _("The config file {path} at line {line}: {problem}")
        else:
            sentence = _("The config file {path}: {problem}")
        return ConfigError(
            sentence.format(path=path, line=line, problem=problem),
            field=field,
            path=path,
            line=line,
        )

    for key in data:
        if key not in ("default_profile", "profiles", "keymap"):
            raise fail(
                _("the setting {key} is unknown (typo?); remove or rename it.").format(
                    key=repr(key)
                ),
                key,
                None,
                key,
            )
    tables = data.get("profiles", {})
    if not isinstance(tables, dict):
        raise fail(
            _("profiles must be a table of [profiles.NAME] sections."),
            "profiles",
            None,
            "profiles",
        )
    profiles: dict[str, Profile] = {}
    for name, values in tables.items():
        table = f"profiles.{name}"
        if not isinstance(values, dict):
            raise fail(
                _("{table} must be a [{table}] section.").format(table=table),
                table,
                "profiles",
                name,
            )
        for key, value in values.items():
            expected = bool if key == "sandbox" else str
            if key not in _PROFILE_KEYS:
                raise fail(
                    _("{setting} is not a profile setting (those are {settings}).").format(
                        setting=f"{table}.{key}", settings=", ".join(_PROFILE_KEYS)
                    ),
                    f"{table}.{key}",
                    table,
                    key,
                )
            if not isinstance(value, expected):
                if expected is bool:
                    problem = _("{setting} must be true or false.")
                else:
                    problem = _("{setting} must be a quoted string.")
                setting = f"{table}.{key}"
                raise fail(problem.format(setting=setting), setting, table, key)
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
            _("default_profile must be a quoted profile name."),
            "default_profile",
            None,
            "default_profile",
        )
    if profiles and default not in profiles:
        raise fail(
            _("default_profile {name} is not one of the profiles ({names}).").format(
                name=repr(default), names=", ".join(sorted(profiles))
            ),
            "default_profile",
            None,
            "default_profile",
        )
    return profiles, default


_BINDING_ID = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$")
_KEY_NAME = re.compile(r"^[^\s,\x00-\x1f\x7f]+$")


def parse_keymap(text: str, path: Path) -> dict[str, str]:
    """The ``[keymap]`` table: binding id → keys (``"ctrl+r"``, or several: ``"f5,ctrl+r"``).

    Either spelling of an id works: ``"invoices.retry" = "t"`` or, unquoted,
    ``invoices.retry = "t"`` (which TOML reads as a nested table). Raises
    ``ConfigError`` naming the line of a value that is not a key list. Whether
    the id exists is the console's to say (``mktui.tui.keymap``): this layer
    does not know the screens. Call after :func:`parse_config` (valid TOML).
    """
    table = tomllib.loads(text).get("keymap", {})

    def fail(problem: str, key: str | None) -> ConfigError:
        line = _line_of(text, "keymap", key)
        where = (
            _("The config file {path} at line {line}: {problem}")
            if line
            else _("The config file {path}: {problem}")
        )
        return ConfigError(
            where.format(path=path, line=line, problem=problem),
            field=f"keymap.{key}" if key else "keymap",
            path=path,
            line=line,
        )

    if not isinstance(table, dict):
        raise fail(_("keymap must be a [keymap] section of binding ids and keys."), None)
    keymap: dict[str, str] = {}

    def walk(prefix: str, values: dict) -> None:
        for name, value in values.items():
            binding_id = f"{prefix}.{name}" if prefix else name
            if isinstance(value, dict):
                walk(binding_id, value)
                continue
            if not _BINDING_ID.match(binding_id):
                raise fail(
                    _(
                        "{name} is not a binding id (like invoices.retry; the README lists them)."
                    ).format(name=repr(binding_id)),
                    binding_id,
                )
            keys = [part.strip() for part in value.split(",")] if isinstance(value, str) else []
            if not keys or not all(_KEY_NAME.match(key) for key in keys):
                raise fail(
                    _(
                        'keymap.{name} must be a quoted key or keys, like "ctrl+r" or "f5,ctrl+r".'
                    ).format(name=binding_id),
                    binding_id,
                )
            keymap[binding_id] = ",".join(keys)

    walk("", table)
    return keymap


def dump_keymap(keymap: dict[str, str]) -> list[str]:
    """The ``[keymap]`` table's lines (none for an empty keymap), ids quoted."""
    if not keymap:
        return []
    return [
        "",
        "[keymap]",
        *(f"{_toml_str(k)} = {_toml_str(v)}" for k, v in sorted(keymap.items())),
    ]


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


def dump_config(
    profiles: dict[str, Profile], default_profile: str, keymap: dict[str, str] | None = None
) -> str:
    """The TOML text for ``profiles`` and the ``keymap`` (strings escaped as TOML basic strings)."""
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
    lines += dump_keymap(keymap or {})
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
