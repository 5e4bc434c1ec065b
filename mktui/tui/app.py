"""The Textual app: modes for the areas, global keys, the command palette, error routing.

Screens live in :mod:`mktui.tui.screens` (one module each) and are imported only
when first shown, so the first frame needs only Textual and the screen on it.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from mktui.api.errors import ApiError, ErrorKind, SessionExpired
from mktui.core.i18n import N_, _
from mktui.tui import startup_gc
from mktui.tui.key_order import KeysInOrder
from mktui.tui.screens.area import AreaScreen
from mktui.tui.screens.base import TranslatedKeys
from mktui.tui.screens.palette import ConsolePalette
from mktui.tui.services.areas import AREAS
from mktui.tui.services.modes import mode_screens
from mktui.tui.services.money_in_flight import MoneyInFlight
from mktui.tui.services.session import SANDBOX_ACCOUNTS, ClientFactory, ConsoleOptions, Session
from mktui.tui.stylesheet import SteadyStylesheet
from mktui.tui.textual_shim import (
    FatalErrorHook,
    draw_only_what_an_update_shows,
    start_in_mode,
)
from mktui.tui.widgets.text import safe_text

_STYLE_FILES = (
    "app.tcss",
    "signin.tcss",
    "financial.tcss",
    "subscribe.tcss",
    "lists.tcss",
    "records.tcss",
    "payment_methods.tcss",
    "contacts.tcss",
    "history.tcss",
    "subscription.tcss",
    "invoices.tcss",
    "pix_pay.tcss",
)


def style_paths() -> list[Path]:
    """The .tcss files: from the installed package ``mktui.styles``, else the repo's styles/."""
    try:
        root = Path(str(files("mktui.styles")))
    except (ModuleNotFoundError, TypeError):
        root = Path(__file__).resolve().parent.parent / "styles"
    if not (root / _STYLE_FILES[0]).is_file():
        root = Path(__file__).resolve().parent.parent / "styles"
    return [root / name for name in _STYLE_FILES]


def _lazy_screen(target: str) -> Callable[[], Screen]:
    module_name, _sep, class_name = target.partition(":")

    def make() -> Screen:
        return getattr(importlib.import_module(module_name), class_name)()

    return make


def _console_commands():  # noqa: ANN202 - a Provider class, imported when the palette opens
    from mktui.tui.commands import ConsoleCommands

    return ConsoleCommands


class MkApp(FatalErrorHook, TranslatedKeys, KeysInOrder, App[int]):
    """mktui: MKController billing from the keyboard.

    Keys typed faster than they are handled keep their order (:mod:`mktui.tui.key_order`).
    """

    TITLE = "mktui"
    CSS_PATH = style_paths()
    MODES = {
        "signin": _lazy_screen("mktui.tui.screens.signin:SignInScreen"),
        **{mode: _lazy_screen(target) for mode, (_, _, target) in AREAS.items()},
    }
    # Priority bindings run when the key arrives, before the next key of a burst is routed:
    # a non-priority Tab still bubbling up to the app would let the keys typed after it land
    # in the field being left (a password typed into the Email field in plain view).
    # Ctrl+Q is priority too so it quits from dialogs and the command palette, whose
    # modal binding chain stops before the app's ordinary bindings.
    BINDINGS = [
        Binding(
            "ctrl+q", "quit", N_("Quit"), id="app.quit", tooltip=N_("Leave mktui"), priority=True
        ),
        Binding(
            "tab",
            "focus_next",
            N_("Next field"),
            show=False,
            id="app.focus_next",
            tooltip=N_("Move to the next field or list"),
            priority=True,
        ),
        Binding(
            "shift+tab",
            "focus_previous",
            N_("Previous field"),
            show=False,
            id="app.focus_previous",
            tooltip=N_("Move to the previous field or list"),
            priority=True,
        ),
    ]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_console_commands}

    def __init__(
        self,
        options: ConsoleOptions | None = None,
        *,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.options = options or ConsoleOptions()
        draw_only_what_an_update_shows()  # a keystroke redraws its lines, not every widget's
        # The first screen is the first mode's, created when the app composes: no blank
        # default screen is mounted first only to be switched away from.
        start_in_mode(self, "financial" if self._starts_signed_in() else "signin")
        super().__init__()
        self.stylesheet = SteadyStylesheet(variables=self.get_css_variables())
        self.session = Session(self.options, client_factory)
        self.money = MoneyInFlight(self)

    def _money_settled(self, active: bool) -> None:
        """When the last payment has its answer, a "Quit while paying?" question closes itself."""
        if active:
            return
        for screen in self.screen_stack:
            if getattr(screen, "id", None) == "quit-while-paying":
                screen.dismiss(False)
                self.notify(
                    _(
                        "The payment has its answer, so there is nothing to wait for: "
                        "Ctrl+Q quits at once now."
                    ),
                    markup=False,
                )

    def on_mount(self) -> None:
        self.money.changed.subscribe(self, self._money_settled)

        # The collector is held off while the console starts (see mktui.tui.startup_gc): it comes
        # back when the first screen's worker ends, and after a grace period at the latest.
        asyncio.get_running_loop().call_later(startup_gc.GRACE_SECONDS, startup_gc.resume)
        self.call_after_refresh(self._use_keymap)

    def _use_keymap(self) -> None:
        """Rebind keys as the config file's ``[keymap]`` says (see mktui.tui.keymap)."""
        # Imported here, after the first frame: the profiles file code costs 28 ms (-X importtime).
        from mktui.config.profiles import Config, ConfigError
        from mktui.tui.keymap import apply_keymap

        try:
            config = Config.load()
        except ConfigError as error:
            if (error.field or "").startswith("keymap"):
                self.notify(
                    _("{problem} The console keeps its usual keys.").format(problem=error),
                    severity="warning",
                    markup=False,
                )
            return  # any other problem of the file is said where a profile is read
        unknown = apply_keymap(self, config.keymap)
        if unknown:
            self.notify(
                _(
                    "The [keymap] of {path} names {ids}, which no key of the console has; "
                    "the README lists the binding ids. The other keys are rebound."
                ).format(path=config.path, ids=", ".join(unknown)),
                severity="warning",
                markup=False,
            )

    def _starts_signed_in(self) -> bool:
        """True for the sandbox, or when ``MKTUI_TOKEN`` and an API URL skip Sign in."""
        if self.options.sandbox:
            return True
        return bool(os.environ.get("MKTUI_TOKEN") and self.options.api_url)

    async def on_unmount(self) -> None:
        await self.session.close()

    def action_command_palette(self) -> None:
        """Open the command palette (the console's, with its keys on a footer line of its own)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(ConsolePalette(id="--command-palette"))

    def search_themes(self) -> None:
        """The palette's "Theme" command: the themes in the console's palette (its own footer line)."""
        from textual.theme import ThemeProvider  # only when the command is chosen

        self.push_screen(
            ConsolePalette(providers=[ThemeProvider], placeholder=_("Search for themes…"))
        )

    async def action_quit(self) -> None:
        """Quit; while a payment or change is under way, only after saying what that means."""
        # Imported here: the dialogs module and what it loads cost 9 ms of start-up (-X importtime).
        from mktui.tui.screens.dialogs import ConfirmModal

        if not self.money.active:
            self.exit()
            return
        if isinstance(self.screen, ConfirmModal) and self.screen.id == "quit-while-paying":
            return  # already asking

        lines = [
            _(
                "A payment or a change of devices is under way. If its request is on its way to "
                "the server, quitting now leaves its outcome unknown until you open Invoices (i) "
                "next time: it is never charged twice, but check there before paying again."
            ),
            "",
            _("Press y to quit anyway; Escape stays and waits for the answer."),
        ]
        self.push_screen(
            ConfirmModal(
                _("Quit while paying?"), lines, confirm_label=_("Quit"), id="quit-while-paying"
            ),
            callback=lambda quit_: self.exit() if quit_ else None,
        )

    # ------------------------------------------------------------------ navigation
    def open_area(self, mode: str) -> None:
        """Show one of the :data:`AREAS`."""
        if mode not in AREAS or self.current_mode == mode:
            return
        if self.money.any_of(self.screen_stack):
            # Leaving now would let another area reset this one and drop the
            # answer (and the Idempotency-Key) of a payment still in flight.
            self.refuse_while_in_flight(_("open {area}").format(area=_(AREAS[mode][0])))
            return
        self.switch_mode(mode)

    def refuse_while_in_flight(self, doing: str) -> None:
        """Say that ``doing`` (translated) waits until the money in flight has its answer."""
        self.notify(
            self.money.refusal(doing),
            title=_("Not now"),
            severity="warning",
            markup=False,
        )

    def action_open_area(self, mode: str) -> None:
        """Key action behind the sidebar keys."""
        self.open_area(mode)

    async def signed_in(self) -> None:
        """After the Sign in screen succeeded: show the hub, fresh."""
        if mode_screens(self, "financial"):
            await self.remove_mode("financial")
            self.add_mode("financial", self.MODES["financial"])
        await self.switch_mode("financial")

    async def sign_in_again(self, email: str, password: str) -> None:
        """Sign in again after the session ended, on the same server."""
        await self.session.sign_in(self.session.api_url, email, password)

    async def sign_out(self) -> None:
        """End the session (on the server too), forget it, and show Sign in.

        Refused while money is in flight: closing the client now would drop the
        answer to the payment under way.
        """
        if self.money.active:
            self.refuse_while_in_flight(_("sign out"))
            return
        await self.session.sign_out()
        for mode in AREAS:
            if mode_screens(self, mode):
                await self.switch_mode("signin")
                await self.remove_mode(mode)
                self.add_mode(mode, self.MODES[mode])
        await self.switch_mode("signin")
        from mktui.tui.screens.signin import SignInScreen  # imported when first shown

        if isinstance(self.screen, SignInScreen):
            self.screen.signed_out()

    # ------------------------------------------------------------------ errors
    def report_crash(self) -> None:
        """Exit after an unhandled exception with a report that holds nothing typed.

        Textual's own crash report renders every frame's locals, and a frame of
        the sign-in or payment screens may hold a typed password, passphrase,
        card number or token; :mod:`mktui.tui.crash_report` keeps the file and
        line (enough to report a defect) and says what to check next.
        """
        from mktui.tui.crash_report import crash_report  # Rich's traceback: only on a crash

        self.bell()
        self.panic(crash_report())

    def report_error(self, error: BaseException) -> None:
        """The one place worker failures end: a toast, a modal, or sign in again."""
        # Imported here: the dialogs module costs 9 ms of start-up (-X importtime).
        from mktui.tui.screens.dialogs import ErrorModal, SignInAgainModal

        if isinstance(error, SessionExpired):
            if self.session.email and not isinstance(self.screen, SignInAgainModal):
                self.push_screen(
                    SignInAgainModal(self.session.email),
                    callback=self._signed_in_again(self.screen),
                )
            else:
                self.notify(safe_text(error.message), severity="error", markup=False)
            return
        if isinstance(error, ApiError):
            if error.kind in (ErrorKind.UNAVAILABLE, ErrorKind.RATE_LIMITED):
                self.notify(
                    safe_text(error.message), title=_("Try again"), severity="error", markup=False
                )
            else:
                self.push_screen(
                    ErrorModal(_(_TITLES.get(error.kind, _SOMETHING_WRONG)), error.message)
                )
            return
        # Not an API error: a defect. Say so without echoing internals (they may hold input).
        self.log.error("worker failed", type(error).__name__)
        self.push_screen(
            ErrorModal(
                _(_SOMETHING_WRONG),
                _(
                    "mktui hit an unexpected problem ({error}). If it happened "
                    "while paying, open Invoices (i) to see whether the payment went through "
                    "before paying again. Reload the area; if it happens again, report it."
                ).format(error=type(error).__name__),
            )
        )

    def _signed_in_again(self, screen: Screen) -> Callable[[object], None]:
        """After signing in again: reload an area, or say how to go on with a form."""

        def done(ok: object) -> None:
            if not ok:
                return
            if isinstance(screen, AreaScreen):
                screen.action_refresh()
            else:
                self.notify(_("Signed in again. Your input is as you left it; carry on."))

        return done


# Marked only: translated where the error dialog is drawn (report_error).
_SOMETHING_WRONG = N_("Something went wrong")
_TITLES = {
    "not_found": N_("Not found"),
    "conflict": N_("Not possible right now"),
    "payment_failed": N_("Payment failed"),
    "validation": N_("Check what you typed"),
    "unexpected": N_("Unexpected answer from the server"),
    "price_changed": N_("The price changed"),
    "unauthenticated": N_("Signed out"),
}


def terminal_problem(term: str, stdout_tty: bool, stdin_tty: bool) -> str | None:
    """Why this terminal cannot show the console, in a few words, or None when it can.

    Textual on a dumb terminal or into a pipe draws escape codes nobody can read and
    waits for keys that never come; better one line that says where to go instead.
    """
    if term == "dumb":
        return _("TERM is dumb")
    if not stdout_tty:
        return _("its output is not a terminal")
    if not stdin_tty:
        return _("its input is not a terminal")
    return None


def run_console(args: object) -> int:
    """Run the console with ``mktui``'s parsed arguments; returns the exit code.

    ``--profile NAME`` reads the profile's API URL from the config file; with
    ``MKTUI_TOKEN`` set too, the console opens signed in (for automation).
    """
    if getattr(args, "sandbox_account", None) is not None and not getattr(args, "sandbox", False):
        print(
            "mktui: "
            + _(
                "--as chooses a demo account of the sandbox; add --sandbox (e.g. mktui --sandbox --as new)."
            ),
            file=sys.stderr,
        )
        return 2
    # Under `mktui web` textual-serve runs the console with its web driver over pipes:
    # the browser is the terminal.
    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    problem = terminal_problem(os.environ.get("TERM", ""), sys.stdout.isatty(), sys.stdin.isatty())
    if problem and not served:
        print(
            "mktui: "
            + _(
                "the console needs an interactive terminal ({problem}); "
                "for scripts use the subcommands listed by mktui --help."
            ).format(problem=problem),
            file=sys.stderr,
        )
        return 2
    options = ConsoleOptions.from_args(args)
    if options.sandbox and options.sandbox_account not in SANDBOX_ACCOUNTS:
        print(
            "mktui: "
            + _("--as takes one of {accounts} (not {account!r}).").format(
                accounts=", ".join(SANDBOX_ACCOUNTS), account=options.sandbox_account
            ),
            file=sys.stderr,
        )
        return 2
    if options.profile and not options.sandbox:
        # Imported here: the profiles file code costs 28 ms (-X importtime) and only --profile reads it.
        from mktui.config.profiles import Config, ConfigError

        try:
            profile = Config.load().profile(options.profile)
        except ConfigError as error:
            print(f"mktui: {error}", file=sys.stderr)
            return 2
        options.sandbox = profile.sandbox
        options.api_url = None if profile.sandbox else profile.api_url
        options.email = profile.email
    app = MkApp(options)
    app.run()
    return app.return_code or 0
