"""What every console screen shares: worker failures go to the app's one handler."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from mktui.tui import startup_gc

if TYPE_CHECKING:
    from mktui.tui.app import MkApp


class ConsoleScreen(Screen):
    """A screen whose failed workers are reported by :meth:`MkApp.report_error`.

    Workers are started with ``exit_on_error=False``; whatever they raise ends
    up here (``Worker.StateChanged`` does not bubble), and from here in one
    place: retryable → a toast, to read → a modal, session ended → sign in again.
    """

    @property
    def console(self) -> MkApp:
        """The app, typed."""
        return cast("MkApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            startup_gc.resume()  # the first data is in (or not coming): collect cycles again
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.console.report_error(event.worker.error)
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker) -> None:
        """Hook: undo a screen's busy state after ``worker`` failed (errors are already shown)."""


class ConsoleModal(ModalScreen):
    """A modal with the same worker-failure routing as :class:`ConsoleScreen`."""

    @property
    def console(self) -> MkApp:
        """The app, typed."""
        return cast("MkApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.console.report_error(event.worker.error)
