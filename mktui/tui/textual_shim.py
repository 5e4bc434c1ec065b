"""Every use of a Textual internal, in one place.

Textual (pinned in pyproject.toml) has no public way to do the eight things
below. Each is a small, named access here, so nothing else in mktui touches a
private name of Textual; ``tests/tui/test_textual_shim.py`` checks that each
internal still exists and behaves as relied on, so an upgrade that changes one
fails there, by name, not somewhere in a screen. ``docs/upstream.md`` holds the
issue text asking Textual for the public API that would retire each.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding
    from textual.css.stylesheet import Stylesheet
    from textual.dom import DOMNode


def start_in_mode(app: App, mode: str) -> None:
    """Make ``mode`` the first mode of ``app``; call it before ``App.__init__``.

    ``App.DEFAULT_MODE`` is a class variable, but which area opens first
    depends on how the console was started (signed in or not). ``App.__init__``
    reads ``self.DEFAULT_MODE`` to create the first (empty) screen stack and the
    current mode, and the app composes that mode's screen: so an instance value
    set before it is the first screen, and no blank ``_default`` screen is
    mounted only to be switched away from. (Upstream: docs/upstream.md, "The
    first mode of an app instance".)
    """
    # Textual documents DEFAULT_MODE as a ClassVar; an instance value shadows it.
    app.DEFAULT_MODE = mode  # type: ignore[misc]


class FatalErrorHook:
    """Mixin for an :class:`~textual.app.App`: an unhandled exception is reported by ``report_crash``.

    Textual's ``App._handle_exception`` records the exception (``return_code`` 1,
    re-raised by ``run_test``) and, for an exception without ``__rich__``, calls
    ``App._fatal_error``, which renders a traceback WITH every frame's local
    variables: a frame of the sign-in or payment screens may hold a password,
    a card number or a CVC. The hook replaces only that rendering; Textual
    still does the bookkeeping and the exit. ``report_crash`` is called inside
    the ``except`` block, so ``sys.exc_info()`` is the exception (for a worker,
    the worker's own exception). (Upstream: docs/upstream.md, "The crash
    report".)
    """

    def report_crash(self) -> None:
        """Show the admin what happened (the app exits afterwards); the app defines it."""
        raise NotImplementedError

    def _fatal_error(self) -> None:
        self.report_crash()


def grow_parse_cache(stylesheet: Stylesheet, size: int) -> None:
    """Let ``stylesheet`` keep the parsed rules of ``size`` sources (Textual keeps 64).

    ``Stylesheet.parse`` looks each source up in ``Stylesheet._parse_cache``
    (an ``LRUCache`` keyed by the source text and its location) before parsing
    it, and ``set_variables`` empties it. mktui has about 30 sources at launch
    and more as areas open; beyond 64 the cache would silently stop hitting.
    (Upstream: docs/upstream.md, "The stylesheet's parse cache".)
    """
    stylesheet._parse_cache.grow(size)  # the one access: see above


def translate_bindings(node: DOMNode, translate: Callable[[str], str]) -> None:
    """Show ``node``'s key descriptions and tooltips through ``translate`` (the language in use).

    Bindings are class attributes, written once in English when the module is
    imported, before the admin's language is known. Each node gets its own copy
    of the class's bindings in ``DOMNode.__init__`` (``self._bindings``, a
    ``BindingsMap`` whose ``key_to_bindings`` dict is copied, its lists shared):
    replacing each key's list with translated copies changes this node only,
    and the footer, the key panel and ``App.set_keymap`` all read from it.
    (Upstream: docs/upstream.md, "Translated binding descriptions".)
    """
    table = node._bindings.key_to_bindings  # the one access: see above
    for key, bindings in list(table.items()):
        table[key] = [
            replace(
                binding,
                description=translate(binding.description),
                tooltip=translate(binding.tooltip),
            )
            for binding in bindings
        ]


def priority_bindings(app: App) -> list[tuple[str, Binding]]:
    """The app's priority bindings as they work now (keymap applied, translated): ``(key, binding)``.

    A modal screen's ``active_bindings`` stop at the modal (``Screen._modal_binding_chain``),
    yet the app's priority bindings still work there: Ctrl+Q quits from a dialog and from the
    command palette. The footer a dialog shows lists them from here: a copy of the app's own
    bindings (``DOMNode._bindings``, where :func:`translate_bindings` writes) with the app's
    keymap (``App._keymap``, set by ``App.set_keymap``) applied, as Textual's binding chain
    does before it routes a key. (Upstream: docs/upstream.md, "The keys that work in a
    modal screen".)
    """
    bindings = app._bindings.copy()  # the first access: see above
    keymap = app._keymap  # and the second
    if keymap:
        bindings.apply_keymap(keymap)
    return [
        (key, binding)
        for key, key_bindings in bindings.key_to_bindings.items()
        for binding in key_bindings
        if binding.priority
    ]


def forget_render_caches() -> None:
    """Empty two of Textual's render caches that keep finished apps alive (a test suite's need).

    ``StylesCache.get_inner_outer`` and ``ANSIToTruecolor.truecolor_style`` are
    ``functools.lru_cache`` on methods: each of their 1024 entries holds ``self``
    (a widget's styles cache, an app's colour filter) after its app has ended,
    and the garbage collector walks all of it again and again. One console never
    needs this; a process that runs hundreds of apps one after the other (the
    Pilot tests) does. Nothing is imported: a process that never loaded Textual's
    renderer has nothing to empty. (Upstream: docs/upstream.md, "Render caches
    that outlive their app".)
    """
    styles_cache = sys.modules.get("textual._styles_cache")
    if styles_cache is not None:
        styles_cache.StylesCache.get_inner_outer.cache_clear()  # the one access: see above
    textual_filter = sys.modules.get("textual.filter")
    if textual_filter is not None:
        textual_filter.ANSIToTruecolor.truecolor_style.cache_clear()  # and this one


class NoMatchesInWords:
    """Mixin for a :class:`~textual.command.CommandPalette`: "No matches found" in other words.

    Textual writes that line in English inside ``CommandPalette._start_no_matches_countdown``
    (a closure adds a disabled option, id ``CommandPalette._NO_MATCHES``, after
    ``_NO_MATCHES_COUNTDOWN`` seconds of a search finding nothing). This is the same
    countdown with ``no_matches_text()`` as the line, so the admin reads it in the
    language in use. (Upstream: docs/upstream.md, "The palette's 'No matches found'".)
    """

    def no_matches_text(self) -> str:
        """The line shown when a search finds no command; the palette defines it."""
        raise NotImplementedError

    def _start_no_matches_countdown(self, search_value: str) -> None:
        from rich.align import Align
        from rich.text import Text
        from textual.command import CommandList
        from textual.widgets.option_list import Option

        palette = self
        palette._stop_no_matches_countdown()  # type: ignore[attr-defined]

        def show_no_matches() -> None:
            if search_value:
                palette.query_one(CommandList).add_option(  # type: ignore[attr-defined]
                    Option(
                        Align.center(Text(palette.no_matches_text(), style="not bold")),
                        disabled=True,
                        id=palette._NO_MATCHES,  # type: ignore[attr-defined]
                    )
                )
                palette._list_visible = True  # type: ignore[attr-defined]
            else:
                palette._list_visible = False  # type: ignore[attr-defined]

        palette._no_matches_timer = palette.set_timer(  # type: ignore[attr-defined]
            palette._NO_MATCHES_COUNTDOWN,  # type: ignore[attr-defined]
            show_no_matches,
        )


def draw_only_what_an_update_shows() -> None:
    """Make a partial screen update draw only the widgets it can show (installed once).

    For a partial update (a cursor move, one line of text changed) Textual's
    ``Compositor._get_renders`` draws every widget whose *clip* (its container's
    region) overlaps the changed area, whole: on an area screen that is the
    account bar, the sidebar, the title, the note, the footer and the containers
    under them, 11 widgets' lines a Down in Invoices where a plain DataTable app has 4.
    What such a widget draws lies outside the update, so the compositor throws it
    away. This version skips a widget whose visible part (region ∩ clip) does not
    overlap the update, and is otherwise Textual 8.2.8's own code. A full update
    passes the screen's region as its crop, which every visible widget overlaps:
    nothing is skipped there. (Upstream: docs/upstream.md, "A partial update draws
    widgets it cannot show".)
    """
    from textual._compositor import Compositor  # the one access: see above
    from textual.geometry import Region

    original = Compositor._get_renders
    if getattr(original, "_mktui", False):
        return

    def _get_renders(self, crop: Region | None = None):
        if crop is None:
            yield from original(self, crop)
            return
        _rich_traceback_guard = True  # noqa: F841 - read by Rich's traceback, as in Textual
        intersection = Region.intersection
        crop_overlaps = crop.overlaps
        for widget, (region, clip) in self.visible_widgets.items():
            new_x, new_y, new_width, new_height = intersection(region, clip)
            if not (new_width and new_height) or not crop_overlaps(
                Region(new_x, new_y, new_width, new_height)
            ):
                continue  # nothing of it shows in this update
            yield (
                region,
                clip,
                widget.render_lines(
                    Region(new_x - region.x, new_y - region.y, new_width, new_height)
                ),
            )

    _get_renders._mktui = True  # type: ignore[attr-defined]
    _get_renders.textual = original  # type: ignore[attr-defined] - for the shim's test
    Compositor._get_renders = _get_renders  # type: ignore[method-assign]
