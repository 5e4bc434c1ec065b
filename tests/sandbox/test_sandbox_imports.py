"""Building the sandbox does not load pydantic's v1 compatibility layer (FastAPI only asks about it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, tmp_path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return result.stdout.strip()


def test_the_sandbox_app_is_built_without_pydantic_v1(tmp_path):
    out = _run(
        "import sys\n"
        "from mktui.sandbox.app import create_app\n"
        "from fastapi.testclient import TestClient\n"
        "app = create_app('s.sqlite')\n"
        "body = {'email': 'demo@mkcontroller.test', 'password': 'sandbox'}\n"
        "answer = TestClient(app).post('/v1/auth/token', json=body)\n"
        "print(answer.status_code, sys.modules.get('pydantic.v1', 'absent'))\n",
        tmp_path,
    )
    assert out == "200 None"


def test_a_pydantic_v1_loaded_before_is_left_as_it_is(tmp_path):
    out = _run(
        "import sys, pydantic.v1\n"
        "import mktui.sandbox.app\n"
        "print(sys.modules['pydantic.v1'] is not None)\n",
        tmp_path,
    )
    assert out == "True"
