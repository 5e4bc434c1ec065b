"""``mktui sandbox serve|reset|clock``: registered here, implemented lazily."""

from __future__ import annotations

import argparse


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Register the ``sandbox`` command group (to be completed by the sandbox part)."""
    sandbox = subparsers.add_parser("sandbox", help="the local billing sandbox server")
    sandbox.set_defaults(handler=lambda args: sandbox.print_help() or 2)
