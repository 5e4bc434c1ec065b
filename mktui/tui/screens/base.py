"""What every console screen shares: worker failures go to the app's one handler."""

from __future__ import annotations

from typing import cast

from textual import events
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from mktui.core.i18n import N_, _
from mktui.tui import startup_gc
from mktui.tui.console import Console
from mktui.tui.textual_shim import translate_bindings
from mktui.tui.widgets.key_hints import KeyHints

# Textual's own words on the app's bindings (the command palette's key, added by
# App.__init__): marked here so the catalogs hold them and translate_bindings finds them.
TEXTUAL_BINDING_WORDS = (N_("palette"), N_("Open the command palette"))


class TranslatedKeys:
    """Mixin for a screen or app: its keys' descriptions in the admin's language.

    Binding texts are marked with ``N_`` where they are declared (at import,
    before the language is chosen) and translated here, per instance.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self, _)  # type: ignore[arg-type]


class DialogKeys(TranslatedKeys):
    """Mixin for a modal screen: its keys in the admin's language, on a footer line of its own.

    Textual does not repaint the screen under a modal: without its own line, the
    bottom row would go on offering the keys of the screen below, which do
    nothing while the dialog is open. The line lists the dialog's keys and the
    app's priority ones (Ctrl+Q quits from anywhere).
    """

    def _on_mount(self, event: events.Mount) -> None:
        # Textual calls each class's handler along the MRO, so a dialog's own
        # on_mount runs too; the underscore name keeps this one out of the chain a
        # dialog's ``super().on_mount()`` follows (it would mount a second line).
        self.mount(KeyHints())  # type: ignore[attr-defined]


class ConsoleScreen(TranslatedKeys, Screen):
    """A screen whose failed workers are reported by :meth:`Console.report_error`.

    Workers are started with ``exit_on_error=False``; whatever they raise ends
    up here (``Worker.StateChanged`` does not bubble), and from here in one
    place: retryable → a toast, to read → a modal, session ended → sign in again.
    """

    @property
    def console(self) -> Console:
        """The app, as far as screens may use it."""
        return cast(Console, self.app)

    @property
    def busy(self) -> bool:
        """Whether this screen waits for the answer to a payment or change (``console.money``)."""
        return self.console.money.held_by(self)

    def begin_money(self, what: str = N_("a payment")) -> None:
        """Hold this screen until :meth:`end_money`: a payment or change is starting here.

        ``what`` names it (marked with ``N_``): it is kept in the language in use.
        """
        self.console.money.begin(self, _(what))

    def end_money(self) -> None:
        """The payment or change started here has its answer (or gave up)."""
        self.console.money.end(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            startup_gc.resume()  # the first data is in (or not coming): collect cycles again
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.console.report_error(event.worker.error)
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Hook: undo a screen's busy state after ``worker`` failed (errors are already shown)."""


class ConsoleModal(DialogKeys, ModalScreen):
    """A modal with the same worker-failure routing as :class:`ConsoleScreen`."""

    @property
    def console(self) -> Console:
        """The app, as far as screens may use it."""
        return cast(Console, self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.console.report_error(event.worker.error)
