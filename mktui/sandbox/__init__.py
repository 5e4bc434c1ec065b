"""The local billing sandbox: a FastAPI server on SQLite that enforces api.md's rules.

Import :func:`mktui.sandbox.app.create_app` for the app; this package's own
import loads nothing heavy (``mktui`` must start fast).
"""
