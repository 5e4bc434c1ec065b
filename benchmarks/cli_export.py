"""`mktui invoices list --all --csv` over 100 000 invoices: time and peak memory, streamed.

A sandbox database gets 100 000 extra paid invoices for the demo account,
then `mktui sandbox serve` serves it on loopback and the installed `mktui`
exports them as a subprocess. Printed for each run: rows, wall time, rows
per second and the exporting process's peak RSS. Baselines measured in the
same run: the same command for one page (`--limit 1`: start-up plus one
request). Streaming holds one page at a time, so
the peak RSS of the 100 000-row export stays near the one-page baseline
(ratio ≈ 1) instead of growing with the rows.

Run: `python benchmarks/cli_export.py [ROWS]` from the repo root (a few minutes).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cli.harness import mktui_command, run, serve_sandbox  # noqa: E402

WRAPPER = (
    "import resource, subprocess, sys\n"
    "with open(sys.argv[1], 'wb') as sink:\n"
    "    code = subprocess.run(sys.argv[2:], stdout=sink).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def seed(db: Path, rows: int) -> None:
    """Copy one paid demo invoice ``rows`` times (new ids and numbers)."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            """
            INSERT INTO invoices (id, account_id, number, kind, status, period_start, period_end,
                issued_at, due_date, lines, subtotal, credit_applied, credit_granted, total,
                currency, attempts, paid_at, paid_brand, paid_last4)
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            SELECT 'inv_bench' || i, t.account_id, 'MKB-' || printf('%07d', i), t.kind, 'paid',
                t.period_start, t.period_end, t.issued_at, t.due_date, t.lines, t.subtotal,
                t.credit_applied, t.credit_granted, t.total, t.currency, 1, t.paid_at,
                t.paid_brand, t.paid_last4
            FROM n, (SELECT invoices.* FROM invoices JOIN accounts ON accounts.id = account_id
                     WHERE accounts.email = 'demo@mkcontroller.test' AND invoices.status = 'paid'
                     LIMIT 1) AS t
            """,
            (rows,),
        )
    conn.close()


def export(args: list[str], sink: Path) -> tuple[int, float, int, int]:
    """(exit code, seconds, peak RSS in KiB, CSV rows) of one `mktui` run."""
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(sink), *mktui_command(), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - start
    code, rss = (int(x) for x in done.stdout.split())
    with sink.open("rb") as file:
        lines = sum(1 for _ in file) - 1
    return code, seconds, rss, lines


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ.update(
            XDG_CONFIG_HOME=str(root / "config"),
            XDG_DATA_HOME=str(root / "data"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        os.environ.pop("MKTUI_TOKEN", None)
        with serve_sandbox(root) as served:
            served.sign_in("demo")
            seed(served.db, rows)
            common = ["invoices", "list", "--csv", "--profile", "demo", "--insecure-storage"]
            runs = {
                "one page (--limit 1)": [*common, "--limit", "1"],
                f"--all, {rows:,} rows": [*common, "--all"],
            }
            results = {name: export(args, root / "out.csv") for name, args in runs.items()}
            assert run("invoices", "list", "--limit", "1", "--profile", "demo",
                       "--insecure-storage").code == 0  # fmt: skip
    base_rss = results["one page (--limit 1)"][2]
    print(
        f"{'run':<26} {'exit':>4} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'peak RSS':>10} {'× 1 page':>8}"
    )
    for name, (code, seconds, rss, lines) in results.items():
        rate = f"{lines / seconds:,.0f}" if lines > 1 else "-"
        print(
            f"{name:<26} {code:>4} {lines:>8,} {seconds:>8.2f} {rate:>8} "
            f"{rss / 1024:>7.1f} MiB {rss / base_rss:>8.2f}"
        )


if __name__ == "__main__":
    main()
