"""``mktui contacts list|add|edit|remove``: who receives the billing notifications."""

from __future__ import annotations

import argparse

from mktui.cli.exit_codes import Exit
from mktui.cli.output import Column, to_json
from mktui.cli.runner import Context, add_common, add_money_options, command
from mktui.core.i18n import N_, _

COLUMNS = (
    Column(N_("Name"), lambda c: c.name),
    Column(N_("Email"), lambda c: c.email),
    Column(N_("Id"), lambda c: c.id),
)
CSV_COLUMNS = (("id", lambda c: c.id), ("name", lambda c: c.name), ("email", lambda c: c.email))


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``contacts`` and its subcommands."""
    contacts = subparsers.add_parser("contacts", help=_("the financial contacts"))
    sub = contacts.add_subparsers(dest="contacts_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help=_("the financial contacts"))
    add_common(listing)
    listing.set_defaults(handler=command(run_list))

    add = sub.add_parser("add", help=_("add a financial contact"))
    add.add_argument("--name", required=True, help=_("the contact's name"))
    add.add_argument("--email", required=True, help=_("where the billing notices go"))
    add.add_argument("--idempotency-key", metavar="KEY", help=_("a key to retry this safely"))
    add_common(add)
    add.set_defaults(handler=command(run_add))

    edit = sub.add_parser("edit", help=_("correct a contact's name or email"))
    edit.add_argument("contact_id", metavar="ID", help=_("the contact (see `mktui contacts list`)"))
    edit.add_argument("--name", help=_("the new name"))
    edit.add_argument("--email", help=_("the new email"))
    edit.add_argument("--idempotency-key", metavar="KEY", help=_("a key to retry this safely"))
    add_common(edit)
    edit.set_defaults(handler=command(run_edit))

    remove = sub.add_parser("remove", help=_("remove a financial contact"))
    remove.add_argument(
        "contact_id", metavar="ID", help=_("the contact (see `mktui contacts list`)")
    )
    add_money_options(remove)
    add_common(remove)
    remove.set_defaults(handler=command(run_remove))


async def _one_page(items: list):
    yield items


async def run_list(ctx: Context) -> int:
    """The financial contacts."""
    contacts = await ctx.client.contacts()
    await ctx.out.rows(
        _one_page(contacts),
        COLUMNS,
        json_row=to_json,
        csv_columns=CSV_COLUMNS,
        empty=_("No financial contacts; add one with `mktui contacts add --name N --email E`."),
    )
    return Exit.OK


async def run_edit(ctx: Context) -> int:
    """Correct a contact's name or email."""
    from mktui.api.errors import ApiError, ErrorKind
    from mktui.cli.connect import UsageError
    from mktui.cli.runner import explain

    args = ctx.args
    if args.name is None and args.email is None:
        raise UsageError(_("Give the new --name, the new --email, or both."))
    key = ctx.key() if args.idempotency_key else None
    try:
        contact = await ctx.client.update_contact(
            args.contact_id, name=args.name, email=args.email, idempotency_key=key
        )
    except ApiError as error:
        if error.kind is ErrorKind.VALIDATION and error.field in ("name", "email"):
            raise UsageError(f"--{error.field}: {explain(error)}") from None
        raise
    ctx.out.record(
        to_json(contact),
        [(_("Updated"), f"{contact.name} <{contact.email}>"), (_("Id"), contact.id)],
        csv_row={name: get(contact) for name, get in CSV_COLUMNS},
    )
    return Exit.OK


async def run_add(ctx: Context) -> int:
    """Add a financial contact."""
    from mktui.api.errors import ApiError, ErrorKind
    from mktui.cli.connect import UsageError
    from mktui.cli.runner import explain

    key = ctx.key() if ctx.args.idempotency_key else None
    try:
        contact = await ctx.client.add_contact(ctx.args.name, ctx.args.email, idempotency_key=key)
    except ApiError as error:
        if error.kind is ErrorKind.VALIDATION and error.field in ("name", "email"):
            raise UsageError(f"--{error.field}: {explain(error)}") from None
        raise
    ctx.out.record(
        to_json(contact),
        [(_("Added"), f"{contact.name} <{contact.email}>"), (_("Id"), contact.id)],
        csv_row={name: get(contact) for name, get in CSV_COLUMNS},
    )
    return Exit.OK


async def run_remove(ctx: Context) -> int:
    """Remove a financial contact (after a confirmation)."""
    from mktui.api.errors import ApiError, ErrorKind

    contact = next((c for c in await ctx.client.contacts() if c.id == ctx.args.contact_id), None)
    if contact is None:
        raise ApiError(
            ErrorKind.NOT_FOUND,
            _("There is no contact {id}; see `mktui contacts list`.").format(
                id=repr(ctx.args.contact_id)
            ),
            code="not_found",
        )
    statement = [
        _("Remove {name} <{email}>: they stop receiving billing notices.").format(
            name=contact.name, email=contact.email
        )
    ]
    if not ctx.confirm(statement, _("Remove?")):
        return Exit.USAGE
    await ctx.client.remove_contact(contact.id)
    ctx.out.record(
        {"removed": to_json(contact)},
        [(_("Removed"), f"{contact.name} <{contact.email}>")],
        csv_row={name: get(contact) for name, get in CSV_COLUMNS},
    )
    return Exit.OK
