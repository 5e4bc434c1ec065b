"""The pro-rated preview: one formula per line, credit, total due now, next renewal.

It shows a :class:`mktui.core.pricing.Preview` — computed locally on every
keystroke, or the server's answer checked and converted by
:meth:`mktui.api.models.Preview.priced` — and never computes anything itself.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from mktui.core.i18n import _, format_day
from mktui.tui.widgets.money import format_money, locale_for
from mktui.tui.widgets.text import safe_text

if TYPE_CHECKING:
    from mktui.core import pricing


def format_date(day: date) -> str:
    """A calendar date as people read it in the language in use: ``1 Dec 2026``."""
    return format_day(day)


def differences(
    local: pricing.Preview, server: pricing.Preview, locale: str | None = None
) -> list[str]:
    """Sentences naming where the server's preview differs from the local one (empty: they agree)."""
    loc = locale_for(server.currency, locale)
    found: list[str] = []
    pairs = [
        (
            _("The server's total due now is {theirs}; this console computed {mine}."),
            local.total,
            server.total,
        ),
        (
            _("The server's credit applied is {theirs}; this console computed {mine}."),
            local.credit_applied,
            server.credit_applied,
        ),
        (
            _("The server's next renewal amount is {theirs}; this console computed {mine}."),
            local.next_renewal_amount,
            server.next_renewal_amount,
        ),
    ]
    for sentence, mine, theirs in pairs:
        if mine != theirs:
            found.append(
                sentence.format(theirs=format_money(theirs, loc), mine=format_money(mine, loc))
            )
    if local.next_renewal_date != server.next_renewal_date:
        found.append(
            _("The server renews on {theirs}; this console expected {mine}.").format(
                theirs=format_date(server.next_renewal_date),
                mine=format_date(local.next_renewal_date),
            )
        )
    if [line.amount for line in local.lines] != [
        line.amount for line in server.lines
    ] and not found:
        found.append(_("The server splits the charge into different lines; its lines are shown."))
    return found


class PreviewPanel(Vertical):
    """Shows one preview, or a sentence saying why there is none yet."""

    DEFAULT_CSS = """
    PreviewPanel { height: auto; padding: 0 1; }
    PreviewPanel > .preview--title { text-style: bold; color: $primary; }
    PreviewPanel > .preview--body { height: auto; }
    PreviewPanel > .preview--note { color: $text-muted; height: auto; }
    PreviewPanel.-differs > .preview--note { color: $warning; }
    """

    def __init__(self, title: str | None = None, *, locale: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = title or _("Preview")
        self._locale = locale
        self.preview: pricing.Preview | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(self._title), classes="preview--title")
        yield Static("", classes="preview--body")
        yield Static("", classes="preview--note")

    def set_title(self, title: str) -> None:
        """Change the heading (e.g. "Local preview" → "Server preview")."""
        self._title = title
        self.query_one(".preview--title", Static).update(Content(title))

    def show_message(self, message: str) -> None:
        """No preview: say why (e.g. which field to fix first)."""
        self.preview = None
        self.query_one(".preview--body", Static).update(Content(message))

    def set_note(self, note: str, *, differs: bool = False) -> None:
        """A line under the figures (e.g. how the server's preview compares)."""
        self.set_class(differs, "-differs")
        self.query_one(".preview--note", Static).update(Content(note))

    def show(self, preview: pricing.Preview) -> None:
        """Display ``preview``: formula per line, credit, total due now, next renewal."""
        self.preview = preview
        self._render_body()

    def on_resize(self) -> None:
        if self.preview is not None:
            self._render_body()  # a formula may fit on one line now, or no longer

    def _render_body(self) -> None:
        assert self.preview is not None
        body = self.query_one(".preview--body", Static)
        width = body.content_size.width or None  # unknown before the first layout
        body.update(render_preview(self.preview, self._locale, width=width))


def render_preview(
    preview: pricing.Preview, locale: str | None = None, *, width: int | None = None
) -> Content:
    """The preview as lines of literal text (descriptions from the server are never markup).

    A formula too long for ``width`` puts its result on a line of its own
    (``= R$ 10,75``) rather than letting the wrap split an amount in two.
    """
    loc = locale_for(preview.currency, locale)
    rows: list[Content] = []
    for line in preview.lines:
        rows.append(Content(safe_text(line.text())).stylize("bold"))
        formula = "  " + line.formula(loc)
        if width is not None and len(formula) > width:
            how, _sep, result = formula.rpartition(" = ")
            rows.append(Content(how))
            rows.append(Content(f"  = {result}"))
        else:
            rows.append(Content(formula))

    labels = {
        "subtotal": _("Subtotal"),
        "granted": _("Credit granted"),
        "applied": _("Credit applied"),
        "total": _("Total due now"),
        "renewal": _("Next renewal"),
    }
    # The figures line up after the longest label of the language in use (16 in English).
    column = max(16, max(len(label) for label in labels.values()) + 1)

    def row(key: str, value: str, style: str = "") -> Content:
        text = Content(f"{labels[key]:<{column}}{value}")
        return text.stylize(style) if style else text

    rows.append(row("subtotal", format_money(preview.subtotal, loc)))
    if preview.credit_granted.minor:
        rows.append(row("granted", format_money(preview.credit_granted, loc)))
    rows.append(row("applied", "− " + format_money(preview.credit_applied, loc)))
    rows.append(row("total", format_money(preview.total, loc), "bold"))
    rows.append(
        row(
            "renewal",
            f"{format_date(preview.next_renewal_date)} · "
            f"{format_money(preview.next_renewal_amount, loc)}",
        )
    )
    return Content("\n").join(rows)
