"""Profiles on disk: round trip, atomic 0600 writes, sentences for bad files and URLs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mktui.config.profiles import (
    DEFAULT_API_URL,
    Config,
    ConfigError,
    Profile,
    default_config_path,
    dump_config,
    parse_config,
    validate_api_url,
    write_private_file,
)

ROOT = Path(__file__).resolve().parents[1]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def config_path(tmp_path) -> Path:
    return tmp_path / "conf" / "config.toml"


def test_default_path_is_under_the_isolated_config_home(tmp_path):
    path = default_config_path()
    assert path.name == "config.toml"
    assert path.is_relative_to(tmp_path / "home" / ".config")


def test_a_missing_file_gives_the_default_profile_and_writes_nothing(config_path):
    config = Config.load(config_path)
    assert config.default_profile == "default"
    assert config.profile() == Profile("default", DEFAULT_API_URL)
    assert not config_path.exists()


def test_round_trip_keeps_every_field(config_path):
    config = Config.load(config_path)
    config.set_profile(
        Profile("work", "https://billing.example.com/", "ops@example.com", "en_US", False),
        make_default=True,
    )
    config.set_profile(Profile("local", "http://127.0.0.1:8000", None, "pt_BR", True))
    config.save()

    again = Config.load(config_path)
    assert again.default_profile == "work"
    assert again.profiles == config.profiles
    assert again.profile("work").api_url == "https://billing.example.com"  # trailing / dropped
    assert again.profile("local").sandbox is True
    assert again.profile("local").email is None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    local=st.text(
        alphabet=st.characters(
            blacklist_categories=("Zs", "Zl", "Zp", "C"), blacklist_characters="@"
        ),
        min_size=1,
        max_size=20,
    ).filter(lambda s: not any(c.isspace() for c in s)),
    path=st.text(alphabet="abc/\"\\'é\u00e7\t", max_size=12),
)
def test_strings_are_escaped_so_any_value_round_trips(tmp_path, local, path):
    email = f"{local}@example.com"
    url = "https://example.com/" + path.replace("\t", "%09").replace("#", "").replace("?", "")
    profiles = {"p": Profile("p", url, email)}
    text = dump_config(profiles, "p")
    parsed, default = parse_config(text, tmp_path / "x.toml")
    assert default == "p"
    assert parsed == profiles


def test_save_writes_0600_in_a_0700_directory(config_path):
    Config.load(config_path).save()
    assert mode(config_path) == 0o600
    assert mode(config_path.parent) == 0o700


def test_save_is_0600_whatever_the_umask_and_tightens_an_old_file(config_path):
    config_path.parent.mkdir()
    config_path.write_text('default_profile = "default"\n')
    config_path.chmod(0o644)
    old = os.umask(0)
    try:
        Config.load(config_path).save()
    finally:
        os.umask(old)
    assert mode(config_path) == 0o600


def test_write_private_file_never_creates_a_readable_temp(tmp_path, monkeypatch):
    """Every file the write creates is 0600 from the first moment it exists."""
    seen = []
    real_fdopen = os.fdopen

    def spy_fdopen(fd, *args, **kwargs):
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", spy_fdopen)
    old = os.umask(0)
    try:
        write_private_file(tmp_path / "f", b"data")
    finally:
        os.umask(old)
    assert seen == [0o600]


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(config_path, monkeypatch, failing):
    config = Config.load(config_path)
    config.save()
    before = config_path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, failing, boom)
    config.set_profile(Profile("work", "https://billing.example.com"))
    with pytest.raises(OSError):
        config.save()
    monkeypatch.undo()
    assert config_path.read_bytes() == before
    # no temp file left (the empty .lock file beside it is the save lock)
    assert sorted(p.name for p in config_path.parent.iterdir()) == [
        "config.toml",
        "config.toml.lock",
    ]


def test_a_crash_mid_write_keeps_the_old_file(config_path):
    """A process killed between writing the temp file and the rename loses nothing."""
    Config.load(config_path).save()
    before = config_path.read_bytes()
    script = textwrap.dedent(
        f"""
        import os
        from mktui.config.profiles import Config, Profile
        os.replace = lambda *a, **k: os._exit(9)  # die just before the swap
        config = Config.load({str(config_path)!r})
        config.set_profile(Profile("work", "https://billing.example.com"), make_default=True)
        config.save()
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False)
    assert result.returncode == 9
    assert config_path.read_bytes() == before
    assert Config.load(config_path).default_profile == "default"


def test_malformed_toml_names_the_file_and_line_and_is_never_overwritten(config_path):
    config_path.parent.mkdir()
    broken = 'default_profile = "default"\n\n[profiles.default]\napi_url = https://x\n'
    config_path.write_text(broken)
    with pytest.raises(ConfigError) as caught:
        Config.load(config_path)
    assert caught.value.line == 4
    assert str(config_path) in caught.value.message
    assert "line 4" in caught.value.message

    with pytest.raises(ConfigError) as refused:
        Config(path=config_path).save()
    assert "did not save" in refused.value.message
    assert config_path.read_text() == broken


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        (
            '[profiles.w]\nlocale = "en_US"\napi_url = "http://billing.example.com"\n',
            "profiles.w.api_url",
            3,
            "https://",
        ),
        ('[profiles.w]\nsandbox = "yes"\n', "profiles.w.sandbox", 2, "true or false"),
        (
            '[profiles.w]\napi-url = "https://x.example"\n',
            "profiles.w.api-url",
            2,
            "not a profile setting",
        ),
        ('colour = "blue"\n', "colour", 1, "unknown"),
        (
            'default_profile = "nope"\n[profiles.w]\n',
            "default_profile",
            1,
            "not one of the profiles",
        ),
        ('[profiles.w]\nemail = "not an address"\n', "profiles.w.email", 2, "not an email"),
        ('[profiles.w]\nlocale = "portuguese"\n', "profiles.w.locale", 2, "pt_BR"),
        ('[profiles."a b"]\n', "profiles.a b", 1, "letters, digits"),
    ],
)
def test_bad_values_name_the_field_file_and_line(config_path, text, field, line, words):
    config_path.parent.mkdir()
    config_path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        Config.load(config_path)
    error = caught.value
    assert error.field == field
    assert error.line == line
    assert str(config_path) in error.message and f"line {line}" in error.message
    assert words in error.message
    assert config_path.read_text() == text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://billing.example.com", "https://billing.example.com"),
        ("https://billing.example.com:8443/api/", "https://billing.example.com:8443/api"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
        ("http://127.8.9.10", "http://127.8.9.10"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_good_urls_are_accepted(url, expected):
    assert validate_api_url(url) == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://billing.example.com", "https://"),
        ("http://10.0.0.1", "https://"),
        ("http://localhost.example.com", "https://"),
        ("ftp://billing.example.com", "full address"),
        ("billing.example.com", "full address"),
        ("", "full address"),
        ("https://billing.example.com/?a=1", "query"),
        ("https://billing.example.com:99999", "port"),
    ],
)
def test_bad_urls_are_a_sentence_naming_the_field(url, words):
    with pytest.raises(ConfigError) as caught:
        validate_api_url(url, field="--api-url")
    assert caught.value.field == "--api-url"
    assert caught.value.message.startswith("--api-url ")
    assert words in caught.value.message


def test_a_url_with_a_password_is_refused_without_repeating_it():
    with pytest.raises(ConfigError) as caught:
        validate_api_url("https://admin:hunter2-secret@billing.example.com")
    assert "hunter2-secret" not in str(caught.value)
    assert "hunter2-secret" not in repr(caught.value)


def test_an_unknown_profile_is_a_sentence_saying_how_to_create_it(config_path):
    with pytest.raises(ConfigError) as caught:
        Config.load(config_path).profile("work")
    assert "mktui login --profile work" in caught.value.message
    assert caught.value.field == "profile"


def test_removing_the_default_profile_moves_the_default(config_path):
    config = Config.load(config_path)
    config.set_profile(Profile("work", "https://billing.example.com"), make_default=True)
    config.remove_profile("work")
    assert config.default_profile == "default"
    config.remove_profile("default")
    assert list(config.profiles) == ["default"]  # there is always one profile


def test_update_profile_validates(config_path):
    config = Config.load(config_path)
    with pytest.raises(ConfigError):
        config.update_profile("default", api_url="http://evil.example.com")
    assert config.profile().api_url == DEFAULT_API_URL
    assert config.update_profile("default", email="me@example.com").email == "me@example.com"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://admin:hunter2-secret@billing.example.com",
        "htps://admin:hunter2-secret@billing.example.com",
        "https://admin:hunter2-secret@",
        "https://billing.example.com/?token=hunter2-secret",
        "https://billing.example.com:99999/hunter2-secret",
    ],
)
def test_no_refusal_of_a_url_repeats_what_may_be_a_secret_in_it(url):
    """A mistyped scheme or port must not echo a password or token typed into the URL."""
    with pytest.raises(ConfigError) as caught:
        validate_api_url(url, field="--api-url")
    assert caught.value.field == "--api-url"
    assert "hunter2-secret" not in str(caught.value)
    assert "hunter2-secret" not in repr(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://billing.exa\tmple.com",  # urlsplit drops tabs: it would check another host
        "https://billing.example.com/\n[profiles.evil]",
        "https://billing.example.com/v1\r/x",
        "https://billing.example.com/\x1b[2J",  # a terminal escape, shown by `mktui profiles`
        "https://billing.example.com/a b",
        "https://billing.example.com/\x00",
        "https://billing.example.com/\u202e",  # bidi override: shows another address
    ],
)
def test_a_url_with_spaces_or_control_characters_is_refused(url):
    with pytest.raises(ConfigError) as caught:
        validate_api_url(url)
    assert caught.value.field == "api_url"
    assert "space" in caught.value.message or "control" in caught.value.message


@pytest.mark.parametrize(
    "email",
    [
        "ops\x1b[2J@example.com",
        "ops\x00@example.com",
        "ops\u202e@example.com",
        "ops\udcff@example.com",  # a byte the terminal could not decode
    ],
)
def test_an_email_with_control_characters_is_refused(email):
    with pytest.raises(ConfigError) as caught:
        Profile("p", email=email)
    assert caught.value.field == "email"
    assert "control" in caught.value.message


def test_update_profile_refuses_an_unknown_setting_with_a_sentence(config_path):
    config = Config.load(config_path)
    with pytest.raises(ConfigError) as unknown:
        config.update_profile("default", colour="blue")
    assert unknown.value.field == "colour" and "api_url" in unknown.value.message
    assert config.profile() == Profile("default")


@settings(max_examples=300, deadline=None)
@given(value=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_every_string_is_written_as_one_toml_string_whatever_it_holds(value):
    """Quotes, backslashes, newlines, controls: the writer's escaping alone stops an injection
    (the validators refuse most of these first; this checks the last line of defence)."""
    import tomllib

    from mktui.config.toml_file import _toml_key, _toml_str

    parsed = tomllib.loads(f"key = {_toml_str(value)}\nafter = 1\n")
    assert parsed == {"key": value, "after": 1}
    if value:
        table = tomllib.loads(f"[profiles.{_toml_key(value)}]\nx = 1\n")
        assert table == {"profiles": {value: {"x": 1}}}


def test_two_consoles_saving_keep_each_others_profiles(config_path):
    """`mktui login` in one terminal while the console, loaded earlier, saves in another."""
    Config.load(config_path).save()
    console = Config.load(config_path)
    login = Config.load(config_path)
    login.set_profile(Profile("work", "https://billing.example.com", "ops@example.com"))
    login.save()
    console.set_profile(Profile("home", "https://home.example.com"))
    console.update_profile("default", locale="en_US")
    console.save()

    on_disk = Config.load(config_path)
    assert set(on_disk.profiles) == {"default", "work", "home"}
    assert on_disk.profile("work").email == "ops@example.com"
    assert on_disk.profile("default").locale == "en_US"
    assert console.profiles == on_disk.profiles  # the console now sees the other's profile too


def test_a_removal_and_a_change_elsewhere_both_survive(config_path):
    first = Config.load(config_path)
    first.set_profile(Profile("work", "https://billing.example.com"))
    first.set_profile(Profile("old", "https://old.example.com"))
    first.save()
    a, b = Config.load(config_path), Config.load(config_path)
    a.remove_profile("old")
    a.save()
    b.update_profile("work", email="ops@example.com")
    b.set_profile(b.profile("work"), make_default=True)
    b.save()
    on_disk = Config.load(config_path)
    assert "old" not in on_disk.profiles  # b did not touch it: a's removal stands
    assert on_disk.profile("work").email == "ops@example.com"
    assert on_disk.default_profile == "work"


def test_the_first_profile_replaces_the_built_in_default(config_path):
    config = Config.load(config_path)  # no file yet: the built-in stand-in
    config.set_profile(Profile("local", "http://127.0.0.1:8766", "demo@example.com"))
    config.save()
    on_disk = Config.load(config_path)
    assert list(on_disk.profiles) == ["local"] and on_disk.default_profile == "local"
    on_disk.set_profile(Profile("work", "https://billing.example.com"))
    assert on_disk.default_profile == "local"  # later ones do not take over
    assert set(on_disk.profiles) == {"local", "work"}


def test_a_changed_built_in_default_is_kept(config_path):
    config = Config.load(config_path)
    config.update_profile("default", email="me@example.com")
    config.set_profile(Profile("work", "https://billing.example.com"))
    assert set(config.profiles) == {"default", "work"} and config.default_profile == "default"


def test_a_first_profile_does_not_take_over_one_saved_meanwhile(config_path):
    """`mktui login --profile work` waits at its prompts while another terminal saves `default`."""
    waiting = Config.load(config_path)  # no file yet
    other = Config.load(config_path)
    other.update_profile("default", api_url="https://billing.example.com", email="b@example.com")
    other.save()
    waiting.set_profile(Profile("work", "https://work.example.com", "a@example.com"))
    waiting.save()

    on_disk = Config.load(config_path)
    assert set(on_disk.profiles) == {"default", "work"}
    assert on_disk.profile("default").email == "b@example.com"  # the other's profile is kept
    assert on_disk.default_profile == "default"  # and so is its default
