"""Entry point of the packaged app: the same as `cunyi` (opens the desktop app by default)."""

import sys

from app.cli import main

sys.exit(main())
