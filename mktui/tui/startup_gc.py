"""Python's cyclic garbage collector held off while the console starts.

Start-up allocates hundreds of thousands of long-lived objects (Textual,
httpx, pydantic, the sandbox's FastAPI): every few hundred allocations the
collector walks them again, and with the whole heap that far up it costs about
100 ms of a `mktui --sandbox` start, on the critical path to the first data.

``pause()`` turns the collector off at launch; ``resume()`` — once the first
screen's data is in, or after a grace period at the latest — moves everything
alive into the permanent generation (``gc.freeze()``: module-level objects that
would only be walked again and again) and turns it back on. Reference counting
frees memory as usual throughout; only cycles wait a few seconds.
"""

from __future__ import annotations

import gc

GRACE_SECONDS = 5.0
"""After this long the collector runs again, whatever the first screen does."""

_paused = False


def pause() -> None:
    """Turn the collector off, if it is on (otherwise leave it to whoever turned it off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume(*, freeze: bool = True) -> None:
    """Turn the collector on again (only after :func:`pause`).

    With ``freeze`` (the console, once started) what start-up built moves to the
    permanent generation first; a subcommand, or a process on its way out, skips that.
    """
    global _paused
    if _paused:
        _paused = False
        if freeze:
            gc.freeze()
        gc.enable()
