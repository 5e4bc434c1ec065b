"""``mktui sandbox reset|clock``, the default database path, lazy imports and the OpenAPI file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mktui.cli.main import main
from mktui.sandbox import openapi
from mktui.sandbox.paths import default_db_path
from mktui.sandbox.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _status(db: Path, email: str) -> str:
    with Store(db).read() as conn:
        return conn.execute("SELECT status FROM accounts WHERE email = ?", (email,)).fetchone()[0]


def test_reset_at_a_date_then_move_the_clock(tmp_path, capsys):
    db = tmp_path / "sb.db"
    assert main(["sandbox", "reset", "--db", str(db), "--at", "2026-11-26"]) == 0
    assert "demo@" in capsys.readouterr().out
    assert main(["sandbox", "clock", "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == "2026-11-26T15:00:00+00:00"  # noon in São Paulo
    assert _status(db, "demo@mkcontroller.test") == "past_due"
    assert main(["sandbox", "clock", "--db", str(db), "--set", "2026-12-02T00:00:00-03:00"]) == 0
    assert capsys.readouterr().out.strip() == "2026-12-02T03:00:00+00:00"
    assert _status(db, "demo@mkcontroller.test") == "suspended"
    assert main(["sandbox", "clock", "--db", str(db), "--set", "2026-12-01T00:00:00-03:00"]) == 2
    assert "never goes back" in capsys.readouterr().err


def test_reset_starts_over(tmp_path, capsys):
    db = tmp_path / "sb.db"
    assert main(["sandbox", "reset", "--db", str(db), "--at", "2026-11-26T12:00:00+00:00"]) == 0
    assert main(["sandbox", "clock", "--db", str(db), "--set", "2026-12-02T00:00:00-03:00"]) == 0
    assert main(["sandbox", "reset", "--db", str(db), "--at", "2026-11-26"]) == 0
    assert _status(db, "demo@mkcontroller.test") == "past_due"
    with Store(db).read() as conn:
        assert conn.execute("SELECT count(*) FROM accounts").fetchone()[0] == 3


def test_default_database_lives_in_the_user_data_dir(tmp_path, capsys):
    path = default_db_path()
    assert path.name == "sandbox.db" and str(path).startswith(str(tmp_path))  # isolated HOME/XDG
    assert main(["sandbox", "reset"]) == 0
    assert path.exists()


def test_bad_dates_are_refused(tmp_path):
    import pytest

    with pytest.raises(SystemExit, match="ISO"):
        main(["sandbox", "reset", "--db", str(tmp_path / "x.db"), "--at", "someday"])
    with pytest.raises(SystemExit, match="offset"):
        main(["sandbox", "clock", "--db", str(tmp_path / "x.db"), "--set", "2027-01-01T00:00:00"])


def test_mktui_starts_without_loading_the_server_stack():
    code = (
        "import sys, mktui.cli.main; mktui.cli.main.build_parser(); "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'fpdf', 'starlette') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_sandbox_package_does_not_import_textual():
    code = (
        "import sys, mktui.sandbox.app, mktui.sandbox.receipts, mktui.sandbox.commands; "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_committed_openapi_document_is_up_to_date():
    committed = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed == openapi.render(), (
        "docs/openapi.json is stale: run python -m mktui.sandbox.openapi"
    )


def test_openapi_check_flags_a_stale_file(tmp_path):
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    assert openapi.main(["--check", str(stale)]) == 1
    assert openapi.main([str(stale)]) == 0
    assert openapi.main(["--check", str(stale)]) == 0


def test_every_operation_declares_its_error_answers():
    doc = openapi.document()
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            declared = set(op["responses"])
            assert {"400", "404", "413", "422", "429"} <= declared, (method, path)
            if op.get("security"):
                assert "401" in declared
            if "Idempotency-Key" in {
                p["name"] for p in op.get("parameters", []) if p.get("required")
            }:
                assert "409" in declared, (method, path)
                # Cancel, resume and asking for a Pix charge move no money: never a 402.
                if not path.endswith(("/cancel", "/resume", "/pix")):
                    assert "402" in declared, (method, path)
