"""Where the proofs put their figures: printed (``pytest -s``) and, in CI, collected in a file.

``.ci/run`` sets ``MKTUI_PROOF_FIGURES`` to a file and prints it after the
suite, so the figures appear in the CI log without running the proofs twice.
"""

from __future__ import annotations

import os
from pathlib import Path


def report(line: str) -> None:
    """Print one proof's figures and append them to ``$MKTUI_PROOF_FIGURES`` when set."""
    print("\n" + line)
    target = os.environ.get("MKTUI_PROOF_FIGURES")
    if target:
        with Path(target).open("a", encoding="utf-8") as out:
            out.write(line + "\n")
