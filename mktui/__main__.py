"""``python -m mktui`` runs the console."""

import sys

from mktui.cli import main

sys.exit(main())
