"""mktui: a keyboard-driven terminal console for MKController billing."""

__version__ = "0.1.0"
