"""An area of the console: the account bar, the sidebar, the area's body and the footer."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical

from mktui.core.i18n import N_, _
from mktui.tui.screens.base import ConsoleScreen
from mktui.tui.services.areas import AREAS
from mktui.tui.widgets.account_bar import AccountBar
from mktui.tui.widgets.key_hints import KeyHints
from mktui.tui.widgets.sidebar import Sidebar


class AreaScreen(ConsoleScreen):
    """Base of the sidebar areas (Financial, Invoices, Payment methods)."""

    MODE = ""
    TITLE_TEXT = ""

    BINDINGS = [
        *(
            # The sidebar shows every area's key: the footer keeps its room for the area's actions.
            Binding(
                key,
                f"app.open_area('{mode}')",
                title,
                id=f"area.{mode}",
                tooltip=N_("Open this area"),
                show=False,
            )
            for mode, (title, key, _target) in AREAS.items()
        ),
        Binding(
            "r", "refresh", N_("Refresh"), id="area.refresh", tooltip=N_("Load this area again")
        ),
        Binding("escape", "back", N_("Back"), id="area.back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield AccountBar(self.TITLE_TEXT, id="account-bar")
        with Horizontal(id="area"):
            yield Sidebar(
                [(mode, _(title), key) for mode, (title, key, _target) in AREAS.items()],
                self.MODE,
                id="sidebar",
            )
            with Vertical(id="area-body"):
                yield from self.compose_body()
        yield KeyHints()

    def compose_body(self) -> ComposeResult:
        """The area's own widgets."""
        yield from ()

    def on_screen_resume(self) -> None:
        account = self.console.session.account
        if account is not None:
            self.query_one(AccountBar).show_account(account.name, account.status)

    @on(Sidebar.Chosen)
    def _open(self, event: Sidebar.Chosen) -> None:
        self.console.open_area(event.mode)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """This area's own command palette entries: ``(group: verb, help, callback)``.

        Areas extend it so each screen owns its commands; the palette adds
        them to the app-wide ones while the area is showing.
        """
        title = _(self.TITLE_TEXT)
        return [
            (
                _("{area}: Refresh").format(area=title.lower()),
                _("Load {area} again (r)").format(area=title),
                self.action_refresh,
            )
        ]

    def action_refresh(self) -> None:
        """Load the area's data again."""

    def action_back(self) -> None:
        """Escape: back to the hub from another area."""
        if self.MODE != "financial":
            self.console.open_area("financial")
