"""Walking a cursor-paginated list one page ahead: the CLI's name for :mod:`mktui.api.paging`.

The console's CSV export streams pages the same way, so the walk lives in the
client layer, which both the CLI and the console import.
"""

from __future__ import annotations

from mktui.api.paging import Fetch, pages_ahead

__all__ = ["Fetch", "pages_ahead"]
