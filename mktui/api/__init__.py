"""The billing API: its contract (``models``), errors, and the client.

httpx imports its command-line client (click, rich.progress, pygments: about
45 ms, a quarter of a one-line Textual app's start) whenever click is
installed, and uvicorn brings click. mktui never runs httpx's command line, so
before httpx is first imported its ``_main`` is marked absent: httpx then
defines its fallback ``main`` and everything else in httpx is unchanged.
"""

import sys

if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
