"""docs/cli.md still tells the truth: each example, run again, prints the documented shape.

The examples run in this interpreter (``run_here``) against a served sandbox: what is
checked is what each command prints, and docs/cli.md itself is written from runs of the
installed ``mktui`` (``python -m tests.cli.examples``), so the two ways are compared here
too. About 35 commands: a new interpreter for each cost ~25 s of CPU.
"""

from __future__ import annotations

import json

from mktui.api import models
from mktui.cli.output import wire_from_json

from .examples import DOC, EXAMPLES, extract_outputs, run_examples
from .harness import run_here, serve_sandbox


def shape(value):
    """The keys and value types of a JSON document (the first item standing for a list)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def at(value, path: str) -> list:
    """The parts of ``value`` a models path names (``""``, ``"[]"``, ``"[].invoice"``, ``"account"``)."""
    parts = [value]
    for step in [p for p in path.replace("[]", ".[]").split(".") if p]:
        parts = (
            [item for part in parts for item in part] if step == "[]" else [p[step] for p in parts]
        )
    return parts


def test_every_command_has_a_documented_example():
    documented = extract_outputs(DOC.read_text(encoding="utf-8"))
    assert list(documented) == [example.slug for example in EXAMPLES]
    commands = {" ".join(e.args[:2]) for e in EXAMPLES}
    for command in (
        "status", "preview", "subscribe", "subscription set-devices", "subscription cancel",
        "subscription resume", "subscription set-plan", "invoices list", "invoices show",
        "invoices pay", "invoices pdf", "invoices receipt", "invoices pix", "invoices nfse", "methods list", "methods add",
        "methods default", "methods remove", "methods update", "contacts list", "contacts add",
        "contacts edit", "contacts remove", "history",
    ):  # fmt: skip
        assert any(c == command or c.startswith(command + " ") for c in commands), command


def test_the_documented_examples_still_have_their_shape_and_parse_into_the_models(tmp_path):
    documented = extract_outputs(DOC.read_text(encoding="utf-8"))
    out = tmp_path / "out"
    out.mkdir()
    with serve_sandbox(tmp_path, runner=run_here) as served:
        ran = run_examples(served, out)
    for run in ran:
        example, now = run.example, run.result.out
        if "--json" in example.args:
            data = json.loads(now)
            assert shape(data) == shape(json.loads(documented[example.slug])), example.slug
            for path, model in example.models.items():
                for part in at(data, path):
                    if part is not None:
                        getattr(models, model).model_validate(wire_from_json(part))
        else:
            first = now.splitlines()[:1]
            assert first == documented[example.slug].splitlines()[:1], example.slug
