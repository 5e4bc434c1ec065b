"""A profile — which billing API, as whom, in which locale — and the checks on each field.

Every check answers the cleaned value or raises :class:`ConfigError` naming the
field with a sentence saying what to do; none repeats a value that may hold a
secret (a URL with a password in it). Import from :mod:`mktui.config.profiles`, which
re-exports every name here. Pure: neither Textual nor httpx.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mktui.core.i18n import _

DEFAULT_PROFILE = "default"
# The production endpoint; a profile's api_url overrides it.
DEFAULT_API_URL = "https://api.mkcontroller.com"
DEFAULT_LOCALE = "pt_BR"

_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


# ---------------------------------------------------------------- validation
def validate_api_url(url: str, *, field: str = "api_url") -> str:
    """Return ``url`` without its trailing slash, or raise ``ConfigError`` naming ``field``.

    HTTPS is required; plain HTTP is accepted only for a loopback host (a local
    sandbox), because the API carries tokens and card numbers.
    """
    text = url.strip() if isinstance(url, str) else ""
    # urlsplit silently drops tabs and newlines, so it would check another
    # address than the one kept; a control or bidi character would also let
    # `mktui profiles` print something else than what is stored.
    if _unsafe_character(text):
        raise ConfigError(
            _(
                "{field} has a space or a control character in it; type the address without them."
            ).format(field=field),
            field=field,
        )
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        # The address is not repeated: a mistyped one may still carry a password.
        raise ConfigError(
            _(
                "{field} must be a full address such as https://api.example.com; "
                "type it with https:// and the host name."
            ).format(field=field),
            field=field,
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            _(
                "{field} must not contain a user name or password; "
                "sign in with `mktui login` instead."
            ).format(field=field),
            field=field,
        )
    if parts.query or parts.fragment:
        raise ConfigError(
            _("{field} must not have a ?query or #fragment.").format(field=field), field=field
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError:
        raise ConfigError(
            _("{field} has a port that is not a number from 0 to 65535.").format(field=field),
            field=field,
        ) from None
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(
            _(
                "{field} must start with https:// (plain http:// is allowed only for "
                "localhost, such as a local sandbox)."
            ).format(field=field),
            field=field,
        )
    return text.rstrip("/")


def _unsafe_character(text: str) -> bool:
    """True when *text* holds whitespace or a control character (see :func:`_has_control`)."""
    return any(char.isspace() for char in text) or _has_control(text)


def _has_control(text: str) -> bool:
    """True for a control, format (bidi, zero-width), surrogate, private or unassigned character."""
    return any(unicodedata.category(char)[0] == "C" for char in text)


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
            _(
                "The {field} name {name} can only have letters, digits, '-' and '_' (up to 64)."
            ).format(field=field, name=repr(name)),
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
    if _has_control(text):
        # An escape sequence would be printed by `mktui profiles`; a lone
        # surrogate (an undecodable byte) could not even be saved as UTF-8.
        raise ConfigError(
            _("{field} has a control character in it; type the address again.").format(field=field),
            field=field,
        )
    if not _EMAIL.match(text):
        raise ConfigError(
            _("{field} {email} is not an email address.").format(field=field, email=repr(email)),
            field=field,
        )
    return text


def validate_locale(locale: str, *, field: str = "locale") -> str:
    """Return ``locale`` or raise ``ConfigError``: a code such as ``pt_BR`` or ``en_US``."""
    if not isinstance(locale, str) or not _LOCALE.match(locale):
        raise ConfigError(
            _("{field} {locale} is not a locale such as pt_BR or en_US.").format(
                field=field, locale=repr(locale)
            ),
            field=field,
        )
    return locale


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
            raise ConfigError(_("sandbox must be true or false."), field="sandbox")
