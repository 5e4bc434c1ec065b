"""The collector held off during start-up always comes back on."""

from __future__ import annotations

import gc

import pytest

from mktui.cli.main import main
from mktui.tui import startup_gc


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    startup_gc.resume()
    gc.enable()


def test_pause_then_resume_turns_the_collector_back_on():
    startup_gc.pause()
    assert not gc.isenabled()
    startup_gc.resume()
    assert gc.isenabled()
    startup_gc.resume()  # a second resume (timer after the hub's worker) changes nothing
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off():
    gc.disable()
    startup_gc.pause()
    startup_gc.resume()
    assert not gc.isenabled()


def test_a_subcommand_runs_with_the_collector_on_and_nothing_frozen(tmp_path, capsys):
    frozen = gc.get_freeze_count()
    assert main(["sandbox", "clock", "--db", str(tmp_path / "s.sqlite")]) == 0
    assert gc.isenabled()
    # Nothing newly frozen; objects frozen earlier (by another test's start-up) may be freed.
    assert gc.get_freeze_count() <= frozen


def test_resume_after_start_up_freezes_what_start_up_built():
    frozen = gc.get_freeze_count()  # tests/conftest.py froze what collection built
    startup_gc.pause()
    built = [[] for _ in range(100)]  # what start-up builds: objects the collector tracks
    startup_gc.resume()
    assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(built)
    # Nothing stays frozen by this test alone: what is alive now (collection's objects and
    # whatever earlier tests left) is frozen again, as after pytest_collection_finish.
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def test_bad_arguments_leave_the_collector_on(capsys):
    with pytest.raises(SystemExit):
        main(["--no-such-option"])
    assert gc.isenabled()
