"""Profiles: which billing API to talk to, as whom, in which locale.

The profiles live in one TOML file under ``platformdirs.user_config_dir("mktui")``::

    default_profile = "default"

    [profiles.default]
    api_url = "https://api.mkcontroller.com"
    email = "admin@example.com"
    locale = "pt_BR"
    sandbox = false

    [keymap]                      # optional: other keys for the console's bindings
    "invoices.retry" = "t"        # binding id = key(s); the README lists the ids

No secret is ever kept here (the refresh token lives in the credential store).
The file is still written 0600, atomically (a temporary file in the same
directory, fsync, ``os.replace``), and a file mktui cannot parse is never
overwritten: the admin gets a sentence naming the file and the line instead.
mktui writes the whole file back on save, so comments in it are not kept.

The pieces: :mod:`mktui.config.profile` (a profile and its checks),
:mod:`mktui.config.toml_file` (the file's TOML, in and out) and
:mod:`mktui.config.private_file` (atomic 0600 writes); every public name of those is
importable from here too, as it always was.

Pure: imports neither Textual nor httpx (an import-linter contract checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from mktui.config.private_file import FileLock, write_private_file
from mktui.config.profile import (
    DEFAULT_API_URL,
    DEFAULT_LOCALE,
    DEFAULT_PROFILE,
    ConfigError,
    Profile,
    validate_api_url,
    validate_email,
    validate_locale,
    validate_profile_name,
)
from mktui.config.toml_file import dump_config, parse_config, parse_keymap
from mktui.core.i18n import _

__all__ = [
    "APP_NAME",
    "CONFIG_FILENAME",
    "DEFAULT_API_URL",
    "DEFAULT_LOCALE",
    "DEFAULT_PROFILE",
    "Config",
    "ConfigError",
    "Profile",
    "default_config_path",
    "dump_config",
    "parse_config",
    "parse_keymap",
    "validate_api_url",
    "validate_email",
    "validate_locale",
    "validate_profile_name",
    "write_private_file",
]

APP_NAME = "mktui"
CONFIG_FILENAME = "config.toml"
_SETTINGS = ("api_url", "email", "locale", "sandbox")


def default_config_path() -> Path:
    """Where the profiles file lives: ``user_config_dir("mktui")/config.toml``."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILENAME


@dataclass
class Config:
    """All profiles and which one is the default; ``save()`` writes them back atomically."""

    path: Path = field(default_factory=default_config_path)
    profiles: dict[str, Profile] = field(default_factory=dict)
    default_profile: str = DEFAULT_PROFILE
    keymap: dict[str, str] = field(default_factory=dict)
    """The ``[keymap]`` table: binding id → keys. Edited by hand; save() keeps the file's."""
    # What load() read (or the built-in default), to tell this process's changes
    # from another's when saving: see save().
    _base: tuple[dict[str, Profile], str] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # True while the only profile is the built-in ``default`` stand-in, never saved or changed.
    _placeholder: bool = field(default=False, init=False, repr=False, compare=False)
    # True once set_profile() replaced that stand-in, until the next save (see save()).
    _took_over: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.profiles:
            self.profiles = {DEFAULT_PROFILE: Profile(DEFAULT_PROFILE)}
            self.default_profile = DEFAULT_PROFILE
            self._placeholder = True

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
            config = cls(path=path)
            config._base = (dict(config.profiles), config.default_profile)
            return config
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                _(
                    "The config file {path} could not be read ({error}); "
                    "check that it is a text file you own."
                ).format(path=path, error=exc.__class__.__name__),
                path=path,
            ) from None
        profiles, default = parse_config(text, path)
        keymap = parse_keymap(text, path)
        config = cls(path=path, profiles=profiles, default_profile=default, keymap=keymap)
        config._base = (dict(profiles), default)
        return config

    def profile(self, name: str | None = None) -> Profile:
        """The named profile (the default one when ``name`` is None)."""
        name = name or self.default_profile
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(sorted(self.profiles)) or _("none")
            raise ConfigError(
                _(
                    "There is no profile {name} (known: {known}); create it with "
                    "`mktui login --profile {bare} --api-url URL`."
                ).format(name=repr(name), known=known, bare=name),
                field="profile",
            ) from None

    def set_profile(self, profile: Profile, *, make_default: bool = False) -> None:
        """Add or replace a profile.

        The first profile set on a machine without one replaces the built-in
        ``default`` stand-in and becomes the default: the next plain ``mktui``
        opens it, not an empty profile pointing nowhere in particular.
        """
        if self._placeholder and profile.name != DEFAULT_PROFILE:
            del self.profiles[DEFAULT_PROFILE]
            make_default = self._took_over = True
        self._placeholder = False
        self.profiles[profile.name] = profile
        if make_default or self.default_profile not in self.profiles:
            self.default_profile = profile.name

    def update_profile(self, name: str, **changes: object) -> Profile:
        """Replace some settings of a profile (validated) and return the new one."""
        for key in changes:
            if key not in _SETTINGS:
                raise ConfigError(
                    _("{key} is not a profile setting; the settings are {settings}.").format(
                        key=repr(key), settings=", ".join(_SETTINGS)
                    ),
                    field=key,
                )
        profile = replace(self.profile(name), **changes)
        self.profiles[name] = profile
        self._placeholder = False  # the stand-in, changed, is the admin's own now
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
        """Write the profiles atomically with mode 0600, keeping what another mktui saved.

        A console loaded earlier and ``mktui login`` in another terminal may
        both save: under a lock, the file is read again and only what this
        process changed since it loaded (profiles added, changed or removed,
        the default) is applied to it, so neither loses the other's profiles.
        Refuses (``ConfigError``) to replace an existing file that mktui cannot
        parse, so a hand-edited file with a typo is never lost.
        """
        with FileLock(self.path)():
            on_disk = self._read_for_save()
            if on_disk is not None and on_disk[0] and self._took_over:
                # Another mktui saved profiles since load(): this is not the machine's first
                # profile after all. The stand-in never reached the file, so theirs (a real
                # ``default`` too) stay, and so does their choice of default; this one is added.
                self._base = ({}, on_disk[1])
                self.default_profile = on_disk[1]
            self._took_over = False
            if on_disk is not None and self._base is not None and on_disk != self._base:
                self._merge(*on_disk)
            text = dump_config(self.profiles, self.default_profile, self.keymap)
            write_private_file(self.path, text.encode("utf-8"))
            self._base = (dict(self.profiles), self.default_profile)

    def _read_for_save(self) -> tuple[dict[str, Profile], str] | None:
        try:
            existing = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            existing = "\0"  # unreadable: treat as unparsable, keep it
        try:
            found = parse_config(existing, self.path)
            # The keymap is the admin's, edited by hand: the file's wins over what was loaded.
            self.keymap = parse_keymap(existing, self.path)
            return found
        except ConfigError as exc:
            raise ConfigError(
                _(
                    "mktui did not save the profiles, to keep a file it cannot read. {problem}"
                ).format(problem=exc.message),
                field=exc.field,
                path=self.path,
                line=exc.line,
            ) from None

    def _merge(self, disk_profiles: dict[str, Profile], disk_default: str) -> None:
        """Apply what this process changed since load() onto the file's current profiles."""
        base_profiles, base_default = self._base or ({}, DEFAULT_PROFILE)
        merged: dict[str, Profile] = {}
        for name in sorted(set(disk_profiles) | set(self.profiles) | set(base_profiles)):
            mine = self.profiles.get(name)
            chosen = mine if mine != base_profiles.get(name) else disk_profiles.get(name)
            if chosen is not None:
                merged[name] = chosen
        default = self.default_profile if self.default_profile != base_default else disk_default
        if not merged:
            merged = {DEFAULT_PROFILE: Profile(DEFAULT_PROFILE)}
        if default not in merged:
            default = DEFAULT_PROFILE if DEFAULT_PROFILE in merged else min(merged)
        self.profiles, self.default_profile = merged, default
