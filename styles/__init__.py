"""Textual CSS for mktui, shipped in the wheel as ``mktui.styles``."""
