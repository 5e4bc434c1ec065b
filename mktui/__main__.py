"""``python -m mktui`` runs the console."""

import sys

from mktui.cli.main import main

sys.exit(main())
