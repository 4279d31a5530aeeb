"""``python -m souverain``."""

import sys

from souverain.cli import main

sys.exit(main())
