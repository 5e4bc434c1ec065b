"""The local billing sandbox: a FastAPI server on SQLite that enforces api.md's rules.

Import :func:`mktui.sandbox.app.create_app` for the app; this package's own
import loads nothing heavy (``mktui`` must start fast).
"""

import sys

# FastAPI asks, for every parameter and response model of every route, whether it is a
# pydantic v1 model, and imports ``pydantic.v1`` to find out (about 25 ms, on the way to
# the in-process sandbox's first answer). The sandbox has no v1 models: when nothing has
# loaded ``pydantic.v1`` yet it is marked absent, and FastAPI's check answers "no" at once.
if "pydantic.v1" not in sys.modules:
    sys.modules.setdefault("pydantic.v1", None)  # type: ignore[arg-type]
