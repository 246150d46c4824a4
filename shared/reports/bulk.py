"""Making many small objects at once, as reading a semester of kept days does."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a day's thousands of rows or digests are made.

    They hold no cycles, yet each few hundred new containers start a collection that walks
    every row already made: a semester's register read four times slower with it running.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
