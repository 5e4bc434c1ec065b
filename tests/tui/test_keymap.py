"""The [keymap] table of the config file rebinds any binding id; the README lists the ids."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from mktui.config.profiles import Config, ConfigError, Profile, default_config_path
from mktui.tui.keymap import binding_rows, markdown_table

from .conftest import screen_text, settle
from .test_invoice_actions import open_invoices

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_binding_id_of_the_code():
    """Fails when a binding is added, removed or changed without `python -m mktui.tui.keymap`."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- binding-ids:start -->\n(.*?)<!-- binding-ids:end -->", text, re.S)
    assert block is not None, "the README's binding-ids block is missing"
    assert block.group(1) == markdown_table(), (
        "README's binding ids are stale: paste the output of `python -m mktui.tui.keymap`"
    )


def test_every_binding_has_an_id_so_a_keymap_can_rebind_it():
    rows = {row.id: row for row in binding_rows()}
    assert (
        rows["invoices.retry"].keys == ("r",) and "InvoicesScreen" in rows["invoices.retry"].where
    )
    assert rows["app.quit"].keys == ("ctrl+q",)
    # One id on several screens is one action: refresh is rebound everywhere at once.
    assert len(rows["area.refresh"].where) >= 2


def write_config(text: str) -> Path:
    path = default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_keymap_reads_quoted_and_dotted_ids_and_save_keeps_it():
    path = write_config(
        """
        [profiles.work]
        api_url = "https://billing.example.com"

        [keymap]
        "invoices.retry" = "t"
        app.quit = "ctrl+q, f10"
        """
    )
    config = Config.load(path)
    assert config.keymap == {"invoices.retry": "t", "app.quit": "ctrl+q,f10"}
    config.set_profile(Profile("home", api_url="https://billing.example.com"))
    config.save()
    again = Config.load(path)
    assert again.keymap == config.keymap and set(again.profiles) == {"work", "home"}


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('"invoices.retry" = ""', "keymap.invoices.retry must be a quoted key or keys"),
        ('"invoices.retry" = 5', "keymap.invoices.retry must be a quoted key or keys"),
        ('"invoices.retry" = "ctrl+r, "', "must be a quoted key or keys"),
        ('"Invoices Retry" = "t"', "is not a binding id"),
    ],
)
def test_a_bad_keymap_entry_is_named_with_its_line(line, says):
    path = write_config(
        f'[profiles.work]\napi_url = "https://billing.example.com"\n\n[keymap]\n{line}\n'
    )
    with pytest.raises(ConfigError) as caught:
        Config.load(path)
    assert says in caught.value.message
    assert caught.value.line == 5 and str(path) in caught.value.message
    assert (caught.value.field or "").startswith("keymap")


async def test_the_console_uses_the_keymap_and_names_an_unknown_id(make_app):
    write_config(
        """
        [keymap]
        "invoices.retry" = "t"
        "invoices.retyr" = "y"
        """
    )
    app = make_app("demo")
    async with app.run_test(size=(200, 32)) as pilot:
        await open_invoices(pilot)
        await settle(pilot)
        footer = screen_text(app).rstrip("\n").splitlines()[-1]
        assert "t Retry" in footer and "r Retry" not in footer
        said = [str(n.message) for n in app._notifications]
        assert any("invoices.retyr" in m and "no key of the console" in m for m in said), said
        assert not any("invoices.retry," in m for m in said)


async def test_a_keymap_value_that_is_not_a_key_keeps_the_usual_keys(make_app):
    write_config('[keymap]\n"invoices.retry" = ""\n')
    app = make_app("demo")
    async with app.run_test(size=(200, 32)) as pilot:
        screen = await open_invoices(pilot)
        await settle(pilot)
        footer = screen_text(app).rstrip("\n").splitlines()[-1]
        assert "r Retry" in footer
        said = " ".join(str(n.message) for n in app._notifications)
        assert "keymap.invoices.retry" in said and "keeps its usual keys" in said
        assert screen is app.screen
