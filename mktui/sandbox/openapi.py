"""Write (or check) ``docs/openapi.json`` from the sandbox app.

``python -m mktui.sandbox.openapi`` rewrites the file; ``--check`` exits 1
when the committed file differs from what the app generates (CI and a test
run it, so the document cannot go stale).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def document() -> dict[str, Any]:
    """The OpenAPI document of the sandbox app (built on a throwaway database)."""
    from mktui.sandbox.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        return create_app(Path(tmp) / "openapi.db").openapi()


def render() -> str:
    """The document as the committed text: indented, stable, newline-terminated."""
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m mktui.sandbox.openapi``."""
    parser = argparse.ArgumentParser(prog="python -m mktui.sandbox.openapi", description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--check", action="store_true", help="fail if the file is not up to date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else ""
        if current != text:
            print(f"{args.path} is stale: run python -m mktui.sandbox.openapi", file=sys.stderr)
            return 1
        return 0
    args.path.write_text(text, encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
