"""`python -m shared` is the same as the `antrian` command."""

import sys

from shared.cli import main

# The guard matters: the voice worker is started with `spawn`, which imports this module again.
if __name__ == "__main__":
    sys.exit(main())
