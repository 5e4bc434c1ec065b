"""The language mktui speaks: gettext catalogs for en, pt_BR, es and fr.

Strings a person reads are written in English in the code and looked up in
``mktui/locale/<language>/LC_MESSAGES/mktui.mo`` (compiled from the ``.po``
catalogs next to them; docs/translating.md says how to extract and compile).

- ``_("text")`` translates now, in the language chosen by ``use()``.
- ``N_("text")`` only marks a string for extraction: for text defined at import
  time (binding labels, column titles), which is translated where it is shown,
  so that the language chosen after the import still applies.
- ``ngettext(singular, plural, n)`` for sentences that count.
- ``pgettext(context, text)`` when one English word means two things.

The language comes from ``--lang``, then the profile's ``locale``, then the
environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), then English:
see ``choose_language``. Server messages are shown as the server sends them.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from mktui.core import dates

DOMAIN = "mktui"
#: The languages with a complete catalog; the first is the source language.
LANGUAGES: tuple[str, ...] = ("en", "pt_BR", "es", "fr")
#: What a bare language code means: Portuguese is Brazil's, as MKController's customers read it.
_BY_LANGUAGE = {"en": "en", "pt": "pt_BR", "es": "es", "fr": "fr"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def supported(code: str | None) -> str | None:
    """The catalog for a locale code (``pt_BR.UTF-8``, ``pt-br``, ``es_MX``, ``fr``), or None.

    Region variants fall back to the language's catalog (``es_MX`` reads ``es``);
    ``C``/``POSIX`` and languages without a catalog give None.
    """
    if not code:
        return None
    base = code.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if base in LANGUAGES:
        return base
    language, _sep, region = base.partition("_")
    if language.lower() == "pt" and region.upper() == "BR":
        return "pt_BR"
    return _BY_LANGUAGE.get(language.lower())


def choose_language(
    flag: str | None = None,
    profile_locale: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to speak: ``--lang``, else the profile's locale, else the environment, else en.

    A ``--lang`` without a catalog is a usage error (``ValueError`` naming the
    choices); a profile locale or an environment without one is passed over, so a
    ``de_DE`` profile still formats money in German and reads English words.
    """
    if flag is not None:
        chosen = supported(flag)
        if chosen is None:
            raise ValueError(f"--lang takes one of {', '.join(LANGUAGES)} (not {flag!r}).")
        return chosen
    chosen = supported(profile_locale)
    if chosen:
        return chosen
    env = os.environ if environ is None else environ
    code = _environment_code(env)
    return supported(code) if code else "en"


def environment_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The first locale of the environment with a catalog, as ``xx_YY`` (``en_US.UTF-8`` → ``en_US``).

    What a new profile's ``locale`` starts at, so that signing in keeps the
    language the admin's terminal already speaks.
    """
    code = _environment_code(os.environ if environ is None else environ)
    if code is None:
        return None
    base = code.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    language, _sep, region = base.partition("_")
    return f"{language.lower()}_{region.upper()}" if region else language.lower()


def _environment_code(env: Mapping[str, str]) -> str | None:
    """The environment's first locale code with a catalog; None for none, or for ``C``/``POSIX``.

    gettext's order: LANGUAGE (a colon-separated list of preferences), LC_ALL,
    LC_MESSAGES, LANG. ``LC_ALL=C`` is how scripts ask for stable, untranslated
    output, so a C or POSIX locale met on the way means English, as gettext reads
    it; a language without a catalog is passed over.
    """
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for code in env.get(name, "").split(":"):
            if code.split(".", 1)[0] in ("C", "POSIX"):
                return None
            if supported(code):
                return code
    return None


def use(language: str) -> None:
    """Speak ``language`` from now on (one of ``LANGUAGES``)."""
    global _translations, _language
    if language not in LANGUAGES:
        raise ValueError(f"no catalog for {language!r}; mktui speaks {', '.join(LANGUAGES)}.")
    if language == _language and (language == "en" or _translations.info()):
        return  # already speaking it: nothing loaded, nothing freed
    _translations = _gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
    )
    _language = language


def current() -> str:
    """The language in use (``en`` until ``use`` is called)."""
    return _language


def _(message: str) -> str:
    """``message`` in the language in use (the empty string stays empty, not the catalog header)."""
    return _translations.gettext(message) if message else message


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``message`` for the catalogs without translating it yet (see the module doc)."""
    return message


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in use, as meant in ``context`` ("Open" an invoice, or "Open" invoices)."""
    return _translations.pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for ``n``, in the language in use."""
    return _translations.ngettext(singular, plural, n)


def format_day(day: date) -> str:
    """A calendar date as people read it in the language in use: ``1 Dec 2026``, ``1 dez 2026``."""
    from babel.dates import format_date  # Babel's date data loads on first use

    if _language == "en":
        return dates.format_date(day)  # the house style, whatever Babel's en (or LC_TIME) says
    # Without the abbreviation's full stop ("1 dez 2026"): as short as the English, so a
    # date and an amount still share one line of the preview at 80 columns.
    return format_date(day, "d MMM y", locale=_language).replace(".", "")


def format_month(day: date) -> str:
    """A month as people read it in the language in use: ``Mar 2028``, ``mar 2028``."""
    from babel.dates import format_date

    if _language == "en":
        return dates.format_month(day)
    return format_date(day, "MMM y", locale=_language).replace(".", "")


def format_period(start: date, end: date) -> str:
    """A date range as people read it in the language in use: ``26–30 Nov 2026``, ``26–30 nov 2026``.

    :func:`mktui.core.dates.format_period`'s shortening (a shared month or year is
    said once), with the month names of :func:`format_day`.
    """
    if _language == "en":
        return dates.format_period(start, end)
    return dates.format_period(start, end, whole=format_day, day_month=_day_month)


def _day_month(day: date) -> str:
    from babel.dates import format_date

    return format_date(day, "d MMM", locale=_language).replace(".", "")
