"""Keys from the terminal are handled one after the other, in the order they were typed.

Textual hands a key to the focused widget; a key the widget does not take
itself (Backspace, the arrows, Enter, Ctrl+W, Ctrl+U: the Input's *bindings*)
then bubbles up through every ancestor's message queue, and its binding runs
only when it reaches the app. A printable key is taken by the Input at once.
So when a terminal delivers several keys in one read (a paste-speed typist
over SSH, ``tmux send-keys``, a laggy link flushing), the letters typed after
a Backspace overtake it: "ab", then Backspace c d, gives "abc" instead of
"acd" (the Backspace deletes the "d"). Tab is a priority binding for the same
reason (:class:`mktui.tui.app.MkApp`), but every bound key has the problem.

:class:`KeysInOrder` keeps Textual's routing as it is and only waits: while a
key (or a paste) from the terminal is still on its way up, the next ones are
held, and each is handed on once the one before it has passed every queue it
can reach. It uses public API only (``on_event``, ``is_forwarded``,
``post_message`` of an ``events.Callback``); docs/upstream.md has the issue text for Textual, and
tests/tui/test_key_order.py says when Textual no longer needs it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.timer import Timer

STALE_AFTER = 0.5
"""Seconds after which a key still on its way no longer holds the next ones.

A queue closed under it (the dialog its Enter closed) never runs the check
that would release them; better a key out of order than keys stuck.
"""

PASSES = 2
"""Walks up the queues per key: the second one waits for what the key's action posted.

Enter runs the Input's ``submit`` action at the app, which posts
``Input.Submitted`` to the Input; the form handles it on its way up (and may
move the focus to the field to correct): the next key waits for that too.
"""


@dataclass(slots=True)
class _Check:
    """One step of the walk: run behind the key in one queue, then queue the next step.

    Posted as an ``events.Callback`` of the bound :meth:`run` rather than through
    ``call_later(fn, *args)``: Textual wraps those arguments in a new ``partial``
    and reads its signature (``inspect.signature``) each time, ~0.1 ms a step and
    a dozen steps a key; a bound method's parameter count is read once per class.
    """

    app: KeysInOrder
    token: object
    chain: list[DOMNode]
    index: int
    passes: int

    def run(self) -> None:
        self.app._step(self.token, self.chain, self.index, self.passes)


@dataclass(slots=True)
class _Done:
    """The walk's end, posted like :class:`_Check` (no signature read per key)."""

    app: KeysInOrder
    token: object

    async def run(self) -> None:
        await self.app._done(self.token)


def _taken_at_once(event: events.Key | events.Paste, target: DOMNode) -> bool:
    """Whether ``target`` takes ``event`` itself, so it goes no further up.

    An Input takes a printable key or a paste in its own handler. Most keys of a
    burst are letters typed into a field: following each up the queues would
    cost a repaint per key, for nothing.
    """
    if not isinstance(target, Input):
        return False
    return isinstance(event, events.Paste) or event.is_printable


class KeysInOrder(App):
    """Mixin for the app: a key or paste is handled only once the one before it is done.

    Put it before :class:`~textual.app.App` in the bases. Keys that nothing holds
    up (the usual case: one key at a time) go through at once, as in Textual; so do
    the letters typed into a field, which the field takes in its own queue.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held: deque[events.Key | events.Paste] = deque()
        self._on_its_way: object | None = None
        """A token for the key being walked up the queues, or None when none is."""
        self._on_its_way_since = 0.0
        self._watchdog: Timer | None = None

    async def on_event(self, event: events.Event) -> None:
        """Hold a key or paste from the terminal while the one before it is on its way."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self._on_its_way is not None or self._held:
                self._held.append(event)
                self._watch()
                return
            await self._hand_on(event)
            return
        await super().on_event(event)

    async def _hand_on(self, event: events.Key | events.Paste) -> None:
        """Route ``event`` as Textual does; when it went to a widget, follow it up the queues."""
        target: DOMNode = self.focused or self.screen
        await super().on_event(event)
        if not event.is_forwarded:
            return  # a priority binding took it here, at once (Tab, Ctrl+Q)
        if _taken_at_once(event, target):
            return  # the next key queues behind it, or is a priority key: nothing to wait for
        # Where a key the widget does not take goes next: its ancestors, the screen, the app.
        chain: list[DOMNode] = []
        node: DOMNode | None = target
        while node is not None:
            chain.append(node)
            node = node.parent
        if chain[-1] is not self:
            chain.append(self)
        token = object()
        self._on_its_way = token
        self._on_its_way_since = monotonic()
        self._step(token, chain, 0, PASSES)

    def _step(self, token: object, chain: list[DOMNode], index: int, passes: int) -> None:
        """Queue a check behind the key at ``chain[index]``; past the app, the key is done."""
        while index < len(chain):
            # Queued behind the key: when it runs, that queue has handled the key (and
            # passed it on to the parent's queue, if it went on).
            check = _Check(self, token, chain, index + 1, passes)
            if chain[index].post_message(events.Callback(callback=check.run)):
                return
            index += 1  # that queue is closed (its widget was removed): go on above it
        if passes > 1:
            self._step(token, chain, 0, passes - 1)
        else:
            self.post_message(events.Callback(callback=_Done(self, token).run))

    async def _done(self, token: object) -> None:
        """The key went all the way: hand on the held ones (each waits for the one before)."""
        if token is not self._on_its_way:
            return  # released already by the watchdog
        self._on_its_way = None
        while self._held and self._on_its_way is None:
            await self._hand_on(self._held.popleft())
        if not self._held and self._watchdog is not None:
            self._watchdog.pause()

    def _watch(self) -> None:
        """Make sure held keys are released even if a check is lost with a closed queue."""
        if self._watchdog is None:
            self._watchdog = self.set_interval(STALE_AFTER / 2, self._release_if_stale)
        else:
            self._watchdog.resume()

    async def _release_if_stale(self) -> None:
        if self._on_its_way is not None and monotonic() - self._on_its_way_since > STALE_AFTER:
            await self._done(self._on_its_way)
        elif self._on_its_way is None and not self._held and self._watchdog is not None:
            self._watchdog.pause()
