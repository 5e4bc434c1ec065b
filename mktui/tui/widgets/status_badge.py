"""The account status as a coloured badge that still reads without colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from mktui.core.i18n import N_, _

_LABELS = {
    "inactive": N_("INACTIVE"),
    "active": N_("ACTIVE"),
    "past_due": N_("PAST DUE"),
    "suspended": N_("SUSPENDED"),
}


class StatusBadge(Static):
    """Shows ``active`` / ``past_due`` / ``inactive`` / ``suspended`` in words (colour is extra)."""

    DEFAULT_CSS = """
    StatusBadge {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    StatusBadge.-active { background: $success; color: $text; }
    StatusBadge.-past_due { background: $error; color: $text; }
    StatusBadge.-suspended { background: $error-darken-2; color: $text; }
    StatusBadge.-inactive { background: $warning; color: $text; }
    """

    def __init__(self, status: str | None = None, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.status = status
        if status:
            self.set_status(status)

    def set_status(self, status: str | None) -> None:
        """Show ``status``; an unknown value is shown literally in neutral colours."""
        self.status = status
        for name in _LABELS:
            self.remove_class(f"-{name}")
        if status is None:
            self.update("")
            return
        if status in _LABELS:
            self.add_class(f"-{status}")
        label = _LABELS.get(status)
        self.update(Content(_(label) if label else status.upper()))
