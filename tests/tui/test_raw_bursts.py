"""Keys written to a real terminal in ONE write land in the fields, in order.

A terminal (tmux ``send-keys``, a paste-speed typist over SSH, a laggy link)
often delivers several keys in one read. Textual then routed a bound key
(Backspace, arrows, Enter, Ctrl+W/U) through every ancestor's queue while the
letters after it went straight into the field: "ab", then Backspace c d, gave
"abc". Here the console runs in a pseudo-terminal at 80×24 with a fresh HOME
(tests/tui/pty_harness.py: ``mktui`` plus F5 to tell the fields and F6 to
empty them); each burst is one ``os.write``, and every character must land in
its field. Pilot bursts (test_key_bursts.py) cover more forms, faster; this
covers Textual's input parser and the driver's read loop as well.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

HARNESS = Path(__file__).with_name("pty_harness.py")

TAB, SHIFT_TAB, ENTER = "\t", "\x1b[Z", "\r"
BS, LEFT, RIGHT, HOME, END = "\x7f", "\x1b[D", "\x1b[C", "\x1b[H", "\x1b[F"
CTRL_W, CTRL_U, CTRL_A = "\x17", "\x15", "\x01"
TELL, RESET, QUIT = "\x1b[15~", "\x1b[17~", "\x11"  # F5, F6, Ctrl+Q


def paste(text: str) -> str:
    """``text`` as a terminal sends a paste in bracketed-paste mode."""
    return f"\x1b[200~{text}\x1b[201~"


class Console:
    """The harness in a pty: write keys, read back what the fields hold."""

    def __init__(self, tmp_path: Path, fields: list[str], *args: str) -> None:
        self.state = tmp_path / "state.json"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MKTUI_", "TEXTUAL", "LC_", "XDG_")) and key != "LANGUAGE"
        }
        home = tmp_path / "home"
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local/share"),
            XDG_STATE_HOME=str(home / ".local/state"),
            XDG_CACHE_HOME=str(home / ".cache"),
            TERM="xterm-256color",
            LANG="C.UTF-8",
            MKTUI_HARNESS_FIELDS=",".join(fields),
        )
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the console
            os.execve(sys.executable, [sys.executable, str(HARNESS), str(self.state), *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.told = 0

    def drain(self, seconds: float) -> None:
        """Read (and drop) the console's output for ``seconds``: a full pty would block it."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _w, _x = select.select([self.fd], [], [], left)
            if ready:
                try:
                    os.read(self.fd, 65536)
                except OSError:
                    return

    def write(self, keys: str) -> None:
        """Send ``keys`` in one write, as a terminal sends a burst."""
        os.write(self.fd, keys.encode())

    def ask(self, keys: str, timeout: float = 15.0) -> dict:
        """Send ``keys`` (ending with F5 or F6) and wait for the state they write."""
        self.write(keys)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.drain(0.01)
            try:
                state = json.loads(self.state.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                continue
            if state["told"] > self.told:
                self.told = state["told"]
                return state
        raise AssertionError(f"the console did not answer {keys!r} in {timeout} s")

    def wait_for(self, screen: str, keys: str = "") -> dict:
        """Tell until ``screen`` is on top (sending ``keys`` first)."""
        if keys:
            self.write(keys)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            state = self.ask(TELL)
            if state["screen"] == screen:
                return state
            self.drain(0.1)
        raise AssertionError(f"{screen} did not open; last seen {state['screen']}")

    def close(self) -> None:
        try:
            self.write(QUIT)
            self.drain(0.5)
        except OSError:
            pass
        done, _status = os.waitpid(self.pid, os.WNOHANG)
        if not done:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def run_rounds(console: Console, rounds: list[tuple[str, dict[str, str]]]) -> list[str]:
    """Type each burst in one write into emptied fields; return what did not land."""
    misses = []
    for keys, expected in rounds:
        console.ask(RESET)
        console.write(keys)
        console.drain(0.05)  # let the keys settle before asking (F5 would wait for them anyway)
        got = {name: console.ask(TELL)["fields"][name] for name in expected}
        if got != expected:
            misses.append(f"{keys!r}: {got} != {expected}")
    return misses


SIGN_IN_ROUNDS = [
    ("me@x.test" + TAB + "pw123", {"signin-email": "me@x.test", "signin-password": "pw123"}),
    ("ab" + BS + "cd", {"signin-email": "acd", "signin-password": ""}),
    ("ab" + BS + BS + "cd" + TAB + "x", {"signin-email": "cd", "signin-password": "x"}),
    ("me@x.tesx" + BS + "t" + TAB + "pw", {"signin-email": "me@x.test", "signin-password": "pw"}),
    (
        "ana@x.test" + TAB + "secreu" + BS + "t",
        {"signin-email": "ana@x.test", "signin-password": "secret"},
    ),
    (
        "bo@x.test" + TAB + "pw" + SHIFT_TAB + END + "b",
        {"signin-email": "bo@x.testb", "signin-password": "pw"},
    ),
    # A field reached with Tab or Shift+Tab has its text selected (Textual's Input): typing replaces it.
    (
        "x@y.z" + TAB + "p1" + SHIFT_TAB + BS + "w" + TAB + "2",
        {"signin-email": "w", "signin-password": "2"},
    ),
    ("e@x.test" + LEFT * 4 + "d", {"signin-email": "e@x.dtest", "signin-password": ""}),
    ("@x.test" + HOME + "me" + END + "!", {"signin-email": "me@x.test!", "signin-password": ""}),
    ("@x.test" + CTRL_A + "ze" + TAB + "k", {"signin-email": "ze@x.test", "signin-password": "k"}),
    ("ac" + LEFT + "b" + RIGHT + "d", {"signin-email": "abcd", "signin-password": ""}),
    (
        "wrong words" + CTRL_W + "mail@x.test",
        {"signin-email": "wrong mail@x.test", "signin-password": ""},
    ),
    (
        "all wrong" + CTRL_U + "ok@x.test" + TAB + "pw",
        {"signin-email": "ok@x.test", "signin-password": "pw"},
    ),
    (
        paste("pasted@x.test") + TAB + "pw",
        {"signin-email": "pasted@x.test", "signin-password": "pw"},
    ),
    ("ab" + BS + paste("cd") + "e", {"signin-email": "acde", "signin-password": ""}),
    (
        "me@x.test" + TAB + paste("long-pass phrase") + BS + "E",
        {"signin-email": "me@x.test", "signin-password": "long-pass phrasE"},
    ),
    # Enter signs in; the password is missing, so the cursor goes there and the rest lands in it.
    ("ann@x.test" + ENTER + "pw9", {"signin-email": "ann@x.test", "signin-password": "pw9"}),
    ("zé@x.test" + TAB + "ção€", {"signin-email": "zé@x.test", "signin-password": "ção€"}),
    ("a" + BS * 3 + "b" + TAB + BS + "c", {"signin-email": "b", "signin-password": "c"}),
    (
        "q" * 30 + CTRL_U + "r@x.test" + TAB + "s" * 30,
        {"signin-email": "r@x.test", "signin-password": "s" * 30},
    ),
    (
        "m@x.test" + TAB + "pw" + LEFT + LEFT + "1" + END + "2",
        {"signin-email": "m@x.test", "signin-password": "1pw2"},
    ),
    ("ab cd" + CTRL_W + CTRL_W + "ef" + TAB + "g", {"signin-email": "ef", "signin-password": "g"}),
]

CONTACT_ROUNDS = [
    (
        "Carla Dias" + TAB + "carla@example.com",
        {"contact-name": "Carla Dias", "contact-email": "carla@example.com"},
    ),
    ("Carlx" + BS + "a" + TAB + "c@x.test", {"contact-name": "Carla", "contact-email": "c@x.test"}),
    ("Ana" + TAB + "ana@x.tesx" + BS + "t", {"contact-name": "Ana", "contact-email": "ana@x.test"}),
    (
        "Bo" + TAB + "b@x.test" + SHIFT_TAB + END + "b",
        {"contact-name": "Bob", "contact-email": "b@x.test"},
    ),
    (
        "Jose" + LEFT + "é" + RIGHT + BS + TAB + "j@x.test",
        {"contact-name": "José", "contact-email": "j@x.test"},
    ),
    (
        "Ms Wrong" + CTRL_W + "Lima" + TAB + "l@x.test",
        {"contact-name": "Ms Lima", "contact-email": "l@x.test"},
    ),
    (
        "Wrong" + CTRL_U + "Rui" + TAB + "r@x.test",
        {"contact-name": "Rui", "contact-email": "r@x.test"},
    ),
    (
        "Dias" + HOME + "Carla " + END + "!" + BS,
        {"contact-name": "Carla Dias", "contact-email": ""},
    ),
    (
        paste("Paula Reis") + TAB + paste("paula@x.test"),
        {"contact-name": "Paula Reis", "contact-email": "paula@x.test"},
    ),
    (
        "P" + paste("aula") + BS + "o" + TAB + "p@x.test",
        {"contact-name": "Paulo", "contact-email": "p@x.test"},
    ),
    ("ab" + BS + "cd" + TAB + "ef" + BS + "gh", {"contact-name": "acd", "contact-email": "egh"}),
    (
        "Zé Ninguém" + TAB + "ze@x.test",
        {"contact-name": "Zé Ninguém", "contact-email": "ze@x.test"},
    ),
    (
        "N" + TAB + "e@x" + SHIFT_TAB + END + "o" + TAB + END + ".test",
        {"contact-name": "No", "contact-email": "e@x.test"},
    ),
    (
        "Lucas" + LEFT * 5 + CTRL_U + "Luc" + TAB + "l@x.test",
        {"contact-name": "LucLucas", "contact-email": "l@x.test"},
    ),
    (
        "Ana" + BS * 5 + "Eva" + TAB + BS + "e@x.test",
        {"contact-name": "Eva", "contact-email": "e@x.test"},
    ),
    (
        "x" * 40 + CTRL_U + "Iris" + TAB + "i@x.test",
        {"contact-name": "Iris", "contact-email": "i@x.test"},
    ),
    (
        "Tom" + TAB + "t@x.test" + CTRL_A + "to" + END + "m",
        {"contact-name": "Tom", "contact-email": "tot@x.testm"},
    ),
    (
        "Caio Souza" + LEFT * 5 + BS + "-" + TAB + "c@x.test",
        {"contact-name": "Caio-Souza", "contact-email": "c@x.test"},
    ),
    (
        "Ana" + TAB + "a@x.test" + SHIFT_TAB + CTRL_U + "Bia" + TAB + "z",
        {"contact-name": "Bia", "contact-email": "z"},
    ),
    (
        "Léa" + TAB + "lea@x.test" + CTRL_W + "fr",
        {"contact-name": "Léa", "contact-email": "lea@x.fr"},
    ),
    (
        "A B C" + CTRL_W + CTRL_W + "D" + TAB + "d@x.test",
        {"contact-name": "A D", "contact-email": "d@x.test"},
    ),
]


def test_sign_in_typed_in_raw_bursts(tmp_path):
    console = Console(tmp_path, ["signin-email", "signin-password"])
    try:
        console.wait_for("SignInScreen")
        assert run_rounds(console, SIGN_IN_ROUNDS) == []
    finally:
        console.close()


def test_add_contact_typed_in_raw_bursts(tmp_path):
    console = Console(tmp_path, ["contact-name", "contact-email"], "--sandbox")
    try:
        console.wait_for("FinancialScreen")
        console.wait_for("ContactsScreen", "c")
        console.drain(0.3)  # the list loads; "a" is the list's key
        console.wait_for("AddContactModal", "a")
        assert run_rounds(console, CONTACT_ROUNDS) == []
    finally:
        console.close()
