"""``mktui web``: the same console, served to a browser with textual-serve.

Each browser tab runs its own ``mktui`` console process (textual-serve's web
driver), so the browser shows exactly what the terminal shows: no second UI.
It listens on loopback unless ``--public`` is given. Guards around
textual-serve's handlers:

- on loopback the page and its websocket answer only to a loopback ``Host``
  (a DNS-rebinding page cannot reach them) and the websocket only to a page of
  the same origin (another site open in the browser cannot drive the console);
- with ``--public`` the page first asks for a one-time token printed on the
  terminal that runs ``mktui web``. A right token is spent at once (a new one
  is printed for the next browser) and becomes a session cookie (HttpOnly,
  SameSite=Strict) that the page, its websocket and its downloads require.

What the page loads from the internet: textual-serve's page links one Google
Fonts stylesheet (``https://fonts.googleapis.com/css?family=Roboto%20Mono``);
without the network the browser falls back to a local monospace font. Its
JavaScript (xterm.js) and its fonts are served by ``mktui web`` itself.
"""

from __future__ import annotations

import argparse
import hmac
import html
import ipaddress
import secrets
import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mktui.core.i18n import _, current

if TYPE_CHECKING:
    from aiohttp import web

DEFAULT_PORT = 8000
COOKIE = "mktui_session"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True for an address or name that only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The name part of a ``Host`` header (``[::1]:8000`` → ``::1``, ``a:80`` → ``a``)."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class TokenGuard:
    """One-time tokens for a public ``mktui web``: each right one is spent and becomes a session.

    ``announce`` is called with every new token (at start, and after one is
    used), so the admin at the terminal always has the next one.
    """

    def __init__(self, announce: Callable[[str], None]) -> None:
        self._announce = announce
        self._sessions: set[str] = set()
        self._token = ""
        self._next()

    def _next(self) -> None:
        self._token = secrets.token_urlsafe(16)
        self._announce(self._token)

    def spend(self, given: str) -> str | None:
        """A new session id when ``given`` is the current token (spending it), else None."""
        if not given or not hmac.compare_digest(given.strip().encode(), self._token.encode()):
            return None
        session = secrets.token_urlsafe(32)
        self._sessions.add(session)
        self._next()
        return session

    def admits(self, session: str | None) -> bool:
        """True for a session cookie this server gave out."""
        return bool(session) and any(
            hmac.compare_digest(session.encode(), known.encode()) for known in self._sessions
        )


_ASK_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>mktui</title>
<style>
body {{ background: #0c181f; color: #e8eef2; font: 16px "Roboto Mono", monospace;
       display: flex; align-items: center; justify-content: center; height: 100vh; margin: 0; }}
form {{ background: #12232d; padding: 2em; max-width: 36em; }}
input {{ font: inherit; width: 100%; margin: 1em 0; padding: .4em; }}
.problem {{ color: #ffb4a2; }}
</style></head>
<body><form method="post" action="/">
<p>{ask}</p>{problem}
<label for="token">{label}</label>
<input id="token" name="token" autocomplete="off" autofocus required>
<button type="submit">{button}</button>
</form></body></html>
"""


def ask_page(problem: str | None = None) -> str:
    """The page that asks for the token (``problem``: why the last one was refused)."""
    return _ASK_PAGE.format(
        lang=current().replace("_", "-"),  # the page speaks the language in use
        ask=html.escape(
            _(
                "This mktui console is served to the network: type the one-time token "
                "printed on the terminal that runs mktui web."
            )
        ),
        problem=f'<p class="problem">{html.escape(problem)}</p>' if problem else "",
        label=html.escape(_("Token")),
        button=html.escape(_("Open the console")),
    )


def make_server(command: str, *, host: str, port: int, guard: TokenGuard | None) -> Any:
    """A textual-serve ``Server`` for ``command`` with mktui's guards around its handlers."""
    # Imported here: textual-serve and aiohttp load only for `mktui web`.
    from aiohttp import web
    from textual_serve.server import Server

    class GuardedServer(Server):
        """textual-serve's server: same page and websocket, behind the checks above."""

        def initialize_logging(self) -> None:
            # textual-serve logs every request at INFO with its banner; mktui prints its own
            # lines (where it listens, how to stop) and leaves warnings to the default handler.
            import logging

            logging.getLogger("textual-serve").setLevel(logging.WARNING)
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
            # At Ctrl+C each open tab's console is told to quit and does; asyncio's child
            # watcher may reap it after the loop closed and warns "Loop … is closed".
            logging.getLogger("asyncio").setLevel(logging.ERROR)

        async def on_startup(self, app: web.Application) -> None:
            """Nothing printed: ``run_web`` says where it listens."""

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_post("/", self.handle_token)
            return app

        def _refusal(self, request: web.Request) -> web.Response | None:
            """Why ``request`` may not reach the console (a response), or None when it may."""
            name = _host_name(request.host)
            if guard is None and not is_loopback(name):
                return web.Response(
                    status=421,
                    text=_("mktui web answers on this machine's loopback address only."),
                )
            return None

        def _admitted(self, request: web.Request) -> bool:
            return guard is None or guard.admits(request.cookies.get(COOKIE))

        def _base_url(self, request: web.Request) -> str:
            return f"{request.scheme}://{request.host}"

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            refused = self._refusal(request)
            if refused is not None:
                return refused
            if not self._admitted(request):
                return web.Response(text=ask_page(), content_type="text/html", status=401)
            # The page's websocket URL follows the address the browser used (0.0.0.0 or
            # a name are not addresses a browser can connect back to).
            self.public_url = self._base_url(request)
            response = await super().handle_index(request)
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Frame-Options"] = "DENY"
            return response

        async def handle_token(self, request: web.Request) -> web.StreamResponse:
            """The token form: a right token becomes a session cookie; a wrong one is asked again."""
            if guard is None:
                raise web.HTTPMethodNotAllowed("POST", ["GET"])
            form = await request.post()
            session = guard.spend(str(form.get("token", "")))
            if session is None:
                problem = _(
                    "That token is not right, or it was used already: the terminal running "
                    "mktui web shows the one to type now."
                )
                return web.Response(text=ask_page(problem), content_type="text/html", status=401)
            redirect = web.HTTPSeeOther("/")
            redirect.set_cookie(COOKIE, session, httponly=True, samesite="Strict", path="/")
            raise redirect

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            refused = self._refusal(request)
            if refused is not None:
                return refused
            if not self._admitted(request):
                return web.Response(status=401, text=_("Open the page and type the token first."))
            # A page of another site may open a websocket to any address: only the
            # console's own page may drive it.
            if request.headers.get("Origin") != self._base_url(request):
                return web.Response(status=403, text=_("Only the console's own page may connect."))
            return await super().handle_websocket(request)

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            refused = self._refusal(request)
            if refused is not None:
                return refused
            if not self._admitted(request):
                return web.Response(status=401, text=_("Open the page and type the token first."))
            return await super().handle_download(request)

    return GuardedServer(command, host=host, port=port, title="mktui")


def console_command(args: argparse.Namespace) -> str:
    """The ``mktui`` console each browser tab runs, with the options ``mktui web`` was given."""
    argv = [sys.executable, "-m", "mktui"]
    if getattr(args, "sandbox", False):
        argv.append("--sandbox")
        if getattr(args, "sandbox_account", None):
            argv += ["--as", args.sandbox_account]
    if getattr(args, "profile", None):
        argv += ["--profile", args.profile]
    if getattr(args, "lang", None):
        argv += ["--lang", args.lang]
    return shlex.join(argv)


def run_web(args: argparse.Namespace) -> int:
    """Serve the console until Ctrl+C; refuses a non-loopback address without ``--public``."""
    host, port = args.host, args.port
    if not is_loopback(host) and not args.public:
        print(
            "mktui web: "
            + _(
                "{host} is reachable from other machines: anyone there could use the "
                "console. Add --public to serve it there behind a one-time token, or "
                "leave out --host to serve on 127.0.0.1."
            ).format(host=host),
            file=sys.stderr,
        )
        return 2
    shown = f"[{host}]" if ":" in host else host
    guard = None
    if args.public:

        def announce(token: str) -> None:
            print(_("mktui web: one-time token for the next browser: {token}").format(token=token))
            sys.stdout.flush()

        print(
            _(
                "mktui web: serving on {host}, port {port}, to the network. The page asks for a "
                "one-time token; it travels unencrypted over plain HTTP, so put a TLS proxy in "
                "front beyond a trusted network."
            ).format(host=shown, port=port)
        )
        guard = TokenGuard(announce)
    print(
        _("mktui web: open http://{host}:{port}/ in a browser; Ctrl+C stops.").format(
            host=shown, port=port
        )
    )
    sys.stdout.flush()
    server = make_server(console_command(args), host=host, port=port, guard=guard)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    except OSError as error:
        print(
            "mktui web: "
            + _("cannot listen on {host}:{port} ({reason}); choose another --port.").format(
                host=shown, port=port, reason=error.strerror or error
            ),
            file=sys.stderr,
        )
        return 1
    _quiet_closed_loop_transports()
    print(_("mktui web: stopped."))
    return 0


def _quiet_closed_loop_transports() -> None:
    """Collect the tabs' subprocess transports now, without their "Event loop is closed" noise.

    At Ctrl+C textual-serve's loop closes with each tab's console process still
    referenced; when its transport is garbage-collected later, ``__del__`` tries to
    schedule on the closed loop and Python prints "Exception ignored in …
    BaseSubprocessTransport.__del__" with a traceback after "stopped". Exactly that
    case is dropped; any other unraisable exception is reported as before.
    """
    import gc

    previous = sys.unraisablehook

    def hook(unraisable) -> None:  # type: ignore[no-untyped-def]
        where = getattr(unraisable.object, "__qualname__", "")
        if (
            isinstance(unraisable.exc_value, RuntimeError)
            and str(unraisable.exc_value) == "Event loop is closed"
            and where.endswith("SubprocessTransport.__del__")
        ):
            return
        previous(unraisable)

    sys.unraisablehook = hook
    gc.collect()


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # noqa: SLF001
    """Register ``mktui web``."""
    p = subparsers.add_parser("web", help=_("serve the console to a browser (textual-serve)"))
    # SUPPRESS: `mktui --sandbox web` and `mktui web --sandbox` both work, neither
    # resets what the other set.
    p.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("serve the console of the embedded sandbox"),
    )
    p.add_argument(
        "--as",
        dest="sandbox_account",
        default=argparse.SUPPRESS,
        metavar="ACCOUNT",
        help=_("with --sandbox: demo, annual or new"),
    )
    p.add_argument(
        "--profile", default=argparse.SUPPRESS, help=_("the profile each console signs in with")
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("address to listen on (default 127.0.0.1; another needs --public)"),
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=_("port to listen on (default {port})").format(port=DEFAULT_PORT),
    )
    p.add_argument(
        "--public",
        action="store_true",
        help=_("allow an address beyond loopback; the page then asks for a one-time token"),
    )
    p.set_defaults(handler=run_web)
