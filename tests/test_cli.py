from mktui.cli import build_parser


def test_parser_knows_the_sandbox_flag():
    args = build_parser().parse_args(["--sandbox", "--as", "new"])
    assert args.sandbox and args.sandbox_account == "new"
