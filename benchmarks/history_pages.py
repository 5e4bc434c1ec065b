"""History's "load more" against a plain DataTable appending the same rows, in a real 80×24 pty.

For the 10 000 account of ``scale.py`` (its cached database), this presses ``l``
24 times in History (250 → 5 050 entries) and, in the same run, 24 times in
a plain Textual DataTable app that appends 200 rows of the same shape (four
columns of set widths, rows two lines high, ``str`` cells) and updates a note.
For each press: key → the first byte of the frame, and key → its last byte
(the terminal then silent 40 ms, as ``scale.py`` counts a frame), median and
p95, and the ratio of mktui's to the plain app's. A page drawn in two frames
(the rows, then the scrollbar's thumb a refresh or two later) shows as a gap
between the two figures. Run from the repo root:
``python benchmarks/history_pages.py`` (``--runs 2`` alternates the two apps).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402  (the pty, the databases and the environment of scale.py)

PRESSES = 24

PLAIN = r'''
"""A plain DataTable: 50 rows, then 200 more per l, two lines high, columns of set widths."""
from textual.app import App
from textual.widgets import DataTable, Static

shown = [0]


def rows(n):
    start, shown[0] = shown[0], shown[0] + n
    return [
        (f"{1 + i % 28} Mar 2026\n14:{i % 60:02d}", f"charge\nRenewal for Oct 2026 MK-{i:06d}",
         "R$ 129,00", "R$ 0,00")
        for i in range(start, start + n)
    ]


class Plain(App):
    BINDINGS = [("l", "more", "more")]

    def compose(self):
        yield Static("0 entries so far", id="note")
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self):
        table = self.query_one(DataTable)
        for label, width in (("Date", 11), ("Entry", 30), ("Amount", 10), ("Credit after", 12)):
            table.add_column(label, width=width)
        self.action_more(50)
        table.focus()

    def action_more(self, n=200):
        table = self.query_one(DataTable)
        for cells in rows(n):
            table.add_row(*cells, height=2)
        self.query_one("#note", Static).update(f"{shown[0]} entries so far")


Plain().run()
'''


def pages(term: scale.Term) -> tuple[list[float], list[float]]:
    """Press l PRESSES times: (key → first byte, key → last byte) of each, in ms."""
    firsts, lasts = [], []
    for _ in range(PRESSES):
        term.settle(0.02)
        sent = time.perf_counter()
        os.write(term.master, b"l")
        chunk = term._read(10.0)
        first = last = time.perf_counter()
        while chunk:
            term.seen += chunk
            last = time.perf_counter()
            chunk = term._read(scale.QUIET)
        firsts.append((first - sent) * 1000)
        lasts.append((last - sent) * 1000)
    return firsts, lasts


def mktui(db: Path) -> tuple[list[float], list[float]]:
    """History's pages, from the first page of 50 entries."""
    term = scale.Term([scale.PYTHON, "-m", "mktui", "--sandbox"], scale.env_for(db))
    try:
        term.wait_for("An invoice is overdue")
        term.settle(1.0)
        os.write(term.master, b"h")
        term.wait_for(re.compile(r"entries so far"))
        term.settle(0.5)
        return pages(term)
    finally:
        term.close()


def plain(db: Path, script: Path) -> tuple[list[float], list[float]]:
    """The plain DataTable's pages."""
    term = scale.Term([scale.PYTHON, str(script)], scale.env_for(db))
    try:
        term.wait_for("entries so far")
        term.settle(1.0)
        return pages(term)
    finally:
        term.close()


def p50_p95(values: list[float]) -> tuple[float, float]:
    drawn = sorted(values)
    return statistics.median(drawn), drawn[round(0.95 * (len(drawn) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    db = scale.database(10_000)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "plain_pages.py"
        script.write_text(PLAIN)
        results: dict[str, list[list[float]]] = {k: [[], []] for k in ("mktui", "plain")}
        for _ in range(args.runs):
            for name, run in (("mktui", lambda: mktui(db)), ("plain", lambda: plain(db, script))):
                firsts, lasts = run()
                results[name][0] += firsts
                results[name][1] += lasts
    print(
        f"{'page of 200 (l), ms p50/p95':34} {'mktui History':>16} {'plain DataTable':>16} {'p95 ×':>7}"
    )
    for index, label in enumerate(("key → first byte", "key → last byte (scale.py)")):
        mine = p50_p95(results["mktui"][index])
        base = p50_p95(results["plain"][index])
        print(
            f"{label:34} {mine[0]:7.0f}/{mine[1]:<8.0f} {base[0]:7.0f}/{base[1]:<8.0f}"
            f" {mine[1] / base[1]:6.2f}×"
        )


if __name__ == "__main__":
    main()
