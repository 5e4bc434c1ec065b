"""The languages: the choice of one, and catalogs that cover every string the code marks."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from mktui.core import i18n
from tests import i18n_catalogs


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use("en")


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("pt_BR", "pt_BR"),
        ("pt_BR.UTF-8", "pt_BR"),
        ("pt-br", "pt_BR"),
        ("pt", "pt_BR"),
        ("es_MX.utf8", "es"),
        ("fr_FR@euro", "fr"),
        ("en_US", "en"),
        ("C", None),
        ("POSIX", None),
        ("de_DE", None),
        ("", None),
    ],
)
def test_a_locale_code_reads_as_the_catalog_of_its_language(code, language):
    assert i18n.supported(code) == language


def test_the_flag_wins_then_the_profile_then_the_environment_then_english():
    env = {"LANG": "fr_FR.UTF-8"}
    assert i18n.choose_language("es", "pt_BR", env) == "es"
    assert i18n.choose_language(None, "pt_BR", env) == "pt_BR"
    assert i18n.choose_language(None, "de_DE", env) == "fr"
    assert i18n.choose_language(None, None, {"LANGUAGE": "de:es", "LANG": "fr_FR"}) == "es"
    assert i18n.choose_language(None, None, {"LANG": "de_DE", "LC_MESSAGES": "pt_BR"}) == "pt_BR"
    assert i18n.choose_language(None, None, {}) == "en"


def test_a_c_locale_in_the_environment_means_english_as_gettext_reads_it():
    # LC_ALL=C is how a script asks for stable output; it wins over LANG as in gettext.
    assert i18n.choose_language(None, None, {"LC_ALL": "C", "LANG": "pt_BR"}) == "en"
    assert i18n.choose_language(None, None, {"LC_ALL": "C.UTF-8", "LANG": "fr_FR"}) == "en"
    assert i18n.choose_language(None, None, {"LANGUAGE": "es", "LC_ALL": "C"}) == "es"
    assert i18n.environment_locale({"LC_ALL": "POSIX", "LANG": "pt_BR.UTF-8"}) is None
    assert i18n.environment_locale({"LANG": "pt_BR.UTF-8"}) == "pt_BR"


def test_a_language_without_a_catalog_on_the_flag_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="--lang takes one of en, pt_BR, es, fr"):
        i18n.choose_language("de", None, {})


def test_every_marked_string_is_translated_in_every_catalog_and_compiled():
    problems = i18n_catalogs.problems()
    assert not problems, "\n".join(
        problems[:40] + ["… run python -m tests.i18n_catalogs, translate, run it again"]
    )


def test_a_new_string_without_a_translation_is_caught(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(
        i18n_catalogs.SOURCE_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "locale")
    )
    (source / "new_screen.py").write_text(
        'from mktui.core.i18n import _\nTITLE = _("A sentence nobody translated yet")\n'
    )
    problems = i18n_catalogs.problems(source, i18n.LOCALE_DIR)
    assert sorted(p.split(":")[0] for p in problems) == ["en", "es", "fr", "pt_BR"]
    assert all("A sentence nobody translated yet" in p for p in problems)


def test_a_fuzzy_entry_is_caught(tmp_path):
    locale_dir = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale_dir)
    path = i18n_catalogs.po_path("fr", locale_dir)
    catalog = i18n_catalogs.read(path)
    entry = next(m for m in catalog if m.id)
    entry.flags.add("fuzzy")
    from babel.messages.pofile import write_po

    with path.open("wb") as handle:
        write_po(handle, catalog)
    problems = i18n_catalogs.problems(i18n_catalogs.SOURCE_DIR, locale_dir)
    assert any(p.startswith("fr: fuzzy") for p in problems)


@pytest.mark.parametrize(
    ("language", "word"), [("pt_BR", "assinar"), ("es", "suscribir"), ("fr", "abonner")]
)
def test_the_help_speaks_the_language_asked_for(language, word):
    done = subprocess.run(
        [sys.executable, "-m", "mktui.cli.main", "--lang", language, "--help"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert word in done.stdout.lower()


def test_the_language_comes_from_the_environment_when_nothing_else_says():
    done = subprocess.run(
        [sys.executable, "-m", "mktui.cli.main", "--help"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "pt_BR.UTF-8"},
        check=False,
    )
    assert "servidor de cobrança" in done.stdout


def test_an_unknown_language_is_a_usage_error_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "mktui.cli.main", "--lang", "klingon", "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "mktui: --lang takes one of en, pt_BR, es, fr (not 'klingon')."


def test_a_new_profile_takes_the_terminals_locale_and_pt_BR_when_it_says_none():
    assert i18n.environment_locale({"LANG": "es_AR.UTF-8"}) == "es_AR"
    assert i18n.environment_locale({"LANGUAGE": "de:fr", "LANG": "en_US"}) == "fr"
    assert i18n.environment_locale({"LANG": "C.UTF-8"}) is None


def test_a_profiles_locale_chooses_the_language_of_a_command(tmp_path):
    from tests.cli.harness import run

    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "MKTUI_TOKEN": "not-a-real-token",
    }
    (tmp_path / "config" / "mktui").mkdir(parents=True)
    (tmp_path / "config" / "mktui" / "config.toml").write_text(
        'default_profile = "work"\n\n[profiles.work]\napi_url = "http://127.0.0.1:9"\n'
        'email = "a@b.test"\nlocale = "fr_FR"\n'
    )
    result = run("status", "--profile", "work", env=env)
    assert result.code == 5, result.err
    assert "Impossible de joindre le serveur de facturation" in result.err


def test_the_empty_string_translates_to_itself_not_to_the_catalog_header():
    i18n.use("pt_BR")
    assert i18n._("") == ""


def test_no_function_that_translates_also_uses_underscore_as_a_variable():
    """``x, _ = ...`` in a function makes ``_`` local there: its ``_("…")`` would fail at run time."""
    import ast

    found = []
    for path in i18n_catalogs.SOURCE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            calls = assigns = False
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                    calls = True
                if (
                    isinstance(node, ast.Name)
                    and node.id == "_"
                    and isinstance(node.ctx, ast.Store)
                ):
                    assigns = True
            if calls and assigns:
                found.append(f"{path.relative_to(i18n_catalogs.ROOT)}:{func.lineno} {func.name}")
    assert not found, found
