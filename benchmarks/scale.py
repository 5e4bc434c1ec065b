"""Big accounts and the cost of a keystroke: mktui against a plain DataTable, in a real 80×24 pty.

For accounts of 100, 10 000 and 100 000 invoices and ledger rows (built with
the sandbox's own seed, ``seed(history=N)``: the billing code issues, charges
and records each one; cached under ``benchmarks/.cache``), this measures

- launch → Invoices rows (spawn, press i, until the first invoice number shows);
- Down and PageDown/PageUp → frame (key written → the terminal output goes
  quiet), median and p95 of ≥ 60 presses, and the bytes each frame writes, for
  Downs that only move the cursor and Downs that scroll the table; each key is
  pressed in the console and in the plain DataTable app in turn, so both meet
  the machine's load of the same moment;
- History to the 5 000th row (``l`` until the note counts 5 000 entries),
  each page's key → frame, and each page's UI time: the console's CPU from one
  ``l`` to the next (its in-process server's time in it; key → frame also
  holds Textual's wait before it repaints the scrollbar, which is not work);
- RSS of the console idle on the hub, and after visiting every area (Invoices
  paged to its 500th row, History to its 5 000th), next to the stack's floor:
  ``benchmarks/memory_floor.py``, a one-line app holding the sandbox in
  process, one signed-in GET, one pydantic model and Babel's money format;
- a filtered or searched page of GET /v1/invoices against an unfiltered one,
  in process (the sandbox's own app over httpx's ASGI transport).

Every figure of the console is set against a plain Textual DataTable app
showing the same rows in the same run (``BASELINE`` below), started the same
way. Prints a table, writes ``benchmarks/results/scale.json`` and ends with
one line naming each target missed, or "all targets met"; exits 1 when one
is missed. Run from the repo root: ``python benchmarks/scale.py``
(``--sizes 100,10000`` for a shorter run, ``--presses 60``).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
ANSI = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
QUIET = 0.04
"""A frame is over when the terminal has been silent this long (not counted in the latency)."""

KEYS = {"down": b"\x1b[B", "up": b"\x1b[A", "pagedown": b"\x1b[6~", "pageup": b"\x1b[5~"}
KEYS["home"] = b"\x1b[1;5H"  # ctrl+home: the cursor to the first row, in both apps

BASELINE = r'''
"""A plain Textual DataTable with the newest invoices of the same database, as mktui shows them."""
import sqlite3, sys
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Static

db, count = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(db)
rows = conn.execute(
    "SELECT i.number, i.due_date, i.status, i.total, i.id FROM invoices i JOIN accounts a "
    "ON a.id = i.account_id WHERE a.email = 'demo@mkcontroller.test' "
    "ORDER BY i.seq DESC LIMIT ?", (count,)
).fetchall()


class Plain(App):
    def compose(self):
        yield Static("BASELINE READY")
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Number", "Due", "Status", "Total", "Due now")
        for number, due, status, total, key in rows:
            money = f"R$ {total / 100:,.2f}"
            table.add_row(Text(number), Text(due), Text(status), Text(money), Text(money), key=key)
        table.focus()


Plain().run()
'''


# ---------------------------------------------------------------- the databases
def database(size: int) -> Path:
    """A sandbox database whose demo account holds ``size`` more invoices (built once, cached)."""
    from mktui.sandbox import seed
    from mktui.sandbox.store import Store

    folder = CACHE / f"scale-{size}" / "data" / "mktui"
    path = folder / "sandbox.db"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    partial = folder / "building.db"
    for leftover in folder.glob("building.db*"):
        leftover.unlink()
    seed.ensure_seeded(Store(partial), datetime.now(UTC), history=size)
    import sqlite3

    conn = sqlite3.connect(partial)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    partial.rename(path)
    print(f"  built the {size:,}-invoice database in {time.perf_counter() - started:.0f} s")
    return path


# ---------------------------------------------------------------- the pseudo-terminal
class Term:
    """A program in an 80×24 pty: write keys, read what it draws, with timestamps."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
            start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.seen = b""

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.master, 1 << 16)
        except OSError:
            raise RuntimeError(f"the program ended: {self.text()[-600:]}") from None

    def text(self) -> str:
        """What was drawn lately, escapes removed."""
        return ANSI.sub(b"", self.seen[-60000:]).decode("utf-8", "replace")

    def wait_for(self, marker: str | re.Pattern[str], timeout: float = 120.0) -> float:
        """Read until ``marker`` shows; the time since launch."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            chunk = self._read(0.05)
            if chunk:
                self.seen += chunk
                tail = ANSI.sub(b"", self.seen[-30000:]).decode("utf-8", "replace")
                found = marker.search(tail) if isinstance(marker, re.Pattern) else marker in tail
                if found:
                    return time.perf_counter() - self.started
        raise TimeoutError(f"{marker!r} did not show: {self.text()[-800:]!r}")

    def settle(self, quiet: float = 0.3) -> None:
        """Read until the screen has been still for ``quiet`` seconds."""
        last = time.perf_counter()
        while time.perf_counter() - last < quiet:
            chunk = self._read(0.02)
            if chunk:
                self.seen += chunk
                last = time.perf_counter()

    def press(self, key: str, wait: float = 2.0) -> tuple[float, int]:
        """Write ``key``; (seconds until the frame's last byte, bytes written), or (nan, 0)."""
        self.settle(0.02)
        sent = time.perf_counter()
        os.write(self.master, KEYS.get(key, key.encode()))
        first = self._read(wait)
        if not first:
            return float("nan"), 0
        size, last = len(first), time.perf_counter()
        self.seen += first
        while True:
            chunk = self._read(QUIET)
            if not chunk:
                return last - sent, size
            self.seen += chunk
            size, last = size + len(chunk), time.perf_counter()

    def rss_mib(self) -> float:
        """The program's resident memory (the pty's child process), MiB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def cpu_s(self) -> float:
        """CPU time the program's threads have run so far, s (the scheduler's ns, not 10 ms ticks)."""
        total = 0
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                pass  # a thread that ended while read
        return total / 1e9

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def env_for(db: Path) -> dict[str, str]:
    """mktui's environment: the database under its own XDG data dir, a private config dir."""
    home = db.parent.parent.parent
    env = dict(os.environ)
    env.update(
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        LANG="en_US.UTF-8",
    )
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    return env


def quantiles(values: list[float]) -> dict[str, float]:
    """Median and p95 of the presses that drew a frame, in ms."""
    drawn = sorted(v * 1000 for v in values if v == v)
    if not drawn:
        return {"p50": float("nan"), "p95": float("nan"), "n": 0}
    p95 = drawn[min(len(drawn) - 1, round(0.95 * (len(drawn) - 1)))]
    return {"p50": statistics.median(drawn), "p95": p95, "n": len(drawn)}


def keystrokes(terms: list[Term], presses: int) -> list[dict[str, object]]:
    """Down and PageDown/PageUp → frame, and the bytes of each Down, from the first row.

    Each key goes to every program in turn (which one goes first alternates), so the
    console and the plain DataTable meet the same load of this shared machine: a
    ratio of two runs minutes apart moved with the neighbours' load by half.
    """
    taken: list[dict[str, list[tuple[float, int]]]] = [
        {"moves": [], "scrolls": [], "pages": []} for _ in terms
    ]
    turn = 0

    def press(key: str, into: str | None) -> None:
        nonlocal turn
        order = list(enumerate(terms))
        if turn % 2:
            order.reverse()
        turn += 1
        for i, term in order:
            result = term.press(key)
            if into is not None:
                taken[i][into].append(result)

    # Downs that only move the cursor: the first 8 rows of the screen, again and again.
    while len(taken[0]["moves"]) < presses:
        press("home", None)
        for _ in range(8):
            press("down", "moves")
    press("home", None)
    # Downs that scroll: past the screen's last row.
    for n in range(presses + 15):
        press("down", "scrolls" if n >= 15 else None)
    for _ in range(presses // 2):
        press("pagedown", "pages")
        press("pageup", "pages")
        turn += 1  # so PageDown (and PageUp) goes first to each program in turn
    out = []
    for t in taken:
        moves, scrolls = [v for v, _ in t["moves"]], [v for v, _ in t["scrolls"]]
        out.append({
            "down": quantiles(moves + scrolls),
            "down_no_scroll": quantiles(moves),
            "down_scroll": quantiles(scrolls),
            "page": quantiles([v for v, _ in t["pages"]]),
            "bytes_down_no_scroll": statistics.median(n for _, n in t["moves"]),
            "bytes_down_scroll": statistics.median(n for _, n in t["scrolls"]),
        })  # fmt: skip
    return out


# ---------------------------------------------------------------- one size
def measure_mktui(
    db: Path, size: int, presses: int, history_rows: int
) -> tuple[dict[str, object], dict[str, object]]:
    """Everything measured on the console for one database, and the plain DataTable's keys."""
    term = Term([PYTHON, "-m", "mktui", "--sandbox"], env_for(db))
    try:
        term.wait_for("An invoice is overdue")
        term.settle(2.0)
        out: dict[str, object] = {"rss_idle_mib": term.rss_mib()}
        os.write(term.master, b"i")
        sent = time.perf_counter()
        term.wait_for(re.compile(r"(invoices so far|All \d+ invoices)"))
        out["invoices_rows_after_key_s"] = time.perf_counter() - sent
        term.settle(0.5)
        # The plain DataTable with the same rows, pressed key for key with the console.
        base_term = Term(baseline_argv(db, min(size + 13, 200)), env_for(db))
        try:
            base_term.wait_for("BASELINE READY")
            base_term.settle(2.0)
            base: dict[str, object] = {"rss_idle_mib": base_term.rss_mib()}
            mine_keys, base_keys = keystrokes([term, base_term], presses)
        finally:
            base_term.close()
        out.update(mine_keys)
        base.update(base_keys)
        # Page Invoices to its 500th row (cursor near the end fetches the next page).
        for _ in range(60):
            term.press("pagedown")
        term.settle(1.0)
        # History to the history_rows-th entry.
        wanted = min(history_rows, size)
        os.write(term.master, b"h")
        started = time.perf_counter()
        term.wait_for(re.compile(r"(\d+) entries so far|All \d+ entries"))
        term.settle(0.3)
        page_times, page_cpu = [], []
        cpu_before = None
        while True:
            notes = re.findall(r"(?:(\d+) entries so far|All (\d+) entries)", term.text()[-6000:])
            if not notes or notes[-1][1] or int(notes[-1][0]) >= wanted:
                break
            # A page's UI time: the console's CPU from one `l` to the next, so the page's
            # rows, its frames and the read-ahead of the next one are each counted once.
            cpu_now = term.cpu_s()
            if cpu_before is not None:
                page_cpu.append(cpu_now - cpu_before)
            cpu_before = cpu_now
            took, _ = term.press("l", wait=10.0)
            page_times.append(took)
        if cpu_before is not None:
            term.settle(0.3)
            page_cpu.append(term.cpu_s() - cpu_before)
        out["history_to_row_s"] = time.perf_counter() - started
        out["history_rows"] = wanted
        out["history_page"] = quantiles(page_times)
        out["history_page_cpu"] = quantiles(page_cpu)
        for area in "umcf":
            os.write(term.master, area.encode())
            term.settle(0.8)
        term.settle(2.0)
        out["rss_after_areas_mib"] = term.rss_mib()
        return out, base
    finally:
        term.close()


def measure_launch(db: Path, runs: int = 3) -> float:
    """Launch → the Invoices rows (spawn, first frame, i), median seconds."""
    times = []
    for _ in range(runs):
        term = Term([PYTHON, "-m", "mktui", "--sandbox"], env_for(db))
        try:
            term.wait_for("Payment methods")
            os.write(term.master, b"i")
            times.append(term.wait_for(re.compile(r"MK-\d{6}")))
        finally:
            term.close()
    return statistics.median(times)


def baseline_argv(db: Path, rows: int) -> list[str]:
    """The command of the plain DataTable app showing ``rows`` invoices of ``db``."""
    script = CACHE / "baseline_app.py"
    script.write_text(BASELINE)
    return [PYTHON, str(script), str(db), str(rows)]


def measure_baseline_launch(db: Path, rows: int) -> float:
    """The plain DataTable app's launch → rows, median of three, s."""
    launches = []
    for _ in range(3):
        term = Term(baseline_argv(db, rows), env_for(db))
        try:
            launches.append(term.wait_for(re.compile(r"MK-\d{6}")))
        finally:
            term.close()
    return statistics.median(launches)


def measure_floor(db: Path) -> float:
    """RSS idle of benchmarks/memory_floor.py: the stack with the sandbox in process, MiB."""
    term = Term([PYTHON, str(ROOT / "benchmarks" / "memory_floor.py"), str(db)], env_for(db))
    try:
        term.wait_for("FLOOR READY")
        term.settle(2.0)
        return term.rss_mib()
    finally:
        term.close()


async def _page_times(db: Path, repeat: int = 40) -> dict[str, float]:
    """GET /v1/invoices in process: median ms of each filter's first and a deep page."""
    import httpx

    from mktui.api.client import SANDBOX_URL, BillingClient
    from mktui.sandbox.app import create_app

    app = create_app(db)
    client = BillingClient(
        SANDBOX_URL, transport=httpx.ASGITransport(app=app), allow_insecure_http=True
    )
    await client.sign_in("demo@mkcontroller.test", "sandbox")
    from datetime import date

    cases = {
        "unfiltered": {},
        "status=paid": {"status": "paid"},
        "status=void": {"status": "void"},
        "q=MK-0000 (narrow)": {"q": "MK-0000"},
        "q=MK- (every invoice)": {"q": "MK-"},
        "from/to (one month)": {
            "issued_from": date(2025, 1, 1), "issued_to": date(2025, 1, 31)
        },
        "from (open end)": {"issued_from": date(2000, 1, 1)},
    }  # fmt: skip
    # The cases take turns, a request each, so a change in the machine's load meets them all.
    deep = {}
    for name, filters in cases.items():
        deep[name] = (await client.invoices(limit=100, **filters)).next_cursor
    times: dict[str, list[float]] = {name: [] for name in cases}
    for n in range(repeat):
        for name, filters in cases.items():
            started = time.perf_counter()
            await client.invoices(limit=100, cursor=deep[name] if n % 2 else None, **filters)
            times[name].append(time.perf_counter() - started)
    out = {name: statistics.median(taken) * 1000 for name, taken in times.items()}
    await client.aclose()
    return out


# ---------------------------------------------------------------- the report
def main() -> int:  # noqa: C901, PLR0912, PLR0915 - one report, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--history", type=int, default=5000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    CACHE.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "sizes": {},
    }
    for size in sizes:
        print(f"— {size:,} invoices")
        db = database(size)
        shown = size + 13
        mine, base = measure_mktui(db, size, args.presses, args.history)
        mine["launch_to_invoices_s"] = measure_launch(db)
        base["launch_s"] = measure_baseline_launch(db, min(shown, 200))
        base["floor_rss_idle_mib"] = measure_floor(db)
        pages = asyncio.run(_page_times(db))
        results["sizes"][str(size)] = {"mktui": mine, "baseline": base, "pages_ms": pages}

    misses: list[str] = []

    def ratio(a: float, b: float) -> float:
        return a / b if b else float("nan")

    print()
    print(f"{'figure':44} " + " ".join(f"{s:>16,}" for s in sizes))

    def row(label: str, values: list[str]) -> None:
        print(f"{label:44} " + " ".join(f"{v:>16}" for v in values))

    per = [results["sizes"][str(s)] for s in sizes]
    row("launch → Invoices rows (s)", [f"{p['mktui']['launch_to_invoices_s']:.2f}" for p in per])
    row("  plain DataTable launch (s)", [f"{p['baseline']['launch_s']:.2f}" for p in per])
    for key, label in (
        ("down", "Down → frame p50/p95 (ms)"),
        ("page", "PageDown/Up → frame p50/p95 (ms)"),
    ):
        row(label, [f"{p['mktui'][key]['p50']:.0f}/{p['mktui'][key]['p95']:.0f}" for p in per])
        row(
            "  plain DataTable",
            [f"{p['baseline'][key]['p50']:.0f}/{p['baseline'][key]['p95']:.0f}" for p in per],
        )
        ratios = [ratio(p["mktui"][key]["p95"], p["baseline"][key]["p95"]) for p in per]
        row("  p95 ×", [f"{r:.2f}×" for r in ratios])
        for s, r in zip(sizes, ratios, strict=True):
            if s in (100, 100_000) and not r <= 1.3:
                misses.append(f"{label.split(' →')[0]} p95 at {s:,} is {r:.2f}× (≤ 1.3×)")
    for key, label in (
        ("bytes_down_no_scroll", "bytes per Down, cursor only"),
        ("bytes_down_scroll", "bytes per Down, scrolling"),
    ):
        row(label, [f"{p['mktui'][key]:.0f}" for p in per])
        row("  plain DataTable", [f"{p['baseline'][key]:.0f}" for p in per])
        ratios = [ratio(p["mktui"][key], p["baseline"][key]) for p in per]
        row("  ×", [f"{r:.2f}×" for r in ratios])
        for s, r in zip(sizes, ratios, strict=True):
            if not r <= 1.2:
                misses.append(f"{label} at {s:,} is {r:.2f}× (≤ 1.2×)")
    row("History to its 5 000th row (s)", [f"{p['mktui']['history_to_row_s']:.2f}" for p in per])
    row(
        "  each page (l) → frame p50/p95 (ms)",
        [f"{p['mktui']['history_page']['p50']:.0f}/{p['mktui']['history_page']['p95']:.0f}"
         for p in per],
    )  # fmt: skip
    row(
        "  each page's UI time, CPU p50/p95 (ms)",
        [f"{p['mktui']['history_page_cpu']['p50']:.0f}/{p['mktui']['history_page_cpu']['p95']:.0f}"
         for p in per],
    )  # fmt: skip
    row("RSS idle on the hub (MiB)", [f"{p['mktui']['rss_idle_mib']:.1f}" for p in per])
    row("  plain DataTable idle (MiB)", [f"{p['baseline']['rss_idle_mib']:.1f}" for p in per])
    row("  stack floor, sandbox in process (MiB)",
        [f"{p['baseline']['floor_rss_idle_mib']:.1f}" for p in per])  # fmt: skip
    row("RSS after every area (MiB)", [f"{p['mktui']['rss_after_areas_mib']:.1f}" for p in per])
    for name in per[0]["pages_ms"]:
        row(f"GET /v1/invoices {name} (ms)", [f"{p['pages_ms'][name]:.1f}" for p in per])
    for s, p in zip(sizes, per, strict=True):
        m = p["mktui"]
        if m["rss_idle_mib"] > 60:
            misses.append(
                f"RSS idle at {s:,} is {m['rss_idle_mib']:.1f} MiB (≤ 60; the stack's floor "
                f"with the sandbox in process: {p['baseline']['floor_rss_idle_mib']:.1f})"
            )
        if s == 100_000 and m["rss_after_areas_mib"] > 90:
            misses.append(
                f"RSS after every area at {s:,} is {m['rss_after_areas_mib']:.1f} MiB (≤ 90)"
            )
        cpu = m["history_page_cpu"]
        if cpu["n"] and cpu["p95"] > 50:
            misses.append(
                f"a History page's UI time (CPU) p95 at {s:,} is {cpu['p95']:.0f} ms "
                "(≤ 50 ms; the in-process server's time in it)"
            )
        if m["history_rows"] >= args.history and m["history_to_row_s"] > 5:
            misses.append(
                f"History to its 5 000th row at {s:,} takes {m['history_to_row_s']:.1f} s (≤ 5)"
            )
        if s == 100_000:
            unfiltered = p["pages_ms"]["unfiltered"]
            for name, ms in p["pages_ms"].items():
                if ms > 1.5 * unfiltered:
                    misses.append(
                        f"a {name} page at 100,000 is {ms / unfiltered:.2f}× unfiltered (≤ 1.5×)"
                    )
    if 100 in sizes and 100_000 in sizes:
        small = results["sizes"]["100"]["mktui"]["launch_to_invoices_s"]
        big = results["sizes"]["100000"]["mktui"]["launch_to_invoices_s"]
        print(f"{'launch → Invoices rows, 100 000 / 100':44} {big / small:>16.2f}×")
        if big > 1.2 * small:
            misses.append(
                f"launch → Invoices rows at 100,000 is {big / small:.2f}× of 100 (≤ 1.2×)"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results["missed"] = misses
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    print("missed: " + "; ".join(misses) if misses else "all targets met")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
