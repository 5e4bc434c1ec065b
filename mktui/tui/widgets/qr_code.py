"""A QR code drawn in the terminal with half-block characters, sized to fit or not drawn.

Each character cell holds two modules, one above the other: ``█`` both dark,
``▀`` top dark, ``▄`` bottom dark, space both light — a code of N modules
takes N columns and N/2 rows. The whole code is drawn black on white, its
quiet zone included, so it scans on a dark terminal as on a light one.

Which code: error correction M (a phone reading a screen) and the standard
quiet zone of four modules when they fit; else a two-module quiet zone; else
correction L. When even that does not fit, :func:`fit` says so and the caller
shows the text alone: a code cut at the edge would not scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

_CHOICES = (("m", 4), ("m", 2), ("l", 2))
"""(error correction, quiet zone in modules), best first."""


@dataclass(frozen=True)
class QrDrawing:
    """A drawn code: its text lines, its QR version and error level, its size in cells."""

    lines: tuple[str, ...]
    version: int
    error: str

    @property
    def width(self) -> int:
        """Columns the code takes."""
        return len(self.lines[0]) if self.lines else 0

    @property
    def height(self) -> int:
        """Rows the code takes."""
        return len(self.lines)


def modules(payload: str, error: str, border: int) -> tuple[list[list[bool]], int]:
    """The code's modules (True is dark), quiet zone included, and its version."""
    import segno  # imported on first draw: the console starts without it

    code = segno.make(payload, error=error, boost_error=False, micro=False)
    matrix = [[bool(cell) for cell in row] for row in code.matrix_iter(scale=1, border=border)]
    return matrix, int(code.version)


def half_blocks(matrix: list[list[bool]]) -> tuple[str, ...]:
    """Two rows of modules per line of text (an odd last row gets a light one below)."""
    lines = []
    for top in range(0, len(matrix), 2):
        upper = matrix[top]
        lower = matrix[top + 1] if top + 1 < len(matrix) else [False] * len(upper)
        lines.append(
            "".join(
                "█" if a and b else "▀" if a else "▄" if b else " "
                for a, b in zip(upper, lower, strict=True)
            )
        )
    return tuple(lines)


def fit(payload: str, *, rows: int, columns: int) -> QrDrawing | None:
    """The best drawing of ``payload`` within ``rows`` × ``columns`` cells, or None."""
    for error, border in _CHOICES:
        matrix, version = modules(payload, error, border)
        if len(matrix) <= columns and (len(matrix) + 1) // 2 <= rows:
            return QrDrawing(half_blocks(matrix), version, error.upper())
    return None


def read_back(lines: tuple[str, ...] | list[str]) -> list[list[bool]]:
    """The modules a drawing shows (the inverse of :func:`half_blocks`), for checking it."""
    matrix: list[list[bool]] = []
    for line in lines:
        matrix.append([ch in "█▀" for ch in line])
        matrix.append([ch in "█▄" for ch in line])
    return matrix


_INK = Style(color="black", bgcolor="white")


class QrCode(Static):
    """Shows a :class:`QrDrawing` black on white; ``drawing`` is None when nothing fits."""

    DEFAULT_CSS = """
    QrCode { width: auto; height: auto; }
    """

    def __init__(self, drawing: QrDrawing | None = None, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.drawing: QrDrawing | None = None
        self.show(drawing)

    def show(self, drawing: QrDrawing | None) -> None:
        """Draw ``drawing`` (None hides the widget)."""
        self.drawing = drawing
        self.display = drawing is not None
        if drawing is not None:
            self.update(Text("\n".join(drawing.lines), style=_INK, no_wrap=True))
