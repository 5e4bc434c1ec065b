"""Where the sandbox keeps its database by default."""

from __future__ import annotations

from pathlib import Path


def default_db_path() -> Path:
    """``sandbox.db`` under ``platformdirs.user_data_dir("mktui")``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("mktui")) / "sandbox.db"
