"""A crash report must not print the secrets a frame was holding."""

from __future__ import annotations

from mktui.tui.app import MkApp
from mktui.tui.services.session import ConsoleOptions

SECRET = "hunter2-CARD-4242424242424242"


def _fail_holding_a_secret() -> None:
    password = SECRET  # noqa: F841 - the local a default traceback would print
    raise RuntimeError("the payment step failed")


def _rendered(app: MkApp) -> str:
    return "".join(
        segment.text for renderable in app._exit_renderables for segment in renderable.segments
    )


async def test_crash_report_shows_the_error_but_no_locals(capsys):
    app = MkApp(ConsoleOptions())
    async with app.run_test():
        try:
            _fail_holding_a_secret()
        except RuntimeError:
            app._fatal_error()
        text = _rendered(app)
    # What the app prints on its way out, too.
    text += capsys.readouterr().err
    assert "the payment step failed" in text
    assert "_fail_holding_a_secret" in text
    assert SECRET not in text
    assert "hunter2" not in text
