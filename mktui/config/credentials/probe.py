"""Does a secure system keyring work here? One cheap round trip says.

Over SSH there is usually no D-Bus session, so the Secret Service keyring is
unreachable and ``keyring`` falls back to its fail backend, or to file
backends (keyrings.cryptfile, keyrings.alt) that prompt with ``getpass`` on
the terminal — which would freeze a Textual app. The probe therefore only
accepts a backend that is neither a fail/null backend nor a file backend, and
then proves it with a set, get and delete of a probe entry.

``probe_keyring`` is a plain blocking function: the UI runs it in a thread.
"""

from __future__ import annotations

import logging
import os
import secrets
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from mktui.core.i18n import N_, _

log = logging.getLogger(__name__)

SERVICE = "mktui"
# A space keeps it apart from every profile name (letters, digits, - and _).
PROBE_USERNAME = "mktui keyring probe"
DEFAULT_TIMEOUT = 5.0

# Backends that are not a secure OS keyring: they fail, forget, or keep a file
# and ask its password with getpass on the terminal.
_NOT_OS_KEYRINGS = (
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyring.backends.chainer",
    "keyrings.cryptfile",
    "keyrings.alt",
)

# Backends that talk to their keyring daemon over D-Bus (Linux and BSD desktops).
_DBUS_BACKENDS = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
)

#: Marked only: translated where a probe verdict is made (``_(FALLBACK_FIX)``).
FALLBACK_FIX = N_(
    "Keep the sign-in in an encrypted file with a passphrase, for this session only, "
    "or start mktui with --insecure-storage."
)


class ProbeReason(StrEnum):
    """Why the keyring can or cannot be used."""

    OK = "ok"
    NO_BACKEND = "no_backend"
    NO_DBUS = "no_dbus"
    LOCKED = "locked"
    FAILED = "failed"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class KeyringProbe:
    """The probe's verdict: ``ok``, a one-sentence ``sentence`` and the ``fix``.

    ``backend`` is the keyring backend that passed the round trip (None when
    ``ok`` is False); ``KeyringStore`` uses exactly that one.
    """

    ok: bool
    sentence: str
    fix: str
    reason: ProbeReason = ProbeReason.OK
    backend_name: str | None = None
    backend: object | None = field(default=None, repr=False, compare=False)

    @property
    def message(self) -> str:
        """The sentence and the fix, ready to show."""
        return f"{self.sentence} {self.fix}".strip()


def probe_keyring(
    *,
    backend: object | None = None,
    environ: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> KeyringProbe:
    """Find a secure keyring backend and prove it with a set/get/delete round trip.

    ``backend`` replaces ``keyring.get_keyring()`` (tests pass fakes);
    ``environ`` replaces ``os.environ`` for the SSH/D-Bus wording. Never raises,
    never prompts; a backend that hangs (an unlock prompt nobody sees) is given
    up after ``timeout`` seconds.
    """
    env = os.environ if environ is None else environ
    try:
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        chosen, refusal = _pick_backend(backend)
    except Exception as exc:  # noqa: BLE001 - a broken keyring install is a verdict, not a crash
        return _verdict_for(exc, env)
    if chosen is None:
        if refusal is not None:  # e.g. Secret Service, whose rating needs D-Bus
            error, refused = refusal
            return _verdict_for(error, env, over_dbus=_uses_dbus(refused))
        return _no_keyring(env, ProbeReason.NO_BACKEND)

    outcome: list[BaseException | bool] = []
    worker = threading.Thread(
        target=_round_trip, args=(chosen, outcome), name="mktui-keyring-probe", daemon=True
    )
    worker.start()
    worker.join(timeout)
    name = _backend_name(chosen)
    if worker.is_alive() or not outcome:
        log.info("keyring probe: %s did not answer within %ss", name, timeout)
        return KeyringProbe(
            False,
            _(
                "The system keyring did not answer within {seconds} seconds "
                "(it may be waiting for an unlock prompt on another screen)."
            ).format(seconds=f"{timeout:g}"),
            _(FALLBACK_FIX),
            ProbeReason.TIMEOUT,
            name,
        )
    result = outcome[0]
    if isinstance(result, BaseException):
        return _verdict_for(result, env, name, over_dbus=_uses_dbus(chosen))
    if result is not True:
        log.info("keyring probe: %s gave back another value", name)
        return KeyringProbe(
            False,
            _("The system keyring did not give back what mktui stored in it."),
            _(FALLBACK_FIX),
            ProbeReason.FAILED,
            name,
        )
    log.info("keyring probe: %s works", name)
    return KeyringProbe(
        True,
        _("The system keyring ({name}) works; your sign-in will be kept there.").format(name=name),
        "",
        ProbeReason.OK,
        name,
        chosen,
    )


def secure_backend(backend: object) -> object | None:
    """The first OS keyring in ``backend`` (unwrapping a chainer), or None."""
    return _pick_backend(backend)[0]


def _pick_backend(
    backend: object,
) -> tuple[object | None, tuple[BaseException, object] | None]:
    """The first OS keyring, or None and (error, backend) for one that could not rate itself."""
    candidates = getattr(backend, "backends", None)
    if _module_of(backend).startswith("keyring.backends.chainer") and candidates is not None:
        pool = list(candidates)
    else:
        pool = [backend]
    refusal: tuple[BaseException, object] | None = None
    for candidate in pool:
        if _module_of(candidate).startswith(_NOT_OS_KEYRINGS):
            continue
        try:
            if float(candidate.priority) <= 0:
                continue
        except Exception as exc:  # noqa: BLE001 - a backend that cannot rate itself is not usable
            refusal = (exc, candidate)
            continue
        return candidate, None
    return None, refusal


def _uses_dbus(backend: object) -> bool:
    return _module_of(backend).startswith(_DBUS_BACKENDS)


def _round_trip(backend, outcome: list) -> None:
    value = "probe-" + secrets.token_hex(8)
    try:
        backend.set_password(SERVICE, PROBE_USERNAME, value)
        try:
            same = backend.get_password(SERVICE, PROBE_USERNAME) == value
        finally:
            backend.delete_password(SERVICE, PROBE_USERNAME)
        outcome.append(same)
    except BaseException as exc:  # noqa: BLE001 - reported to the caller's thread
        outcome.append(exc)


def _verdict_for(
    exc: BaseException,
    env: Mapping[str, str],
    name: str | None = None,
    *,
    over_dbus: bool = False,
) -> KeyringProbe:
    """Turn a keyring/D-Bus exception into a sentence (never its message: no secrets)."""
    kind = _classify(exc, over_dbus)
    log.info("keyring probe failed: %s (%s)", kind.value, exc.__class__.__name__)
    if kind in (ProbeReason.NO_BACKEND, ProbeReason.NO_DBUS):
        return _no_keyring(env, kind, name)
    if kind is ProbeReason.LOCKED:
        return KeyringProbe(
            False,
            _("The system keyring is locked, so mktui cannot keep your sign-in in it."),
            _(
                "Unlock the keyring and start mktui again, or keep the sign-in in an encrypted "
                "file with a passphrase, or for this session only."
            ),
            kind,
            name,
        )
    return KeyringProbe(
        False,
        _("The system keyring failed when mktui tried it ({error}).").format(
            error=exc.__class__.__name__
        ),
        _(FALLBACK_FIX),
        kind,
        name,
    )


def _classify(exc: BaseException, over_dbus: bool = False) -> ProbeReason:
    from keyring import errors

    if isinstance(exc, errors.KeyringLocked) or _is_named(
        exc, "LockedException", "PromptDismissed"
    ):
        return ProbeReason.LOCKED
    if isinstance(exc, errors.NoKeyringError):
        return ProbeReason.NO_BACKEND
    if isinstance(exc, errors.InitError) or _is_named(
        exc, "SecretServiceNotAvailable", "DBusErrorResponse", "DBus"
    ):
        return ProbeReason.NO_DBUS
    if isinstance(exc, OSError) and over_dbus:
        return ProbeReason.NO_DBUS  # the bus socket is missing or refused the connection
    return ProbeReason.FAILED


def _is_named(exc: BaseException, *names: str) -> bool:
    # secretstorage and jeepney are optional (absent on macOS and Windows), so
    # their exceptions are recognised by class name along the MRO.
    return any(any(cls.__name__.startswith(name) for name in names) for cls in type(exc).__mro__)


def _no_keyring(
    env: Mapping[str, str], reason: ProbeReason, name: str | None = None
) -> KeyringProbe:
    over_ssh = any(env.get(key) for key in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))
    needs_dbus = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
    no_dbus = needs_dbus and not env.get("DBUS_SESSION_BUS_ADDRESS")
    if over_ssh and (no_dbus or reason is ProbeReason.NO_DBUS):
        sentence = _("No keyring is reachable over this SSH session (no D-Bus).")
        reason = ProbeReason.NO_DBUS
    elif no_dbus:
        sentence = _(
            "No keyring is reachable: this session has no D-Bus, which the system keyring needs."
        )
        reason = ProbeReason.NO_DBUS
    elif reason is ProbeReason.NO_DBUS:
        sentence = _(
            "No keyring is reachable: the D-Bus session bus the system keyring needs "
            "does not answer."
        )
    else:
        sentence = _("No system keyring is installed or running on this machine.")
    return KeyringProbe(False, sentence, _(FALLBACK_FIX), reason, name)


def _module_of(obj: object) -> str:
    return type(obj).__module__ or ""


def _backend_name(backend: object) -> str:
    return getattr(type(backend), "name", None) or type(backend).__name__
