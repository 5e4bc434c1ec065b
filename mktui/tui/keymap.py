"""The console's binding ids, and the ``[keymap]`` table of the config file that rebinds them.

Every key of the console is a Textual ``Binding`` with an id (``invoices.retry``);
one id on several screens (``area.refresh``) is one action, rebound everywhere
at once. The admin rebinds any of them in the config file::

    [keymap]
    "invoices.retry" = "t"
    "app.quit" = "ctrl+q,f10"

and the console hands that table to Textual's public ``App.set_keymap``. An id
no binding has is named in a notification (a typo would otherwise be silently
ignored by Textual). The README's list of ids is :func:`markdown_table`'s
output, kept in step by a test (``python -m mktui.tui.keymap`` prints it).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.app import App

# The modules whose classes declare the console's bindings. Imported by name
# (importlib), only when a keymap is set or the list is printed: this module is
# imported by the app, and every screen is otherwise loaded only when first shown.
_MODULES = ("mktui.tui.app",)
_PACKAGES = ("mktui.tui.screens", "mktui.tui.widgets")


@dataclass(frozen=True)
class BindingRow:
    """One binding id: its default keys, what it does and which classes bind it."""

    id: str
    keys: tuple[str, ...]
    description: str
    where: tuple[str, ...]


def binding_rows() -> list[BindingRow]:
    """Every binding id of the console, sorted by id."""
    names = list(_MODULES)
    for package_name in _PACKAGES:
        package = importlib.import_module(package_name)
        names += [f"{package_name}.{info.name}" for info in pkgutil.iter_modules(package.__path__)]
    found: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for name in names:
        module = importlib.import_module(name)
        for class_name, cls in sorted(vars(module).items()):
            if not (
                inspect.isclass(cls)
                and issubclass(cls, DOMNode)
                and cls.__module__ == name
                and "BINDINGS" in cls.__dict__
            ):
                continue
            for binding in cls.__dict__["BINDINGS"]:
                if not isinstance(binding, Binding) or binding.id is None:
                    raise ValueError(f"{name}.{class_name} has a binding without an id: {binding}")
                keys, descriptions, where = found.setdefault(binding.id, ([], [], []))
                keys += [k for k in binding.key.split(",") if k not in keys]
                if binding.description and binding.description not in descriptions:
                    descriptions.append(binding.description)
                if class_name not in where:
                    where.append(class_name)
    return [
        BindingRow(id_, tuple(keys), " / ".join(descriptions), tuple(where))
        for id_, (keys, descriptions, where) in sorted(found.items())
    ]


def markdown_table() -> str:
    """The README's table of binding ids (id, default keys, what it does, where)."""
    lines = ["| Binding id | Keys | Does | Where |", "|---|---|---|---|"]
    for row in binding_rows():
        keys = ", ".join(f"`{key}`" for key in row.keys)
        lines.append(f"| `{row.id}` | {keys} | {row.description or '—'} | {', '.join(row.where)} |")
    return "\n".join(lines) + "\n"


def apply_keymap(app: App, keymap: dict[str, str]) -> list[str]:
    """Rebind ``keymap``'s ids on ``app`` (``App.set_keymap``); returns the ids no binding has."""
    if not keymap:
        return []
    known = {row.id for row in binding_rows()}
    unknown = sorted(set(keymap) - known)
    app.set_keymap({id_: keys for id_, keys in keymap.items() if id_ in known})
    return unknown


if __name__ == "__main__":  # pragma: no cover - prints the README's table
    print(markdown_table(), end="")
