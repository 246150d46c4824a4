"""`python -m shared` is the same as the `antrian` command."""

import sys

from shared.cli import main

sys.exit(main())
