"""The exit codes every scriptable ``mktui`` command shares, and how a failure maps to one.

A script branches on these, so they never change meaning:

====  =========================================================================
0     done
1     usage (a bad option or value) or a confirmation refused / not possible
2     sign-in needed (no stored session, an expired one, a locked store)
3     payment declined (nothing was charged)
4     not found or conflict (the price changed, the invoice is not payable…)
5     the billing API is unavailable (network, timeout, 5xx, rate limited)
====  =========================================================================
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from mktui.core.i18n import N_

if TYPE_CHECKING:
    from mktui.api.errors import ApiError


class Exit(IntEnum):
    """What a command's exit status says."""

    OK = 0
    USAGE = 1
    SIGN_IN = 2
    DECLINED = 3
    CONFLICT = 4
    UNAVAILABLE = 5


HELP_TEXT = N_("""exit codes (the same for every command):
  0  done
  1  usage error, or the confirmation was refused (or impossible without a terminal and --yes)
  2  sign-in needed: run `mktui login` (or set MKTUI_TOKEN)
  3  payment declined: nothing was charged
  4  not found or conflict: the price changed, the invoice is not payable, …
  5  the billing API is unavailable: try again later""")


def for_api_error(error: ApiError) -> Exit:
    """The exit code of a failed API call."""
    from mktui.api.errors import ErrorKind

    return {
        ErrorKind.UNAUTHENTICATED: Exit.SIGN_IN,
        ErrorKind.PAYMENT_FAILED: Exit.DECLINED,
        ErrorKind.NOT_FOUND: Exit.CONFLICT,
        ErrorKind.CONFLICT: Exit.CONFLICT,
        ErrorKind.PRICE_CHANGED: Exit.CONFLICT,
        ErrorKind.VALIDATION: Exit.USAGE,
        ErrorKind.RATE_LIMITED: Exit.UNAVAILABLE,
        ErrorKind.UNAVAILABLE: Exit.UNAVAILABLE,
        ErrorKind.UNEXPECTED: Exit.UNAVAILABLE,
    }.get(error.kind, Exit.UNAVAILABLE)
