"""The scriptable billing commands, one module per area; see docs/cli.md."""

from __future__ import annotations

import argparse


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register every billing command (each module imports its heavy parts only when run)."""
    from mktui.cli.commands import account, contacts, history, invoices, methods, subscription

    account.add_commands(subparsers)
    subscription.add_commands(subparsers)
    invoices.add_commands(subparsers)
    methods.add_commands(subparsers)
    contacts.add_commands(subparsers)
    history.add_commands(subparsers)
