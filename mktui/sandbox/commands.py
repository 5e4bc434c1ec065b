"""``mktui sandbox serve|reset|clock|pix|nfse``: registered here, implemented lazily.

Only argparse is imported at module level: FastAPI, uvicorn and the store are
imported inside the handlers, so ``mktui`` starts without them.

The help and the sentences here are the command line's, so they are translated
(tests/i18n_catalogs.py extracts this file, unlike the rest of the sandbox,
whose messages are the server's and reach the admin as the server sends them).
The ``listening on`` line stays English: scripts read the address from it.
"""

from __future__ import annotations

import argparse
import socket
import sys
from datetime import datetime
from pathlib import Path

from mktui.core.i18n import _


def _db(args: argparse.Namespace) -> Path:
    from mktui.sandbox.paths import default_db_path

    return Path(args.db) if args.db else default_db_path()


def _parse_moment(text: str) -> datetime:
    """An ISO date (noon in São Paulo) or an ISO datetime with an offset."""
    from datetime import date, time
    from zoneinfo import ZoneInfo

    try:
        if len(text) == 10:
            return datetime.combine(
                date.fromisoformat(text), time(12), tzinfo=ZoneInfo("America/Sao_Paulo")
            )
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise SystemExit(
            "mktui sandbox: "
            + _("{text} is not an ISO date or datetime, e.g. 2027-01-01").format(text=repr(text))
        ) from None
    if moment.tzinfo is None:
        raise SystemExit(
            "mktui sandbox: " + _("give the time a UTC offset, e.g. 2027-01-01T09:00:00-03:00")
        )
    return moment


def tcp_socket(host: str) -> socket.socket:
    """An unbound TCP socket for ``host`` whose accepted connections get ``TCP_NODELAY``.

    The protocol is given explicitly: asyncio turns Nagle's algorithm off only on
    sockets whose ``proto`` says TCP, and with it on every keep-alive response
    (uvicorn writes the headers, then the body) waited ~40 ms for a delayed ACK.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(args: argparse.Namespace) -> int:
    """Run the sandbox over HTTP with uvicorn until interrupted.

    Beyond loopback it needs ``--public`` (the demo accounts have a published
    password) and then guards every ``/sandbox/*`` route (the test clock) with
    a token printed at start. ``X-Forwarded-For`` is believed only from the
    address ``--proxy`` names, so nobody else can pick the address the
    sign-in limit counts.
    """
    import secrets

    from mktui.sandbox.app import create_app
    from mktui.sandbox.serving import ReadyServer, server_config

    public = args.host not in LOOPBACK
    if public and not args.public:
        print(
            "mktui sandbox: "
            + _(
                "{host} is reachable beyond this machine and the demo accounts have a "
                "published password; add --public to serve there anyway (the test clock "
                "then needs the token printed at start)."
            ).format(host=args.host),
            file=sys.stderr,
        )
        return 2
    db = _db(args)
    sock = tcp_socket(args.host)
    try:
        # Bind before saying where we listen: a taken port is reported, not a false address.
        sock.bind((args.host, args.port))
    except OSError as error:
        sock.close()
        print(
            "mktui sandbox: "
            + _("cannot listen on {host}:{port} ({reason}); choose another --port.").format(
                host=args.host, port=args.port, reason=error.strerror
            ),
            file=sys.stderr,
        )
        return 1
    sandbox_token = secrets.token_urlsafe(24) if public else None
    app = create_app(db, sandbox_token=sandbox_token)
    host = f"[{args.host}]" if ":" in args.host else args.host
    port = sock.getsockname()[1]
    config = server_config(app, proxy=args.proxy)

    def ready() -> None:
        # Not translated: scripts (and tests/cli/harness.py) read the address from this line.
        print(
            f"mktui sandbox listening on http://{host}:{port} (database {db}); Ctrl+C stops it.",
            flush=True,
        )
        if sandbox_token is not None:
            print(
                _("The test clock (/sandbox/*) needs the header X-Sandbox-Token: {token}").format(
                    token=sandbox_token
                ),
                flush=True,
            )

    try:
        ReadyServer(config, ready).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn shuts down, then raises the Ctrl+C it caught again
        pass
    print(_("mktui sandbox stopped."), flush=True)
    return 0


def reset(args: argparse.Namespace) -> int:
    """Delete the database and seed a fresh one (clock at ``--at`` or now)."""
    from mktui.sandbox.app import create_app

    db = _db(args)
    at = _parse_moment(args.at) if args.at else None
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    create_app(db, now=at)
    print(
        _(
            "Fresh sandbox at {db}; demo accounts demo@, annual@ and new@mkcontroller.test "
            "(password sandbox)."
        ).format(db=db)
    )
    return 0


def clock(args: argparse.Namespace) -> int:
    """Show the test clock, or move it forward (running renewals) with ``--set``."""
    from mktui.sandbox import clock as test_clock
    from mktui.sandbox.errors import ApiFailure
    from mktui.sandbox.seed import ensure_seeded
    from mktui.sandbox.store import Store

    store = Store(_db(args))
    if args.set:
        target = _parse_moment(args.set)
        ensure_seeded(store, target)
        try:
            with store.write() as conn:
                test_clock.advance(conn, target)
        except ApiFailure as failure:
            print(f"mktui sandbox clock: {failure.message}", file=sys.stderr)
            return 2
    else:
        from datetime import UTC

        ensure_seeded(store, datetime.now(UTC))
    with store.read() as conn:
        print(test_clock.now(conn).isoformat())
    return 0


def pix_pay(args: argparse.Namespace) -> int:
    """Act as the payer's bank: pay the live Pix ``TXID`` (its invoice is paid)."""
    from datetime import UTC

    from mktui.sandbox import clock as test_clock
    from mktui.sandbox import pix
    from mktui.sandbox.errors import ApiFailure
    from mktui.sandbox.seed import ensure_seeded
    from mktui.sandbox.store import Store

    store = Store(_db(args))
    ensure_seeded(store, datetime.now(UTC))
    try:
        with store.write() as conn:
            paid = pix.pay(conn, args.txid, test_clock.now(conn))
            number = conn.execute(
                "SELECT number FROM invoices WHERE id = ?", (paid["invoice_id"],)
            ).fetchone()[0]
    except ApiFailure as failure:
        print(f"mktui sandbox pix pay: {failure.message}", file=sys.stderr)
        return 2
    reais, centavos = divmod(paid["amount"], 100)
    print(
        _("Paid Pix {txid}: {amount} for invoice {number}.").format(
            txid=paid["txid"], amount=f"R$ {reais},{centavos:02d}", number=number
        )
    )
    return 0


def nfse_settings(args: argparse.Namespace) -> int:
    """Show, or change, the service code and ISS rate the simulated issuer uses."""
    from datetime import UTC

    from mktui.sandbox import nfse
    from mktui.sandbox.errors import ApiFailure
    from mktui.sandbox.seed import ensure_seeded
    from mktui.sandbox.store import Store

    store = Store(_db(args))
    ensure_seeded(store, datetime.now(UTC))
    try:
        with store.write() as conn:
            current = nfse.configure(conn, service_code=args.service_code, iss_rate=args.iss_rate)
    except ApiFailure as failure:
        print(f"mktui sandbox nfse: {failure.message}", file=sys.stderr)
        return 2
    code = current.service_code
    print(
        _("NFS-e service code {code}, ISS rate {rate} %").format(
            code=f"{code[:2]}.{code[2:4]}.{code[4:]}", rate=f"{current.iss_rate:.2f}"
        )
    )
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Register the ``sandbox`` command group: serve, reset, clock, pix, nfse (help translated)."""
    sandbox = subparsers.add_parser("sandbox", help=_("the local billing sandbox server"))
    sandbox.set_defaults(handler=lambda args: sandbox.print_help() or 2)
    actions = sandbox.add_subparsers(dest="sandbox_command", metavar="ACTION")
    db_help = _("the SQLite database (default: sandbox.db in the user data dir)")

    p = actions.add_parser("serve", help=_("serve the sandbox over HTTP"))
    p.add_argument(
        "--host", default="127.0.0.1", help=_("address to bind (default 127.0.0.1, loopback)")
    )
    p.add_argument(
        "--port", type=int, default=8765, help=_("port (default 8765; 0 picks a free one)")
    )
    p.add_argument("--db", default=None, help=db_help)
    p.add_argument(
        "--public",
        action="store_true",
        help=_("allow a --host beyond loopback; /sandbox/* then needs the token printed at start"),
    )
    p.add_argument(
        "--proxy",
        default=None,
        metavar="ADDRESS",
        help=_("the reverse proxy's address: only its X-Forwarded-For is believed (default: none)"),
    )
    p.set_defaults(handler=serve)

    p = actions.add_parser("reset", help=_("start over with fresh demo accounts"))
    p.add_argument("--db", default=None, help=db_help)
    p.add_argument(
        "--at", default=None, metavar="DATE", help=_("pin the test clock (ISO date or datetime)")
    )
    p.set_defaults(handler=reset)

    p = actions.add_parser("clock", help=_("read or move the test clock"))
    p.add_argument(
        "--set",
        default=None,
        metavar="ISO-DATETIME",
        help=_("move the clock forward to this time"),
    )
    p.add_argument("--db", default=None, help=db_help)
    p.set_defaults(handler=clock)

    p = actions.add_parser("pix", help=_("the payer's bank side of Pix"))
    p.set_defaults(handler=lambda args, p=p: p.print_help() or 2)
    pix_actions = p.add_subparsers(dest="pix_command", metavar="ACTION")
    pay = pix_actions.add_parser("pay", help=_("pay a live Pix charge, as the payer's bank would"))
    pay.add_argument(
        "txid", metavar="TXID", help=_("the txid the console shows beside the QR code")
    )
    pay.add_argument("--db", default=None, help=db_help)
    pay.set_defaults(handler=pix_pay)

    p = actions.add_parser("nfse", help=_("show or set the simulated NFS-e issuer's settings"))
    p.add_argument(
        "--service-code",
        default=None,
        metavar="CODE",
        help=_("national service code, e.g. 01.03.01"),
    )
    p.add_argument(
        "--iss-rate", default=None, metavar="PERCENT", help=_("ISS rate from 2 to 5, e.g. 2.5")
    )
    p.add_argument("--db", default=None, help=db_help)
    p.set_defaults(handler=nfse_settings)
