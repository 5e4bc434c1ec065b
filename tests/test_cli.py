from mktui.cli.main import build_parser


def test_parser_knows_the_sandbox_flag():
    args = build_parser().parse_args(["--sandbox", "--as", "new"])
    assert args.sandbox and args.sandbox_account == "new"


def test_the_console_reads_its_options_without_loading_the_subcommands():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mktui.cli.main import _parse\n"
        "args = _parse(['--profile', 'work', '--insecure-storage'])\n"
        "print(args.profile, args.insecure_storage, args.command, 'mktui.cli.session_commands' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["work", "True", "None", "False"]


def test_subcommands_help_and_mistakes_go_to_the_full_parser(capsys):
    import pytest

    from mktui.cli.main import _parse

    args = _parse(["sandbox", "serve", "--port", "8123"])
    assert args.command == "sandbox" and args.port == 8123
    assert _parse(["--sandbox", "--as", "new"]).sandbox_account == "new"
    with pytest.raises(SystemExit):
        _parse(["--help"])
    assert "login" in capsys.readouterr().out  # the full help lists the subcommands
    with pytest.raises(SystemExit) as exit_:
        _parse(["--as"])  # missing its value: the full parser's message, exit 1 (usage)
    assert exit_.value.code == 1
    assert "--as" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        _parse(["nonsense"])
    assert "invalid choice" in capsys.readouterr().err


def _run_mktui(*argv: str, term: str = "xterm-256color"):
    import os
    import subprocess
    import sys

    env = {**os.environ, "TERM": term}
    return subprocess.run(
        [sys.executable, "-m", "mktui.cli.main", *argv],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_not_a_terminal_is_one_line_pointing_to_the_cli():
    done = _run_mktui("--sandbox")  # stdout is a pipe here
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a terminal" in lines[0] and "mktui --help" in lines[0]


def test_term_dumb_is_refused_in_one_line():
    from mktui.tui.app import terminal_problem

    assert terminal_problem("dumb", True, True) == "TERM is dumb"
    assert terminal_problem("xterm", False, True) == "its output is not a terminal"
    assert terminal_problem("xterm", True, False) == "its input is not a terminal"
    assert terminal_problem("tmux-256color", True, True) is None
    done = _run_mktui(term="dumb")
    assert done.returncode == 2 and "TERM is dumb" in done.stderr


def test_as_without_sandbox_is_an_error():
    done = _run_mktui("--as", "new")
    assert done.returncode == 2
    assert "--sandbox" in done.stderr and "Traceback" not in done.stderr
